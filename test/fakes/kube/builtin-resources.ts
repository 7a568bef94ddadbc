// The built-in resources the fake serves, with the columns `kubectl get` shows for them.
import { microTimeFields, prepareNamespace, prepareSecret } from './builtin-normalizers.js';
import { coreEventStorage, eventsV1Storage, validateEventsV1 } from './event-conversion.js';
import type { FieldError, KubeObject, ResourceType, StorageShape, TableColumn } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import { ageColumn, fieldColumn } from './table.js';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface BuiltinSpec {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  hasStatusSubresource?: boolean;
  tracksGeneration?: boolean;
  columns?: TableColumn[];
  prepare?: (obj: KubeObject) => void;
  validate?: (obj: KubeObject) => FieldError[];
  storage?: StorageShape;
  expires?: boolean;
}

/** How long Events live after their last write: the API server's --event-ttl default. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60_000;

export function builtinResourceTypes(eventTtlMs = DEFAULT_EVENT_TTL_MS): ResourceType[] {
  return BUILTINS.map((spec) => toResourceType(spec, eventTtlMs));
}

function toResourceType(spec: BuiltinSpec, eventTtlMs: number): ResourceType {
  return {
    group: spec.group,
    version: spec.version,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: ALL_VERBS,
    hasStatusSubresource: spec.hasStatusSubresource ?? false,
    tracksGeneration: spec.tracksGeneration ?? false,
    custom: false,
    tableColumns: spec.columns ?? [ageColumn()],
    ...(spec.prepare ? { prepareBuiltin: spec.prepare } : {}),
    ...(spec.validate ? { validateBuiltin: spec.validate } : {}),
    ...(spec.storage ? { storage: spec.storage } : {}),
    ...(spec.expires ? { ttlMs: eventTtlMs } : {}),
  };
}

function countOf(value: unknown): number {
  return isPlainObject(value) ? Object.keys(value).length : 0;
}

function at(obj: KubeObject, ...path: string[]): unknown {
  let current: unknown = obj;
  for (const key of path) current = isPlainObject(current) ? current[key] : undefined;
  return current;
}

const EVENT_COLUMNS: TableColumn[] = [
  fieldColumn('Type', (o) => o.type),
  fieldColumn('Reason', (o) => o.reason),
  fieldColumn('Object', (o) => {
    const involved = at(o, 'involvedObject') ?? at(o, 'regarding');
    return isPlainObject(involved) ? `${String(involved.kind).toLowerCase()}/${String(involved.name)}` : null;
  }),
  fieldColumn('Message', (o) => o.message ?? o.note),
  ageColumn(),
  // As kube-apiserver's event printer: a series' count wins over the deprecated count; `-o wide` shows it.
  { ...fieldColumn('Count', eventCount, 'integer'), priority: 1 },
];

function eventCount(event: KubeObject): number {
  const series = at(event, 'series');
  if (isPlainObject(series) && typeof series.count === 'number') return series.count;
  const count = event.count ?? event.deprecatedCount;
  return typeof count === 'number' && count > 0 ? count : 1;
}

const BUILTINS: BuiltinSpec[] = [
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    hasStatusSubresource: true,
    columns: [fieldColumn('Status', (o) => at(o, 'status', 'phase')), ageColumn()],
    prepare: prepareNamespace,
  },
  {
    group: '',
    version: 'v1',
    plural: 'secrets',
    kind: 'Secret',
    namespaced: true,
    columns: [
      fieldColumn('Type', (o) => o.type),
      fieldColumn('Data', (o) => countOf(o.data), 'integer'),
      ageColumn(),
    ],
    prepare: prepareSecret,
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    columns: [fieldColumn('Data', (o) => countOf(o.data) + countOf(o.binaryData), 'integer'), ageColumn()],
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    columns: EVENT_COLUMNS,
    prepare: microTimeFields('Event', 'v1', [['eventTime'], ['series', 'lastObservedTime']]),
    storage: coreEventStorage,
    expires: true,
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    columns: EVENT_COLUMNS,
    prepare: microTimeFields('Event', 'events.k8s.io/v1', [['eventTime'], ['series', 'lastObservedTime']]),
    validate: validateEventsV1,
    storage: eventsV1Storage,
    expires: true,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    columns: [fieldColumn('Holder', (o) => at(o, 'spec', 'holderIdentity')), ageColumn()],
    prepare: microTimeFields('Lease', 'coordination.k8s.io/v1', [
      ['spec', 'acquireTime'],
      ['spec', 'renewTime'],
    ]),
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    hasStatusSubresource: true,
    columns: [fieldColumn('Created At', (o) => o.metadata?.creationTimestamp, 'date')],
  },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    hasStatusSubresource: true,
    tracksGeneration: true,
  },
];
