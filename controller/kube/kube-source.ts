// Desired state from AtomVersion custom resources, watched in the configured namespaces (or in all of
// them). A snapshot is emitted when the desired set changes — a new, changed (new generation) or deleted
// AtomVersion, or a list that fails or recovers; a status-only update (atomsync's own status writes)
// emits nothing. Besides whole snapshots, per-object change callbacks let the work queue enqueue just
// the key that changed.

import type { KubeConfig } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import type { DesiredAtomVersion } from '../domain/types.js';
import type { RefusedAtomVersion, Source, SourceError, SourceSnapshot } from '../sources/source.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import { ATOMVERSION_RESOURCE, atomVersionCollectionPath, atomVersionLister } from './atomversion-api.js';
import {
  desiredFromObject,
  desiredFromObjects,
  objectsRevision,
  type ConvertedAtomVersion,
} from './atomversion-object.js';
import { objectKey, type KubeObject } from './kube-object.js';
import { ListWatch, type ListPage, type ListWatchError, type ListWatchEvent } from './list-watch.js';

/** `status`: only the status, labels or annotations changed (the desired state is the same). */
export type AtomVersionChangeType = 'added' | 'modified' | 'deleted' | 'resync' | 'status';

export interface AtomVersionChange {
  type: AtomVersionChangeType;
  /** `namespace/name`. */
  key: string;
  /** The custom resource as last seen (for `deleted`: its last state). */
  object: KubeObject;
  /** The desired state it converts to; absent when deleted or invalid. */
  desired?: DesiredAtomVersion;
}

export type AtomVersionChangeListener = (change: AtomVersionChange) => void;

/** Every AtomVersion refused right now (after each snapshot, and again on resyncs). */
export type RefusalListener = (refused: readonly RefusedAtomVersion[]) => void;

export interface KubeSourceError extends ListWatchError {
  /** The namespace whose list or watch failed; undefined for a cluster-wide watch. */
  namespace?: string;
}

export interface KubeSourceOptions {
  kubeConfig: KubeConfig;
  /** Namespaces to watch. Empty, undefined or ['*']: every namespace (needs cluster-wide RBAC). */
  namespaces?: readonly string[];
  name?: string;
  /** Quiet time after a change before a snapshot is emitted, so a burst is one snapshot. Default 100 ms. */
  coalesceMs?: number;
  /** Each object is announced again (`resync` change) this often; 0 turns it off. Default 10 min. */
  resyncMs?: number;
  watchTimeoutSeconds?: number;
  backoff?: { baseMs?: number; capMs?: number };
  pageSize?: number;
  /** Every list or watch failure (the source retries by itself); for logs and metrics. */
  onError?: (error: KubeSourceError) => void;
  timers?: Timers;
  random?: () => number;
  /** Replaces the client-node list call (tests). */
  listerFor?: (namespace: string | undefined) => ListPage<KubeObject>;
}

const DEFAULT_COALESCE_MS = 100;

interface Converted {
  /** uid + generation: a status-only update keeps it. */
  stamp: string;
  result: ConvertedAtomVersion;
}

interface NamespaceWatch {
  namespace: string | undefined;
  listWatch: ListWatch<KubeObject>;
}

export class KubeSource implements Source {
  readonly name: string;
  private readonly timers: Timers;
  private readonly watches: NamespaceWatch[];
  private readonly listeners = new Set<AtomVersionChangeListener>();
  private readonly refusalListeners = new Set<RefusalListener>();
  private refused = new Map<string, RefusedAtomVersion>();
  private readonly converted = new Map<string, Converted>();
  private readonly listErrors = new Map<string, SourceError>();
  private onChange?: (snapshot: SourceSnapshot) => void;
  private lastIdentity?: string;
  private lastSnapshot?: SourceSnapshot;
  private pending?: TimerHandle;
  private started = false;
  private stopped = false;

  constructor(private readonly options: KubeSourceOptions) {
    this.timers = options.timers ?? realTimers;
    const namespaces = watchedNamespaces(options.namespaces);
    this.name = options.name ?? `kubernetes:${namespaces.map((n) => n ?? '*').join(',')}`;
    this.watches = namespaces.map((namespace) => ({ namespace, listWatch: this.createListWatch(namespace) }));
  }

  async start(onChange: (snapshot: SourceSnapshot) => void): Promise<void> {
    this.onChange = onChange;
    await Promise.all(this.watches.map((w) => w.listWatch.start()));
    if (this.stopped) return;
    this.started = true;
    this.emitNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.pending = undefined;
    await Promise.all(this.watches.map((w) => w.listWatch.stop()));
  }

  /** Lists every namespace again now (a webhook or an operator asked to look). */
  triggerNow(): void {
    for (const watch of this.watches) watch.listWatch.relist();
  }

