// Storage with etcd-like revisions: one global counter stamps every write (the resourceVersion),
// a history of changes feeds watches, and compaction makes old revisions unwatchable (410 Gone).
import type { KubeObject, StoredEvent, WatchEventType } from './kube-types.js';
import { deepClone } from './kube-types.js';
import { expired } from './status-errors.js';

export type EventListener = (event: StoredEvent) => void;

export class ObjectStore {
  private revision = 0;
  /** Events up to and including this revision are gone; watching from an older revision fails. */
  private compactedThrough = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly keepEvents = Number.POSITIVE_INFINITY) {}

  currentRevision(): number {
    return this.revision;
  }

  get(storageKey: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.bucket(storageKey).get(keyOf(namespace, name));
    return found ? deepClone(found) : undefined;
  }

  /** Objects sorted by namespace then name; every namespace when `namespace` is undefined. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const entries = [...this.bucket(storageKey)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries
      .map(([, obj]) => obj)
      .filter((obj) => namespace === undefined || (obj.metadata?.namespace ?? '') === namespace)
      .map((obj) => deepClone(obj));
  }

  /** Stores the object under a fresh resourceVersion and tells the watchers (ADDED or MODIFIED). */
  commit(storageKey: string, obj: KubeObject, previous?: KubeObject): KubeObject {
    const stored = this.stamp(obj);
    this.bucket(storageKey).set(keyOf(stored.metadata?.namespace ?? '', stored.metadata?.name ?? ''), stored);
    this.record(previous ? 'MODIFIED' : 'ADDED', storageKey, stored, previous);
    return deepClone(stored);
  }

  /** Removes the object; the DELETED event carries the deletion's resourceVersion. */
  remove(storageKey: string, obj: KubeObject): KubeObject {
    const stored = this.stamp(obj);
    this.bucket(storageKey).delete(keyOf(stored.metadata?.namespace ?? '', stored.metadata?.name ?? ''));
    this.record('DELETED', storageKey, stored, obj);
    return deepClone(stored);
  }

  /** Changes after `revision` for one resource; throws 410 Expired when they were compacted away. */
  eventsAfter(storageKey: string, revision: number): StoredEvent[] {
    if (this.isCompacted(revision)) throw expired(revision, this.compactedThrough);
    return this.history
      .filter((e) => e.storageKey === storageKey && e.resourceVersion > revision)
      .map((e) => deepClone(e));
  }

  /** True when the revision's history was compacted away (a watch or a continue token from it fails). */
  isCompacted(revision: number): boolean {
    return revision < this.compactedThrough;
  }

  /** Every resourceVersion handed out so far becomes too old to watch from. */
  compact(): void {
    this.revision += 1;
    this.compactedThrough = this.revision;
    this.history.length = 0;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private stamp(obj: KubeObject): KubeObject {
    this.revision += 1;
    const stored = deepClone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(this.revision) };
    return stored;
  }

  private record(type: WatchEventType, storageKey: string, object: KubeObject, previous?: KubeObject): void {
    const event: StoredEvent = {
      type,
      resourceVersion: this.revision,
      storageKey,
      object,
      ...(previous ? { previous: deepClone(previous) } : {}),
    };
    this.history.push(event);
    this.trimHistory();
    for (const listener of this.listeners) listener(deepClone(event));
  }

  private trimHistory(): void {
    while (this.history.length > this.keepEvents) {
      const dropped = this.history.shift();
      if (dropped) this.compactedThrough = dropped.resourceVersion;
    }
  }

  private bucket(storageKey: string): Map<string, KubeObject> {
    let bucket = this.objects.get(storageKey);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(storageKey, bucket);
    }
    return bucket;
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
