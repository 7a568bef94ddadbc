// metadata.managedFields and server-side apply, reduced to what atomsync and kubectl use: each write names
// a manager (fieldManager, else the client's user agent), which then owns the fields it set; an apply
// (PATCH application/apply-patch+yaml) merges the applied configuration, drops the fields this manager
// applied before and no longer does, and refuses with 409 to take a field another manager set to a
// different value unless force=true.
// Simplified: lists are atomic, except lists of objects keyed by `name` or `type` (the CRD's list-map
// keys), whose items are owned one by one; field sets are FieldsV1 built from leaf paths.
import type { KubeObject } from './kube-types.js';
import { deepClone, isPlainObject } from './kube-types.js';
import { KubeStatusError, badRequest } from './status-errors.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Manager {
  name: string;
  operation: 'Apply' | 'Update';
  subresource?: 'status';
}

const LIST_MAP_KEYS = ['name', 'type'];
const UNMANAGED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** The field paths an object sets, as FieldsV1 path segments ("f:spec", "k:{\"type\":\"Ready\"}"). */
export function fieldPaths(obj: KubeObject, subresource: 'status' | undefined, hasStatus: boolean): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (hasStatus && (key === 'status') !== (subresource === 'status')) continue;
    if (key === 'metadata' && isPlainObject(value)) {
      for (const [field, inner] of Object.entries(value)) {
        if (!UNMANAGED_METADATA.has(field)) collect(inner, [`f:metadata`, `f:${field}`], paths);
      }
      continue;
    }
    collect(value, [`f:${key}`], paths);
  }
  return paths;
}

function collect(value: unknown, prefix: string[], out: string[]): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) collect(inner, [...prefix, `f:${key}`], out);
    return;
  }
  const keyOf = Array.isArray(value) ? listMapKey(value) : undefined;
  if (Array.isArray(value) && keyOf) {
    for (const item of value as Record<string, unknown>[]) {
      const itemPath = [...prefix, `k:${JSON.stringify({ [keyOf]: item[keyOf] })}`];
      out.push([...itemPath, '.'].join('\n'));
      for (const [key, inner] of Object.entries(item)) collect(inner, [...itemPath, `f:${key}`], out);
    }
    return;
  }
  out.push(prefix.join('\n'));
}

function listMapKey(list: unknown[]): string | undefined {
  if (list.length === 0) return undefined;
  return LIST_MAP_KEYS.find((key) =>
    list.every((item) => isPlainObject(item) && typeof item[key] === 'string'),
  );
}

/** The paths an Update sets or changes (by value), comparing the stored object with the written one. */
export function updatedPaths(
  existing: KubeObject | undefined,
  written: KubeObject,
  subresource: 'status' | undefined,
  hasStatus: boolean,
): string[] {
  const before = existing ? fieldPaths(existing, subresource, hasStatus) : [];
  const after = fieldPaths(written, subresource, hasStatus);
  const all = [...new Set([...before, ...after])];
  return all.filter(
    (path) => JSON.stringify(valueAtPath(existing, path)) !== JSON.stringify(valueAtPath(written, path)),
  );
}

/** Reads the value at a path built by fieldPaths (undefined when absent). */
export function valueAtPath(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const segment of path.split('\n')) {
    if (segment === '.') return current === undefined ? undefined : true;
    if (segment.startsWith('f:')) {
      current = isPlainObject(current) ? current[segment.slice(2)] : undefined;
    } else if (segment.startsWith('k:')) {
      const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
      const [name, wanted] = Object.entries(key)[0] ?? ['', ''];
      current = Array.isArray(current)
        ? current.find((item) => isPlainObject(item) && item[name] === wanted)
        : undefined;
    }
  }
  return current;
}

/** Records who changed what: the manager gains the paths it set or changed; other managers lose them. */
export function recordWrite(
  existing: KubeObject | undefined,
  written: KubeObject,
  manager: Manager,
  owned: string[],
  apiVersion: string,
  time: string,
): ManagedFieldsEntry[] {
  const entries = existing ? entriesOf(existing) : [];
  const taken = new Set(owned);
  const others = entries
    .filter((entry) => !sameManager(entry, manager))
    .map((entry) => ({ ...entry, paths: pathsOf(entry.fieldsV1).filter((p) => !taken.has(p)) }))
    .filter((entry) => entry.paths.length > 0)
    .map(({ paths, ...entry }) => ({ ...entry, fieldsV1: toFieldsV1(paths) }));
  const previous = entries.find((entry) => sameManager(entry, manager));
  const keep =
    manager.operation === 'Apply'
      ? owned
      : [...new Set([...(previous ? pathsOf(previous.fieldsV1) : []), ...owned])].filter(
          (path) => valueAtPath(written, path) !== undefined,
        );
  if (keep.length === 0) return others;
  const mine: ManagedFieldsEntry = {
    manager: manager.name,
    operation: manager.operation,
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(keep),
    ...(manager.subresource ? { subresource: manager.subresource } : {}),
  };
  return [...others, mine];
}