  /** Subscribes to per-object changes (after the first snapshot); returns the unsubscribe function. */
  onObjectChange(listener: AtomVersionChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to the refused AtomVersions (told after every snapshot); returns the unsubscribe function. */
  onRefusals(listener: RefusalListener): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /** Why the AtomVersion `key` is refused, when it is. */
  refusal(key: string): RefusedAtomVersion | undefined {
    return this.refused.get(key);
  }

  /** Every refused AtomVersion. */
  refusals(): RefusedAtomVersion[] {
    return [...this.refused.values()];
  }

  /** The custom resource as last seen, by `namespace/name`. */
  getObject(key: string): KubeObject | undefined {
    for (const watch of this.watches) {
      const found = watch.listWatch.get(key);
      if (found) return found;
    }
    return undefined;
  }

  /** The last snapshot emitted. */
  current(): SourceSnapshot | undefined {
    return this.lastSnapshot;
  }

  /** True once every namespace has been listed successfully. */
  hasSynced(): boolean {
    return this.watches.every((w) => w.listWatch.hasSynced());
  }

  private createListWatch(namespace: string | undefined): ListWatch<KubeObject> {
    const { options } = this;
    const list = options.listerFor?.(namespace) ?? atomVersionLister(options.kubeConfig, namespace);
    return new ListWatch<KubeObject>({
      kubeConfig: options.kubeConfig,
      path: atomVersionCollectionPath(namespace),
      list,
      ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}),
      ...(options.watchTimeoutSeconds !== undefined
        ? { watchTimeoutSeconds: options.watchTimeoutSeconds }
        : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.random ? { random: options.random } : {}),
      onEvent: (event) => this.onEvent(event),
      onSync: (objects, reason) => {
        if (reason === 'list') {
          this.listErrors.delete(namespaceLabel(namespace));
          this.schedule();
        } else this.announceResync(objects);
      },
      onError: (error) => {
        if (error.code === 'ListFailed') {
          this.listErrors.set(namespaceLabel(namespace), listFailure(namespace, error));
          this.schedule();
        }
        options.onError?.({ ...error, ...(namespace !== undefined ? { namespace } : {}) });
      },
    });
  }

  private onEvent(event: ListWatchEvent<KubeObject>): void {
    const key = objectKey(event.object);
    if (event.type === 'deleted') {
      this.converted.delete(key);
      this.notify({ type: 'deleted', key, object: event.object });
      this.schedule();
      return;
    }
    if (event.type === 'modified' && event.previous && stampOf(event.previous) === stampOf(event.object)) {
      this.notify({ type: 'status', key, object: event.object }); // no new snapshot: same desired state
      return;
    }
    const result = this.convert(event.object);
    this.notify({
      type: event.type,
      key,
      object: event.object,
      ...(result.ok ? { desired: result.desired } : {}),
    });
    this.schedule();
  }

  private announceResync(objects: KubeObject[]): void {
    for (const object of objects) {
      const result = this.convert(object);
      const desired = result.ok ? { desired: result.desired } : {};
      this.notify({ type: 'resync', key: objectKey(object), object, ...desired });
    }
  }

  private notify(change: AtomVersionChange): void {
    if (!this.started || this.stopped) return;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // a failing listener must not stop the watch
      }
    }
  }

  private convert(object: KubeObject): ConvertedAtomVersion {
    const key = objectKey(object);
    const stamp = stampOf(object);
    const cached = this.converted.get(key);
    if (cached?.stamp === stamp) return cached.result;
    const result = desiredFromObject(object);
    this.converted.set(key, { stamp, result });
    return result;
  }

  private schedule(): void {
    if (!this.started || this.stopped || this.pending !== undefined) return;
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      this.emitNow();
    }, this.options.coalesceMs ?? DEFAULT_COALESCE_MS);
  }

  private emitNow(): void {
    if (this.stopped) return;
    const objects = this.watches.flatMap((w) => w.listWatch.objects());
    objects.sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
    const { desired, refused } = desiredFromObjects(objects.map((o) => this.convert(o)));
    const error = [...this.listErrors.values()][0];
    const identity = snapshotIdentity(objects, refused, error);
    if (identity === this.lastIdentity) return;
    this.lastIdentity = identity;
    this.refused = new Map(refused.map((refusal) => [refusal.key, refusal] as const));
    this.lastSnapshot = {
      revision: objectsRevision(objects),
      desired,
      problems: [],
      ...(refused.length > 0 ? { refused } : {}),
      ...(error ? { error } : {}),
    };
    try {
      this.onChange?.(this.lastSnapshot);
    } catch {
      // a failing listener must not stop the watch
    }
    this.announceRefusals();
  }

  private announceRefusals(): void {
    const refused = this.refusals();
    for (const listener of this.refusalListeners) {
      try {
        listener(refused);
      } catch {
        // a failing listener must not stop the watch
      }
    }
  }
}

/** undefined stands for "every namespace". */
function watchedNamespaces(namespaces: readonly string[] | undefined): (string | undefined)[] {
  if (!namespaces || namespaces.length === 0 || namespaces.includes('*')) return [undefined];
  return [...new Set(namespaces)].sort();
}

function namespaceLabel(namespace: string | undefined): string {
  return namespace ?? '*';
}

function stampOf(object: KubeObject): string {
  const meta = object.metadata;
  return `${meta?.uid ?? ''}\u0000${meta?.generation ?? meta?.resourceVersion ?? ''}\u0000${meta?.deletionTimestamp ?? ''}`;
}

function snapshotIdentity(
  objects: readonly KubeObject[],
  refused: readonly RefusedAtomVersion[],
  error: SourceError | undefined,
): string {
  const hash = createHash('sha256');
  for (const o of objects) hash.update(`${objectKey(o)}\u0000${stampOf(o)}\n`);
  for (const r of refused) hash.update(`${r.key}\u0000${r.reason}\u0000${r.message}\n`);
  hash.update(`${error?.code ?? ''}\u0000${error?.message ?? ''}`);
  return hash.digest('hex');
}

function listFailure(namespace: string | undefined, error: ListWatchError): SourceError {
  const where = namespace === undefined ? 'in any namespace' : `in namespace ${namespace}`;
  const hint =
    error.statusCode === 404
      ? ' — is the CRD installed? (kubectl apply -f crds/atomversion.yaml)'
      : error.statusCode === 403 || error.statusCode === 401
        ? ` — the service account needs get/list/watch on ${ATOMVERSION_RESOURCE} (examples/kubernetes/install/rbac.yaml)`
        : '';
  return {
    code: 'KubernetesListFailed',
    message: `cannot list ${ATOMVERSION_RESOURCE} ${where}: ${error.message}${hint}; retrying`,
  };
}
