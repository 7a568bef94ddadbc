// What tests use to seed and inspect the fake cluster directly, with the same rules as the HTTP API
// (validation, resourceVersions, watch events). Failures throw KubeStatusError.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, ResourceType } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import type { ObjectStore } from './object-store.js';
import type { PatchKind, ResourceApi } from './resource-api.js';
import type { ResourceRegistry } from './resource-registry.js';
import { KubeStatusError } from './status-errors.js';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export class FakeKubeStore {
  constructor(
    private readonly api: ResourceApi,
    private readonly registry: ResourceRegistry,
    private readonly objects: ObjectStore,
  ) {}

  /** Creates any served kind (CRDs included); the namespace must exist, as on a real cluster. */
  create<T extends KubeObject>(obj: T): KubeObject {
    const type = this.typeOf(obj.apiVersion, obj.kind);
    return this.api.create(type, obj.metadata?.namespace ?? '', obj);
  }

  get(ref: ObjectRef): KubeObject | undefined {
    try {
      return this.api.get(this.typeOf(ref.apiVersion, ref.kind), ref.namespace ?? '', ref.name);
    } catch (err) {
      if (err instanceof KubeStatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return this.api.list(this.typeOf(apiVersion, kind), namespace).items;
  }

  /** PUT semantics: a stale metadata.resourceVersion is a 409 Conflict. */
  update(obj: KubeObject): KubeObject {
    const type = this.typeOf(obj.apiVersion, obj.kind);
    return this.api.update(type, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', obj);
  }

  /** PUT on the status subresource: only status changes. */
  updateStatus(obj: KubeObject): KubeObject {
    const type = this.typeOf(obj.apiVersion, obj.kind);
    const namespace = obj.metadata?.namespace ?? '';
    return this.api.update(type, namespace, obj.metadata?.name ?? '', obj, { subresource: 'status' });
  }

  patch(ref: ObjectRef, patch: unknown, kind: PatchKind = 'merge'): KubeObject {
    const type = this.typeOf(ref.apiVersion, ref.kind);
    return this.api.patch(type, ref.namespace ?? '', ref.name, kind, patch);
  }

  patchStatus(ref: ObjectRef, patch: unknown, kind: PatchKind = 'merge'): KubeObject {
    const type = this.typeOf(ref.apiVersion, ref.kind);
    return this.api.patch(type, ref.namespace ?? '', ref.name, kind, patch, { subresource: 'status' });
  }

  /** Returns false when there was nothing to delete. */
  delete(ref: ObjectRef): boolean {
    const found = this.get(ref);
    if (!found) return false;
    this.api.delete(this.typeOf(ref.apiVersion, ref.kind), ref.namespace ?? '', ref.name);
    return true;
  }

  /** Creates (or replaces) every CustomResourceDefinition in a YAML file. */
  async loadCrdFile(path: string): Promise<void> {
    const text = await readFile(path, 'utf8');
    for (const document of parseAllDocuments(text)) {
      const crd: unknown = document.toJS();
      if (isPlainObject(crd) && crd.kind === 'CustomResourceDefinition') this.apply(crd as KubeObject);
    }
  }

  /** The newest resourceVersion handed out. */
  resourceVersion(): string {
    return String(this.objects.currentRevision());
  }

  private apply(obj: KubeObject): void {
    const ref = { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', name: obj.metadata?.name ?? '' };
    const existing = this.get(ref);
    if (!existing) {
      this.create(obj);
      return;
    }
    const metadata = { ...obj.metadata, resourceVersion: existing.metadata?.resourceVersion };
    this.update({ ...obj, metadata });
  }

  private typeOf(apiVersion: string | undefined, kind: string | undefined): ResourceType {
    const type = this.registry.findByKind(apiVersion ?? '', kind ?? '');
    if (!type) throw new Error(`the fake kube-apiserver does not serve ${apiVersion ?? '?'} ${kind ?? '?'}`);
    return type;
  }
}
