// What the API server does to a few built-in kinds on write: Secret stringData folds into data,
// Namespaces get their phase, and MicroTime fields (Lease, Event) are stored with microseconds.
import type { KubeObject } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import { badRequest } from './status-errors.js';

export function prepareSecret(obj: KubeObject): void {
  if (obj.type === undefined) obj.type = 'Opaque';
  if (!isPlainObject(obj.stringData)) return;
  const data = isPlainObject(obj.data) ? obj.data : {};
  for (const [key, value] of Object.entries(obj.stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  obj.data = data;
  delete obj.stringData;
}

export function prepareNamespace(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (obj.metadata && name) {
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
  }
  if (!isPlainObject(obj.spec)) obj.spec = { finalizers: ['kubernetes'] };
  const status = isPlainObject(obj.status) ? obj.status : {};
  obj.status = { ...status, phase: obj.metadata?.deletionTimestamp ? 'Terminating' : 'Active' };
}

/** Returns a preparer that rewrites the MicroTime fields at the given paths. */
export function microTimeFields(kind: string, version: string, paths: string[][]): (obj: KubeObject) => void {
  return (obj) => {
    for (const path of paths) normalizeMicroTimeAt(obj, path, kind, version);
  };
}

function normalizeMicroTimeAt(obj: KubeObject, path: string[], kind: string, version: string): void {
  let parent: unknown = obj;
  for (const key of path.slice(0, -1)) parent = isPlainObject(parent) ? parent[key] : undefined;
  const leaf = path[path.length - 1];
  if (!isPlainObject(parent) || leaf === undefined) return;
  const value = parent[leaf];
  if (value === undefined || value === null) return;
  const normalized = typeof value === 'string' ? toMicroTime(value) : undefined;
  if (normalized === undefined) {
    throw badRequest(
      `${kind} in version "${version}" cannot be handled as a ${kind}: ` +
        `unable to parse ${path.join('.')} ${JSON.stringify(value)} as a MicroTime (RFC 3339)`,
    );
  }
  parent[leaf] = normalized;
}

/** "2026-11-23T08:00:00.123Z" → "2026-11-23T08:00:00.123000Z" (kube's MicroTime wire format). */
export function toMicroTime(text: string): string | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(text);
  if (!match || Number.isNaN(Date.parse(text))) return undefined;
  if (match[3]?.toUpperCase() === 'Z') return `${match[1]}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
  const iso = new Date(text).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000Z`;
}
