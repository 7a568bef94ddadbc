// HTTP verbs on resource paths: maps GET/POST/PUT/PATCH/DELETE (and ?watch) onto the resource API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceType } from './kube-types.js';
import { apiVersionOf, isPlainObject } from './kube-types.js';
import { mediaTypeOf, sendJson, tableRequested } from './http-io.js';
import type { DeleteOptions, FieldValidation, PatchKind, ResourceApi, WriteOptions } from './resource-api.js';
import type { ResourcePath } from './resource-path.js';
import type { ResourceRegistry } from './resource-registry.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { methodNotAllowed, pathNotFound, unsupportedMediaType } from './status-errors.js';
import { toTable } from './table.js';
import type { WatchHub } from './watch-stream.js';
import { managerName } from './managed-fields.js';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  path: ResourcePath;
  query: URLSearchParams;
  body: unknown;
}

const PATCH_KINDS: Record<string, PatchKind> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export class ResourceHandler {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly api: ResourceApi,
    private readonly watches: WatchHub,
    private readonly clock: () => Date,
  ) {}

  handle(request: ResourceRequest): void {
    const type = this.resolve(request.path);
    const method = request.req.method ?? 'GET';
    const name = request.path.name;
    if (name === undefined) return this.handleCollection(request, type, method);
    this.handleItem(request, type, method, name);
  }

  private handleItem(request: ResourceRequest, type: ResourceType, method: string, name: string): void {
    const { path, res } = request;
    const namespace = path.namespace ?? '';
    const warnings: string[] = [];
    const options = writeOptions(request, path.subresource === 'status', warnings);
    switch (method) {
      case 'GET':
        if (path.legacyWatch || isWatch(request.query)) return this.watch(request, type, name);
        return this.sendObject(request, type, this.api.get(type, namespace, name));
      case 'PUT': {
        const updated = this.api.update(type, namespace, name, request.body, options);
        return sendJson(res, 200, updated, warningHeaders(warnings));
      }
      case 'PATCH': {
        const kind = patchKindOf(type, request.req.headers['content-type'] ?? '');
        const patched = this.api.patch(type, namespace, name, kind, request.body, options);
        return sendJson(res, 200, patched, warningHeaders(warnings));
      }
      case 'DELETE':
        return this.delete(request, type, namespace, name);
      default:
        throw methodNotAllowed(method, qualified(type));
    }
  }

  private handleCollection(request: ResourceRequest, type: ResourceType, method: string): void {
    const { query, path } = request;
    if (path.subresource !== undefined) throw pathNotFound();
    const namespace = type.namespaced ? path.namespace : undefined;
    switch (method) {
      case 'GET':
        if (path.legacyWatch || isWatch(query)) return this.watch(request, type, undefined);
        return this.sendList(request, type, namespace);
      case 'POST': {
        if (type.namespaced && namespace === undefined) throw methodNotAllowed(method, qualified(type));
        const warnings: string[] = [];
        const created = this.api.create(
          type,
          namespace ?? '',
          request.body,
          writeOptions(request, false, warnings),
        );
        return sendJson(request.res, 201, created, warningHeaders(warnings));
      }
      case 'DELETE':
        return this.deleteCollection(request, type, namespace);
      default:
        throw methodNotAllowed(method, qualified(type));
    }
  }

  private resolve(path: ResourcePath): ResourceType {
    const type = this.registry.find(path.group, path.version, path.plural);
    if (!type) throw pathNotFound();
    if (!type.namespaced && path.namespace !== undefined) throw pathNotFound();
    if (type.namespaced && path.namespace === undefined && path.name !== undefined) throw pathNotFound();
    if (path.subresource !== undefined && !(path.subresource === 'status' && type.hasStatusSubresource)) {
      throw pathNotFound();
    }
    return type;
  }

  private sendObject(request: ResourceRequest, type: ResourceType, obj: KubeObject): void {
    const table = tableRequested(request.req.headers.accept, request.query.get('includeObject'));
    if (!table) return sendJson(request.res, 200, obj);
    const resourceVersion = obj.metadata?.resourceVersion ?? '';
    sendJson(request.res, 200, toTable(type, [obj], { ...table, resourceVersion, now: this.clock() }));
  }

  private sendList(request: ResourceRequest, type: ResourceType, namespace: string | undefined): void {
    const { query } = request;
    const result = this.api.list(type, namespace, {
      labelSelector: query.get('labelSelector'),
      fieldSelector: query.get('fieldSelector'),
      limit: Number(query.get('limit') ?? 0),
      continueToken: query.get('continue'),
    });
    const table = tableRequested(request.req.headers.accept, query.get('includeObject'));
    if (table) {
      const { items, resourceVersion, continueToken } = result;
      const page = continueToken ? { continueToken } : {};
      const tableOptions = { ...table, ...page, resourceVersion, now: this.clock() };
      return sendJson(request.res, 200, toTable(type, items, tableOptions));
    }
    sendJson(request.res, 200, {
      apiVersion: apiVersionOf(type),
      kind: type.listKind,
      metadata: {
        resourceVersion: result.resourceVersion,
        ...(result.continueToken ? { continue: result.continueToken } : {}),
      },
      items: type.custom ? result.items : result.items.map(withoutTypeMeta),
    });
  }

  private watch(request: ResourceRequest, type: ResourceType, name: string | undefined): void {
    const { query } = request;
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), type);
    const table = tableRequested(request.req.headers.accept, query.get('includeObject'));
    const timeout = Number(query.get('timeoutSeconds') ?? Number.NaN);
    this.watches.serve(request.res, {
      type,
      namespace: type.namespaced ? request.path.namespace : undefined,
      resourceVersion: query.get('resourceVersion'),
      allowBookmarks: isTrue(query.get('allowWatchBookmarks')),
      sendInitialEvents: isTrue(query.get('sendInitialEvents')),
      timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
      matches: (obj) => labels(obj) && fields(obj) && (name === undefined || obj.metadata?.name === name),
      ...(table ? { table } : {}),
    });
  }

  private delete(request: ResourceRequest, type: ResourceType, namespace: string, name: string): void {
    const result = this.api.delete(type, namespace, name, deleteOptions(request));
    if (type.custom || !result.removed || type.plural === 'namespaces') {
      return sendJson(request.res, 200, result.object);
    }
    sendJson(request.res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: type.group, kind: type.plural, uid: result.object.metadata?.uid },
    });
  }

  private deleteCollection(
    request: ResourceRequest,
    type: ResourceType,
    namespace: string | undefined,
  ): void {
    const { query } = request;
    const { items } = this.api.list(type, namespace, {
      labelSelector: query.get('labelSelector'),
      fieldSelector: query.get('fieldSelector'),
    });
    const options = deleteOptions(request);
    const deleted = items.map(
      (item) =>
        this.api.delete(type, item.metadata?.namespace ?? '', item.metadata?.name ?? '', options).object,
    );
    sendJson(request.res, 200, {
      apiVersion: apiVersionOf(type),
      kind: type.listKind,
      metadata: {},
      items: deleted,
    });
  }
}

