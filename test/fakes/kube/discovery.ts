// Legacy (v1) discovery documents. kubectl asks for aggregated discovery (apidiscovery.k8s.io/v2)
// first; a plain application/json APIVersions/APIGroupList answer makes it fall back to these.
import { createHash } from 'node:crypto';
import type { ResourceType } from './kube-types.js';
import type { ResourceRegistry } from './resource-registry.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-fake',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function groupList(registry: ResourceRegistry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.namedGroups().map((g) => apiGroup(g.name, g.versions)),
  };
}

export function groupDocument(registry: ResourceRegistry, group: string): object | undefined {
  const found = registry.namedGroups().find((g) => g.name === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found.name, found.versions) } : undefined;
}

function apiGroup(name: string, versions: string[]): object {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function resourceList(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(apiResources),
  };
}

function apiResources(type: ResourceType): object[] {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length ? { categories: type.categories } : {}),
    storageVersionHash: createHash('sha256')
      .update(`${type.group}/${type.plural}`)
      .digest('base64')
      .slice(0, 11),
  };
  if (!type.hasStatusSubresource) return [main];
  const status = {
    name: `${type.plural}/status`,
    singularName: '',
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: ['get', 'patch', 'update'],
  };
  return [main, status];
}
