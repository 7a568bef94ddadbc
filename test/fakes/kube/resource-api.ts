// The verbs of the Kubernetes API over the object store: create, get, list, update, patch, delete,
// with status-subresource isolation, generation, optimistic concurrency and finalizers.
import { CrdLifecycle, isCrdType } from './crd-lifecycle.js';
import type { KubeObject, ResourceType } from './kube-types.js';
import {
  apiVersionOf,
  deepClone,
  fromStorage,
  isPlainObject,
  storageKeyOf,
  toStorage,
} from './kube-types.js';
import type { ObjectStore } from './object-store.js';
import {
  carryServerMetadata,
  kubeTime,
  prepareNewMetadata,
  requireObject,
  sameContent,
  specPart,
} from './object-meta.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches.js';
import {
  applyConfiguration,
  fieldPaths,
  recordWrite,
  updatedPaths,
  type ManagedFieldsEntry,
} from './managed-fields.js';
import type { ResourceRegistry } from './resource-registry.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import {
  KubeStatusError,
  alreadyExists,
  badRequest,
  conflict,
  continueExpired,
  invalid,
  namespaceNotFound,
  notFound,
} from './status-errors.js';

export type PatchKind = 'merge' | 'json' | 'strategic' | 'apply';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: 'status';
  /** Unknown fields of a custom resource: Strict refuses them (400), Warn reports them, Ignore drops them. */
  fieldValidation?: FieldValidation;
  /** Receives the warnings (HTTP `Warning` headers) the write produced. */
  warnings?: string[];
  /** Who writes (fieldManager, else the user agent), for metadata.managedFields. */
  manager?: string;
  /** Server-side apply: take fields other managers own. */
  force?: boolean;
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
}

export interface DeleteOptions {
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** false when finalizers keep the object (it only got a deletionTimestamp). */
  removed: boolean;
}

const NAMESPACES_KEY = '/namespaces';