function patchKindOf(type: ResourceType, contentType: string): PatchKind {
  const media = mediaTypeOf(contentType);
  const kind = PATCH_KINDS[media];
  const accepted = [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ];
  if (!type.custom) accepted.push('application/strategic-merge-patch+json');
  if (!kind || (kind === 'strategic' && type.custom)) throw unsupportedMediaType(media, accepted);
  return kind;
}

function writeOptions(request: ResourceRequest, status: boolean, warnings: string[]): WriteOptions {
  const fieldValidation = request.query.get('fieldValidation');
  const apply = mediaTypeOf(request.req.headers['content-type'] ?? '') === 'application/apply-patch+yaml';
  const manager = managerName(request.query.get('fieldManager'), request.req.headers['user-agent'], apply);
  return {
    manager,
    ...(isTrue(request.query.get('force')) ? { force: true } : {}),
    dryRun: request.query.get('dryRun') === 'All',
    ...(status ? { subresource: 'status' as const } : {}),
    ...(isFieldValidation(fieldValidation) ? { fieldValidation } : {}),
    warnings,
  };
}

function deleteOptions(request: ResourceRequest): DeleteOptions {
  const body = isPlainObject(request.body) ? request.body : {};
  const preconditions = isPlainObject(body.preconditions) ? body.preconditions : undefined;
  const dryRun =
    request.query.get('dryRun') === 'All' || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
  return {
    dryRun,
    ...(preconditions
      ? {
          preconditions: {
            ...(typeof preconditions.uid === 'string' ? { uid: preconditions.uid } : {}),
            ...(typeof preconditions.resourceVersion === 'string'
              ? { resourceVersion: preconditions.resourceVersion }
              : {}),
          },
        }
      : {}),
  };
}

function isFieldValidation(value: string | null): value is FieldValidation {
  return value === 'Strict' || value === 'Warn' || value === 'Ignore';
}

function warningHeaders(warnings: string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}

function withoutTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return rest;
}

function isWatch(query: URLSearchParams): boolean {
  return isTrue(query.get('watch'));
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function qualified(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}
