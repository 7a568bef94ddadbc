// Side effects of writing CustomResourceDefinitions: a CRD is checked, marked Established and starts
// being served; deleting it stops serving its resources and removes its custom resources.
import { crdFieldErrors, establishCrd, resourceTypesOfCrd } from './crd-resources.js';
import type { KubeObject, ResourceType } from './kube-types.js';
import { storageKeyOf } from './kube-types.js';
import type { ObjectStore } from './object-store.js';
import type { ResourceRegistry } from './resource-registry.js';
import { invalid } from './status-errors.js';

export function isCrdType(type: ResourceType): boolean {
  return type.group === 'apiextensions.k8s.io' && type.plural === 'customresourcedefinitions';
}

export class CrdLifecycle {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly store: ObjectStore,
  ) {}

  /** Validates the CRD and fills its status; throws a 422 Status when it cannot be served. */
  prepare(type: ResourceType, crd: KubeObject, now: string): void {
    const errors = crdFieldErrors(crd);
    if (errors.length > 0) throw invalid(type, crd.metadata?.name ?? '', errors);
    try {
      resourceTypesOfCrd(crd);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw invalid(type, crd.metadata?.name ?? '', [
        { type: 'FieldValueInvalid', field: 'spec.versions', body: `Invalid value: "object": ${message}` },
      ]);
    }
    establishCrd(crd, now);
  }

  serve(crd: KubeObject): void {
    this.registry.setCrd(crd.metadata?.name ?? '', resourceTypesOfCrd(crd));
  }

  /** Stops serving the CRD's resources and deletes every custom resource it defined. */
  withdraw(crd: KubeObject): void {
    const types = resourceTypesOfCrd(crd);
    this.registry.removeCrd(crd.metadata?.name ?? '');
    const first = types[0];
    if (!first) return;
    const storageKey = storageKeyOf(first);
    for (const obj of this.store.list(storageKey)) this.store.remove(storageKey, obj);
  }
}
