// Which resources the fake serves: the built-ins plus every registered CRD's served versions.
import { builtinResourceTypes } from './builtin-resources.js';
import type { ResourceType } from './kube-types.js';
import { apiVersionOf } from './kube-types.js';

export interface ServedGroup {
  name: string;
  versions: string[];
}

export class ResourceRegistry {
  private readonly builtins: ResourceType[];
  private readonly fromCrds = new Map<string, ResourceType[]>();

  constructor(options: { eventTtlMs?: number } = {}) {
    this.builtins = builtinResourceTypes(options.eventTtlMs);
  }

  all(): ResourceType[] {
    return [...this.builtins, ...[...this.fromCrds.values()].flat()];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  setCrd(crdName: string, types: ResourceType[]): void {
    this.fromCrds.set(crdName, types);
  }

  removeCrd(crdName: string): void {
    this.fromCrds.delete(crdName);
  }

  /** Groups in discovery order: core first, then named groups in registration order. */
  namedGroups(): ServedGroup[] {
    const groups = new Map<string, string[]>();
    for (const type of this.all()) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return [...groups].map(([name, versions]) => ({ name, versions }));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.version === version);
  }
}
