// Just enough OpenAPI for kubectl. kubectl validates with /openapi/v2 (fetched as protobuf; a document
// without definitions means "skip client-side validation") and asks /openapi/v3 whether a resource's
// PATCH takes the fieldValidation parameter: it does here, so kubectl leaves validation to the server
// (fieldValidation=Strict). No strategic-merge-patch is advertised, so `kubectl apply` sends a JSON
// merge patch for custom resources and falls back to its built-in knowledge for core kinds.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';
import type { ResourceType } from './kube-types.js';
import type { ResourceRegistry } from './resource-registry.js';
import { pathNotFound } from './status-errors.js';

const PROTOBUF_V2 = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const TITLE = 'Kubernetes';
const VERSION = 'v1.32.0';

export function serveOpenApi(
  registry: ResourceRegistry,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (pathname === '/openapi/v2') return sendOpenApiV2(req, res);
  if (pathname === '/openapi/v3') return sendJson(res, 200, openApiV3Root(registry));
  const groupVersion = pathname.slice('/openapi/v3/'.length);
  const document = groupVersionDocument(registry, groupVersion);
  if (!document) throw pathNotFound();
  sendJson(res, 200, document);
}

function sendOpenApiV2(req: IncomingMessage, res: ServerResponse): void {
  if (!(req.headers.accept ?? '').includes(PROTOBUF_V2)) {
    return sendJson(res, 200, {
      swagger: '2.0',
      info: { title: TITLE, version: VERSION },
      paths: {},
      definitions: {},
    });
  }
  const body = openApiV2Protobuf();
  res.writeHead(200, { 'Content-Type': PROTOBUF_V2, 'Content-Length': String(body.length) });
  res.end(body);
}

/** gnostic's openapi_v2.Document with only `swagger` (field 1) and `info` (field 2: title, version). */
function openApiV2Protobuf(): Buffer {
  const info = Buffer.concat([protoString(1, TITLE), protoString(2, VERSION)]);
  return Buffer.concat([protoString(1, '2.0'), protoBytes(2, info)]);
}

function protoString(field: number, text: string): Buffer {
  return protoBytes(field, Buffer.from(text, 'utf8'));
}

function protoBytes(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2]), varint(bytes.length), bytes]);
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return Buffer.from(out);
}

function openApiV3Root(registry: ResourceRegistry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const groupVersions = [
    { key: 'api/v1', group: '', version: 'v1' },
    ...registry
      .namedGroups()
      .flatMap((g) =>
        g.versions.map((version) => ({ key: `apis/${g.name}/${version}`, group: g.name, version })),
      ),
  ];
  for (const { key } of groupVersions) {
    const document = groupVersionDocument(registry, key);
    const hash = createHash('sha512')
      .update(JSON.stringify(document))
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}

function groupVersionDocument(registry: ResourceRegistry, key: string): object | undefined {
  const segments = key.split('/');
  const [group, version] =
    segments[0] === 'api' ? ['', segments[1] ?? ''] : [segments[1] ?? '', segments[2] ?? ''];
  if ((segments[0] === 'api' && segments.length !== 2) || (segments[0] === 'apis' && segments.length !== 3)) {
    return undefined;
  }
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const type of types) {
    paths[itemPath(type)] = { patch: patchOperation(type) };
    schemas[schemaName(type)] = {
      ...(type.openApiSchema ? withObjectMeta(type.openApiSchema) : { type: 'object' }),
      'x-kubernetes-group-version-kind': [gvk(type)],
    };
    if (type.openApiSchema) schemas[OBJECT_META] = OBJECT_META_SCHEMA;
  }
  return { openapi: '3.0.0', info: { title: TITLE, version: VERSION }, paths, components: { schemas } };
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const OBJECT_META_SCHEMA = {
  type: 'object',
  description:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  properties: {
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    namespace: {
      type: 'string',
      description: 'Namespace defines the space within which each name must be unique.',
    },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Map of string keys and values.',
    },
    annotations: { type: 'object', additionalProperties: { type: 'string' }, description: 'Annotations.' },
  },
};

/** As the API server publishes a CRD's schema: metadata refers to the shared ObjectMeta. */
function withObjectMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    properties: { ...properties, metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }] } },
  };
}

function itemPath(type: ResourceType): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return type.namespaced
    ? `${base}/namespaces/{namespace}/${type.plural}/{name}`
    : `${base}/${type.plural}/{name}`;
}

function patchOperation(type: ResourceType): object {
  const ref = { $ref: `#/components/schemas/${schemaName(type)}` };
  const body = { schema: { type: 'object' } };
  return {
    operationId: `patch${type.kind}`,
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': gvk(type),
    parameters: [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
    ],
    requestBody: {
      content: { 'application/json-patch+json': body, 'application/merge-patch+json': body },
      required: true,
    },
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
  };
}

function gvk(type: ResourceType): { group: string; version: string; kind: string } {
  return { group: type.group, version: type.version, kind: type.kind };
}

/** "io.atomsync.v1alpha1.AtomVersion", the reversed-domain naming of the real API server. */
function schemaName(type: ResourceType): string {
  const group = type.group ? type.group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${group}.${type.version}.${type.kind}`;
}
