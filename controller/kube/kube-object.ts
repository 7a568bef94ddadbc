// The few fields of Kubernetes objects atomsync reads, typed loosely: objects come off the wire as JSON
// and client-node's generated types do not cover custom resources.

/** The field manager of every write atomsync makes (managedFields show `atomsync`, not the HTTP library). */
export const FIELD_MANAGER = 'atomsync';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** `namespace/name`, the key every part of atomsync uses for an AtomVersion. */
export function objectKey(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** `integration/prod-east` → { namespace: 'integration', name: 'prod-east' }. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: 'default', name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
