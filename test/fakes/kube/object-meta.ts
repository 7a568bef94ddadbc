// The metadata rules every write shares: names, namespaces, server-owned fields, generation.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FieldError, KubeObject, ObjectMeta, ResourceType } from './kube-types.js';
import { apiVersionOf, isPlainObject } from './kube-types.js';
import { badRequest, invalid } from './status-errors.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Server-owned metadata the client cannot set. */
const SERVER_OWNED = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
] as const;

export function requireObject(body: unknown, type: ResourceType): KubeObject {
  if (!isPlainObject(body)) {
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: expected an object`,
    );
  }
  const obj = body as KubeObject;
  const expectedApiVersion = apiVersionOf(type);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectedApiVersion) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  obj.apiVersion = expectedApiVersion;
  obj.kind = type.kind;
  obj.metadata = isPlainObject(obj.metadata) ? (obj.metadata as ObjectMeta) : {};
  return obj;
}

/** Fills name (generateName), namespace and the server-owned fields of a new object. */
export function prepareNewMetadata(
  obj: KubeObject,
  type: ResourceType,
  namespace: string,
  now: string,
): void {
  const meta = obj.metadata ?? {};
  for (const field of SERVER_OWNED) delete meta[field];
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
  if (!meta.name) {
    throw invalid(type, '', [
      {
        type: 'FieldValueRequired',
        field: 'metadata.name',
        body: 'Required value: name or generateName is required',
      },
    ]);
  }
  checkNamespace(meta, type, namespace);
  checkName(meta.name, type);
  meta.uid = randomUUID();
  meta.creationTimestamp = now;
  if (type.tracksGeneration) meta.generation = 1;
  obj.metadata = meta;
}

/** Keeps what the server owns from the stored object; the client's labels, annotations etc. win. */
export function carryServerMetadata(obj: KubeObject, existing: KubeObject): void {
  const meta: Record<string, unknown> = obj.metadata ?? {};
  const before: Record<string, unknown> = existing.metadata ?? {};
  for (const field of SERVER_OWNED) {
    if (before[field] === undefined) delete meta[field];
    else meta[field] = before[field];
  }
  meta.name = before.name;
  if (before.namespace === undefined) delete meta.namespace;
  else meta.namespace = before.namespace;
  obj.metadata = meta as ObjectMeta;
}

export function checkNamespace(meta: ObjectMeta, type: ResourceType, namespace: string): void {
  if (!type.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = namespace;
}

function checkName(name: string, type: ResourceType): void {
  const isNamespace = type.group === '' && type.plural === 'namespaces';
  const pattern = isNamespace ? LABEL : SUBDOMAIN;
  const maxLength = isNamespace ? 63 : 253;
  if (pattern.test(name) && name.length <= maxLength) return;
  const error: FieldError = {
    type: 'FieldValueInvalid',
    field: 'metadata.name',
    body: isNamespace
      ? `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case ` +
        "alphanumeric characters or '-', and must start and end with an alphanumeric character " +
        "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
      : `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case ` +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'example.com', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  };
  throw invalid(type, name, [error]);
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specPart(obj: KubeObject): string {
  const { metadata: _metadata, status: _status, ...rest } = obj;
  return JSON.stringify(sortKeys(rest));
}

export function sameContent(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Kubernetes' generateName suffix: five characters of consonants and digits. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** "2026-11-23T08:00:00Z" — kube's Time has second precision. */
export function kubeTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