export class ResourceApi {
  private readonly crds: CrdLifecycle;
  /** Last write (ms) of objects of resources that expire, by storage key and namespace/name. */
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly clock: () => Date,
  ) {
    this.crds = new CrdLifecycle(registry, store);
  }

  create(type: ResourceType, namespace: string, body: unknown, options: WriteOptions = {}): KubeObject {
    const obj = requireObject(deepClone(body), type);
    prepareNewMetadata(obj, type, namespace, this.now());
    if (type.namespaced) this.requireNamespace(namespace);
    this.expire(type);
    const name = obj.metadata?.name ?? '';
    if (this.store.get(storageKeyOf(type), namespace, name)) throw alreadyExists(type, name);
    if (type.custom && type.hasStatusSubresource) delete obj.status;
    this.normalizeAndValidate(type, obj, options);
    this.recordManager(type, undefined, obj, options, 'Update');
    if (options.dryRun) return this.present(type, obj);
    const stored = this.commit(type, obj);
    if (isCrdType(type)) this.crds.serve(stored);
    return this.present(type, stored);
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    return this.present(type, this.requireExisting(type, namespace, name));
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    const labels = parseLabelSelector(options.labelSelector ?? null);
    const fields = parseFieldSelector(options.fieldSelector ?? null, type);
    const scope = type.namespaced ? namespace : undefined;
    this.expire(type);
    const all = this.store
      .list(storageKeyOf(type), scope)
      .map((o) => fromStorage(type, o))
      .filter((o) => labels(o) && fields(o));
    // A continued list keeps the first page's resourceVersion; once that revision is compacted the
    // token has expired (410), as etcd's snapshot would be gone.
    const continued = decodeContinue(options.continueToken);
    if (continued && this.store.isCompacted(continued.revision)) throw continueExpired();
    const revision = continued?.revision ?? this.store.currentRevision();
    const resourceVersion = String(revision);
    const remaining = continued ? all.filter((o) => keyOf(o) > continued.after) : all;
    const limit = options.limit && options.limit > 0 ? options.limit : remaining.length;
    const page = remaining.slice(0, limit);
    const last = page[page.length - 1];
    const more = remaining.length > page.length && last !== undefined;
    return {
      items: page.map((o) => this.present(type, o)),
      resourceVersion,
      ...(more ? { continueToken: encodeContinue(keyOf(last), revision) } : {}),
    };
  }

  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const existing = this.requireExisting(type, namespace, name);
    const obj = requireObject(deepClone(body), type);
    const bodyName = obj.metadata?.name;
    if (bodyName && bodyName !== name) {
      throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
    }
    this.checkResourceVersion(type, name, obj, existing);
    return this.replace(type, existing, obj, options);
  }

  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    kind: PatchKind,
    patch: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    if (kind === 'apply') return this.apply(type, namespace, name, patch, options);
    const existing = this.requireExisting(type, namespace, name);
    const patched = patchObject(existing, kind, patch);
    const obj = requireObject(patched, type);
    if (obj.metadata?.name !== name) throw badRequest('the patch may not change metadata.name');
    const patchedVersion = obj.metadata?.resourceVersion;
    if (patchedVersion && patchedVersion !== existing.metadata?.resourceVersion) throw conflict(type, name);
    return this.replace(type, existing, obj, options);
  }

  delete(type: ResourceType, namespace: string, name: string, options: DeleteOptions = {}): DeleteResult {
    const existing = this.requireExisting(type, namespace, name);
    this.checkPreconditions(type, name, existing, options);
    if (options.dryRun) return { object: this.present(type, existing), removed: true };
    if ((existing.metadata?.finalizers ?? []).length > 0) {
      return { object: this.markDeleting(type, existing), removed: false };
    }
    return { object: this.present(type, this.removeNow(type, existing)), removed: true };
  }

  /** Server-side apply: creates the object, or merges the applied configuration as its manager. */
  private apply(
    type: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    options: WriteOptions,
  ): KubeObject {
    const applied = requireObject(deepClone(body), type);
    const manager = { name: options.manager ?? '', operation: 'Apply' as const, ...subresourceOf(options) };
    const found = this.store.get(storageKeyOf(type), type.namespaced ? namespace : '', name);
    if (!found) {
      if (options.subresource === 'status') throw notFound(type, name);
      const owned = fieldPaths(applied, undefined, type.hasStatusSubresource);
      const created = this.create(type, namespace, applied, { ...options, manager: undefined });
      if (options.dryRun) return created;
      const entries = recordWrite(undefined, created, manager, owned, apiVersionOf(type), this.now());
      return this.commitManagedFields(type, created, entries);
    }
    const existing = fromStorage(type, found);
    const { object, owned } = applyConfiguration(
      existing,
      applied,
      manager,
      options.force ?? false,
      type.hasStatusSubresource,
    );
    const result = this.replace(type, existing, object, { ...options, manager: undefined });
    if (options.dryRun) return result;
    const entries = recordWrite(existing, result, manager, owned, apiVersionOf(type), this.now());
    return this.commitManagedFields(type, result, entries);
  }

  private commitManagedFields(
    type: ResourceType,
    obj: KubeObject,
    entries: ManagedFieldsEntry[],
  ): KubeObject {
    const updated = deepClone(obj);
    updated.metadata = { ...updated.metadata, managedFields: entries };
    if (sameContent(updated, obj)) return obj;
    return this.present(type, this.commit(type, updated, obj));
  }

  /** Gives the writer (an Update) the fields it set or changed; other managers lose them. */
  private recordManager(
    type: ResourceType,
    existing: KubeObject | undefined,
    obj: KubeObject,
    options: WriteOptions,
    operation: 'Update',
  ): void {
    if (options.manager === undefined) return;
    const subresource = options.subresource;
    const changed = updatedPaths(existing, obj, subresource, type.hasStatusSubresource);
    if (changed.length === 0) return;
    const manager = { name: options.manager, operation, ...subresourceOf(options) };
    const entries = recordWrite(existing, obj, manager, changed, apiVersionOf(type), this.now());
    obj.metadata = { ...obj.metadata, managedFields: entries };
  }

  private replace(
    type: ResourceType,
    existing: KubeObject,
    incoming: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const obj = options.subresource === 'status' ? withStatusOf(existing, incoming) : incoming;
    carryServerMetadata(obj, existing);
    // managedFields are the server's record; a client's copy (or none) does not change them.
    if (existing.metadata?.managedFields === undefined) delete obj.metadata?.managedFields;
    else obj.metadata = { ...obj.metadata, managedFields: existing.metadata.managedFields };
    if (options.subresource !== 'status' && type.hasStatusSubresource) copyStatus(existing, obj);
    this.normalizeAndValidate(type, obj, options);
    if (type.tracksGeneration && specPart(obj) !== specPart(existing)) {
      obj.metadata = { ...obj.metadata, generation: (existing.metadata?.generation ?? 0) + 1 };
    }
    if (options.dryRun) return this.present(type, obj);
    // Like etcd, an update that changes nothing keeps the resourceVersion and wakes no watcher.
    if (sameContent(obj, existing)) return this.present(type, existing);
    this.recordManager(type, existing, obj, options, 'Update');
    if (existing.metadata?.deletionTimestamp && (obj.metadata?.finalizers ?? []).length === 0) {
      return this.present(type, this.removeNow(type, obj));
    }
    const stored = this.commit(type, obj, existing);
    if (isCrdType(type)) this.crds.serve(stored);
    return this.present(type, stored);
  }

  /** Stores an object given in the served shape; returns it as stored, in the served shape. */
  private commit(type: ResourceType, obj: KubeObject, existing?: KubeObject): KubeObject {
    const key = storageKeyOf(type);
    const stored = this.store.commit(key, toStorage(type, obj), existing && toStorage(type, existing));
    if (type.ttlMs !== undefined) this.writtenAt.set(`${key}|${keyOf(stored)}`, this.clock().getTime());
    return fromStorage(type, stored);
  }

  /** Removes the objects of an expiring resource whose last write is older than its TTL (watchers see DELETED). */
  private expire(type: ResourceType): void {
    if (type.ttlMs === undefined) return;
    const key = storageKeyOf(type);
    const now = this.clock().getTime();
    for (const obj of this.store.list(key)) {
      const id = `${key}|${keyOf(obj)}`;
      const at = this.writtenAt.get(id) ?? Date.parse(obj.metadata?.creationTimestamp ?? '');
      if (Number.isNaN(at) || now - at < type.ttlMs) continue;
      this.store.remove(key, obj);
      this.writtenAt.delete(id);
    }
  }

  private normalizeAndValidate(type: ResourceType, obj: KubeObject, options: WriteOptions): void {
    if (type.schema) {
      reportUnknownFields(type, type.schema.normalize(obj), options);
      const errors = type.schema.validate(obj);
      if (errors.length > 0) throw invalid(type, obj.metadata?.name ?? '', errors);
    }
    const builtinErrors = type.validateBuiltin?.(obj) ?? [];
    if (builtinErrors.length > 0) throw invalid(type, obj.metadata?.name ?? '', builtinErrors);
    type.prepareBuiltin?.(obj);
    if (isCrdType(type)) this.crds.prepare(type, obj, this.now());
  }

  private markDeleting(type: ResourceType, existing: KubeObject): KubeObject {
    if (existing.metadata?.deletionTimestamp) return this.present(type, existing);
    const obj = deepClone(existing);
    obj.metadata = { ...obj.metadata, deletionTimestamp: this.now(), deletionGracePeriodSeconds: 0 };
    type.prepareBuiltin?.(obj);
    return this.present(type, this.commit(type, obj, existing));
  }

  private removeNow(type: ResourceType, obj: KubeObject): KubeObject {
    const removed = fromStorage(type, this.store.remove(storageKeyOf(type), toStorage(type, obj)));
    if (isCrdType(type)) this.crds.withdraw(removed);
    if (type.group === '' && type.plural === 'namespaces')
      this.removeNamespaceContents(removed.metadata?.name ?? '');
    return removed;
  }

  private removeNamespaceContents(namespace: string): void {
    const storageKeys = new Set(
      this.registry
        .all()
        .filter((t) => t.namespaced)
        .map(storageKeyOf),
    );
    for (const storageKey of storageKeys) {
      for (const obj of this.store.list(storageKey, namespace)) this.store.remove(storageKey, obj);
    }
  }

  private checkResourceVersion(
    type: ResourceType,
    name: string,
    obj: KubeObject,
    existing: KubeObject,
  ): void {
    const version = obj.metadata?.resourceVersion;
    if (version) {
      if (version !== existing.metadata?.resourceVersion) throw conflict(type, name);
      return;
    }
    if (type.custom) {
      throw invalid(type, name, [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          body: 'Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
  }

  private checkPreconditions(
    type: ResourceType,
    name: string,
    existing: KubeObject,
    options: DeleteOptions,
  ): void {
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== existing.metadata?.uid) {
      throw new KubeStatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${type.plural} "${name}": Precondition failed: UID in precondition: ` +
          `${uid}, UID in object meta: ${existing.metadata?.uid ?? ''}`,
      );
    }
    if (resourceVersion && resourceVersion !== existing.metadata?.resourceVersion) throw conflict(type, name);
  }

  private requireExisting(type: ResourceType, namespace: string, name: string): KubeObject {
    this.expire(type);
    const found = this.store.get(storageKeyOf(type), this.scoped(type, namespace), name);
    if (!found) throw notFound(type, name);
    return fromStorage(type, found);
  }

  private requireNamespace(namespace: string): void {
    if (!this.store.get(NAMESPACES_KEY, '', namespace)) throw namespaceNotFound(namespace);
  }

  private scoped(type: ResourceType, namespace: string): string {
    return type.namespaced ? namespace : '';
  }

  private present(type: ResourceType, obj: KubeObject): KubeObject {
    return { ...obj, apiVersion: apiVersionOf(type), kind: type.kind };
  }

  private now(): string {
    return kubeTime(this.clock());
  }
}

function reportUnknownFields(type: ResourceType, unknownFields: string[], options: WriteOptions): void {
  if (unknownFields.length === 0) return;
  const described = unknownFields.map((f) => `unknown field "${f}"`);
  if (options.fieldValidation === 'Strict') {
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ` +
        `strict decoding error: ${described.join(', ')}`,
    );
  }
  // Without fieldValidation the API server warns (its default since Kubernetes 1.27).
  if (options.fieldValidation !== 'Ignore') options.warnings?.push(...described);
}

function patchObject(existing: KubeObject, kind: PatchKind, patch: unknown): unknown {
  switch (kind) {
    case 'merge':
      return applyMergePatch(existing, patch);
    case 'strategic':
      return applyStrategicMergePatch(existing, patch);
    case 'json':
      return applyJsonPatch(existing, patch);
    case 'apply':
      throw badRequest('apply patches are not patches of the stored object');
  }
}

/** A /status write keeps everything but status from the stored object. */
function withStatusOf(existing: KubeObject, incoming: KubeObject): KubeObject {
  const obj = deepClone(existing);
  if (incoming.status === undefined) delete obj.status;
  else obj.status = incoming.status;
  return obj;
}

function copyStatus(from: KubeObject, to: KubeObject): void {
  if (from.status === undefined) delete to.status;
  else to.status = deepClone(from.status);
}

function subresourceOf(options: WriteOptions): { subresource?: 'status' } {
  return options.subresource ? { subresource: options.subresource } : {};
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

interface ContinueToken {
  after: string;
  revision: number;
}

function encodeContinue(lastKey: string, revision: number): string {
  return Buffer.from(JSON.stringify({ after: lastKey, rv: revision }), 'utf8').toString('base64url');
}

function decodeContinue(token: string | null | undefined): ContinueToken | undefined {
  if (!token) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isPlainObject(parsed) && typeof parsed.after === 'string' && typeof parsed.rv === 'number') {
      return { after: parsed.after, revision: parsed.rv };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