/**
 * Server-side apply of `applied` over `existing`: the applied fields win, the fields this manager applied
 * before and leaves out now are removed, a field another manager set to another value is a conflict.
 */
export function applyConfiguration(
  existing: KubeObject,
  applied: KubeObject,
  manager: Manager,
  force: boolean,
  hasStatus: boolean,
): { object: KubeObject; owned: string[] } {
  const owned = fieldPaths(applied, manager.subresource, hasStatus);
  if (!force) checkConflicts(existing, applied, owned, manager);
  const previous = entriesOf(existing).find((entry) => sameManager(entry, manager));
  const ownedByOthers = new Set(
    entriesOf(existing)
      .filter((entry) => !sameManager(entry, manager))
      .flatMap((entry) => pathsOf(entry.fieldsV1)),
  );
  let object = mergeApplied(existing, applied);
  const dropped = (previous ? pathsOf(previous.fieldsV1) : []).filter(
    (path) => !owned.includes(path) && !ownedByOthers.has(path),
  );
  for (const path of dropped) object = removeAtPath(object, path);
  return { object, owned };
}

function checkConflicts(existing: KubeObject, applied: KubeObject, owned: string[], manager: Manager): void {
  const conflicts: string[] = [];
  for (const entry of entriesOf(existing)) {
    if (sameManager(entry, manager)) continue;
    for (const path of pathsOf(entry.fieldsV1)) {
      if (!owned.includes(path) || path.endsWith('\n.')) continue;
      if (JSON.stringify(valueAtPath(existing, path)) === JSON.stringify(valueAtPath(applied, path)))
        continue;
      conflicts.push(
        `conflict with "${entry.manager}"${entry.operation === 'Update' ? ` using ${entry.apiVersion}` : ''}: ${dotted(path)}`,
      );
    }
  }
  if (conflicts.length === 0) return;
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  throw new KubeStatusError(409, 'Conflict', `Apply failed with ${count}: ${conflicts.join('\n')}`, {
    causes: conflicts.map((message) => ({ reason: 'FieldManagerConflict', message })),
  });
}

/** Applied fields over the existing object: maps merge, lists and scalars are replaced. */
function mergeApplied(existing: unknown, applied: unknown): KubeObject {
  return merge(existing, applied) as KubeObject;
}

function merge(existing: unknown, applied: unknown): unknown {
  if (!isPlainObject(applied) || !isPlainObject(existing)) return deepClone(applied);
  const result: Record<string, unknown> = deepClone(existing);
  for (const [key, value] of Object.entries(applied)) result[key] = merge(result[key], value);
  return result;
}

function removeAtPath(obj: KubeObject, path: string): KubeObject {
  const segments = path.split('\n').filter((s) => s !== '.');
  const last = segments.pop();
  const parent = valueAtPath(obj, segments.join('\n'));
  if (!last) return obj;
  if (last.startsWith('f:') && isPlainObject(parent)) delete parent[last.slice(2)];
  if (last.startsWith('k:')) {
    const list = valueAtPath(obj, segments.join('\n'));
    const key = JSON.parse(last.slice(2)) as Record<string, unknown>;
    const [name, wanted] = Object.entries(key)[0] ?? ['', ''];
    if (Array.isArray(list)) {
      const index = list.findIndex((item) => isPlainObject(item) && item[name] === wanted);
      if (index >= 0) list.splice(index, 1);
    }
  }
  return obj;
}

/** The manager a write names: fieldManager, else the user agent's product (as "kubectl-edit", "node-fetch"). */
export function managerName(
  fieldManager: string | null,
  userAgent: string | undefined,
  apply: boolean,
): string {
  if (fieldManager) return fieldManager;
  if (apply)
    throw badRequest('PATCH, application/apply-patch+yaml: fieldManager is required for apply requests');
  const product = (userAgent ?? 'unknown').split('/')[0] ?? 'unknown';
  return product || 'unknown';
}

function entriesOf(obj: KubeObject): ManagedFieldsEntry[] {
  const entries = obj.metadata?.managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

function sameManager(entry: ManagedFieldsEntry, manager: Manager): boolean {
  return (
    entry.manager === manager.name &&
    entry.operation === manager.operation &&
    (entry.subresource ?? undefined) === manager.subresource
  );
}

function toFieldsV1(paths: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path.split('\n')) {
      const next = isPlainObject(node[segment]) ? (node[segment] as Record<string, unknown>) : {};
      node[segment] = next;
      node = next;
    }
  }
  return root;
}

function pathsOf(fields: Record<string, unknown>, prefix: string[] = []): string[] {
  const children = Object.entries(fields);
  if (children.length === 0) return prefix.length > 0 ? [prefix.join('\n')] : [];
  return children.flatMap(([segment, inner]) =>
    pathsOf(isPlainObject(inner) ? inner : {}, [...prefix, segment]),
  );
}

function dotted(path: string): string {
  return path
    .split('\n')
    .filter((s) => s !== '.')
    .map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : `[${s.slice(2)}]`))
    .join('');
}
