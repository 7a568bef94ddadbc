// A list-watch over client-node's Watch, in the manner of client-go's Reflector: list (paged), then
// watch from the list's resourceVersion with bookmarks and a jittered server-side timeout; resume from
// the newest resourceVersion seen; re-list when it expired (410 Gone); back off (capped, jittered) on
// errors; re-announce the full set periodically. client-node's makeInformer is not used because it
// stops for good on a network error.
//
// A re-list is diffed against what was known, so a change that happened while the watch was down is
// still reported as added/modified/deleted — nothing is lost between two watches.

import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { jitteredBackoff } from '../util/backoff.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import { describeKubeFailure, statusCodeOf } from './kube-errors.js';
import { isPlainObject, objectKey, type KubeList, type KubeObject } from './kube-object.js';

export type ListWatchEventType = 'added' | 'modified' | 'deleted';

export interface ListWatchEvent<T extends KubeObject> {
  type: ListWatchEventType;
  /** The object as it is now (for `deleted`: its last state). */
  object: T;
  /** The state known before this event (modified, deleted). */
  previous?: T;
}

export type SyncReason = 'list' | 'resync';

export interface ListWatchError {
  code: 'ListFailed' | 'WatchFailed';
  message: string;
  statusCode?: number;
  /** How long the list-watch waits before its next attempt. */
  retryInMs: number;
}

export interface ListWatchHandlers<T extends KubeObject> {
  /** One object changed. */
  onEvent?(event: ListWatchEvent<T>): void;
  /** Every object known now: after each complete list (`list`) and every resync period (`resync`). */
  onSync?(objects: T[], reason: SyncReason): void;
  /** A list or watch failed; the list-watch retries by itself. */
  onError?(error: ListWatchError): void;
}

/** Reads one page of the collection. */
export type ListPage<T extends KubeObject> = (page: {
  limit: number;
  continueToken?: string;
}) => Promise<KubeList<T>>;

export interface ListWatchOptions<T extends KubeObject> extends ListWatchHandlers<T> {
  kubeConfig: KubeConfig;
  /** The collection's path, e.g. /apis/atomsync.io/v1alpha1/namespaces/integration/atomversions. */
  path: string;
  list: ListPage<T>;
  /** Server-side watch timeout; each watch asks for a random value in [t, 2t). Default 300 s. */
  watchTimeoutSeconds?: number;
  /** Period of the full-set re-announcement; 0 turns it off. Default 10 min. */
  resyncMs?: number;
  /** Backoff after errors: full jitter, doubling from baseMs up to capMs. Default 500 ms … 30 s. */
  backoff?: { baseMs?: number; capMs?: number };
  /** Items per list page. Default 500. */
  pageSize?: number;
  /** A watch still open this long after its timeout is treated as stalled and restarted. Default 30 s. */
  stallGraceMs?: number;
  timers?: Timers;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

type WatchOutcome = 'closed' | 'expired' | 'failed' | 'interrupted';

const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;
const DEFAULT_RESYNC_MS = 600_000;
const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_STALL_GRACE_MS = 30_000;
/** A watch that ends this soon without delivering anything counts as a failure (no hot loop). */
const MIN_HEALTHY_WATCH_MS = 1_000;

export class ListWatch<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly watcher: Watch;
  private resourceVersion = '';
  private needsList = true;
  private synced = false;
  private stopped = false;
  private listing = false;
  private failures = 0;
  /** The delay chosen by the last failure report. */
  private lastBackoff = 0;
  private loop?: Promise<void>;
  private interruptWatch?: () => void;
  private wake?: () => void;
  private resyncTimer?: TimerHandle;
  private resolveFirstAttempt?: () => void;
  private readonly firstAttempt: Promise<void>;

  constructor(private readonly options: ListWatchOptions<T>) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.watcher = new Watch(options.kubeConfig);
    this.firstAttempt = new Promise((resolve) => (this.resolveFirstAttempt = resolve));
  }

  /** Starts listing and watching; resolves after the first list attempt, whether it worked or not. */
  start(): Promise<void> {
    if (!this.loop && !this.stopped) {
      this.loop = this.run();
      this.scheduleResync();
    }
    return this.firstAttempt;
  }

  /** Stops for good: aborts the open watch, cancels timers; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer !== undefined) this.timers.clearTimeout(this.resyncTimer);
    this.interruptWatch?.();
    this.wake?.();
    this.resolveFirstAttempt?.();
    // A list request cannot be aborted; its answer is dropped when it comes.
    if (!this.listing) await this.loop;
  }

  /** Lists again now (and diffs against what is known), e.g. when asked to look at once. */
  relist(): void {
    if (this.stopped) return;
    this.needsList = true;
    this.interruptWatch?.();
    this.wake?.();
  }

  /** True once a list succeeded. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** The newest resourceVersion seen (list, event or bookmark). */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  objects(): T[] {
    return [...this.cache.values()];
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.needsList) {
        const listed = await this.listAndReplace();
        this.resolveFirstAttempt?.();
        if (!listed) {
          await this.sleep(this.lastBackoff);
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (outcome === 'expired') this.needsList = true;
      else if (outcome === 'failed') await this.sleep(this.lastBackoff);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Listing

  private async listAndReplace(): Promise<boolean> {
    this.listing = true;
    try {
      const listed = await this.listAll();
      if (this.stopped) return false;
      this.needsList = false;
      this.synced = true;
      this.failures = 0;
      this.resourceVersion = listed.resourceVersion;
      this.replace(listed.items);
      return true;
    } catch (error) {
      if (!this.stopped) this.report('ListFailed', error);
      return false;
    } finally {
      this.listing = false;
    }
  }

  private async listAll(): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    const limit = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const page = await this.options.list({ limit, ...(continueToken ? { continueToken } : {}) });
      items.push(...page.items);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken && !this.stopped);
    return { items, resourceVersion };
  }

  /** Replaces the known set with a fresh list, reporting the difference as events. */
  private replace(items: T[]): void {
    const fresh = new Map(items.map((item) => [objectKey(item), item]));
    const events: ListWatchEvent<T>[] = [];
    for (const [key, object] of fresh) {
      const previous = this.cache.get(key);
      if (!previous) events.push({ type: 'added', object });
      else if (previous.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        events.push({ type: 'modified', object, previous });
      }
    }
    for (const [key, previous] of this.cache) {
      if (!fresh.has(key)) events.push({ type: 'deleted', object: previous, previous });
    }
    this.cache.clear();
    for (const [key, object] of fresh) this.cache.set(key, object);
    for (const event of events) this.emit(event);
    this.sync('list');
  }

  // ---------------------------------------------------------------------------------------------------
  // Watching

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise((resolve) => {
      const startedAt = this.timers.now();
      const timeoutSeconds = this.watchTimeoutSeconds();
      let settled = false;
      let received = false;
      let expired = false;
      let failure: unknown;
      let interrupted = false;
      let abort: (() => void) | undefined;

      const finish = (error: unknown): void => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(stallTimer);
        this.interruptWatch = undefined;
        abort?.();
        if (this.stopped || interrupted) return resolve('interrupted');
        if (expired || statusCodeOf(error) === 410) return resolve('expired');
        const problem = failure ?? error;
        if (problem) {
          this.report('WatchFailed', problem);
          return resolve('failed');
        }
        if (!received && this.timers.now() - startedAt < MIN_HEALTHY_WATCH_MS) {
          this.report('WatchFailed', new Error('the watch ended at once without sending anything'));
          return resolve('failed');
        }
        resolve('closed');
      };

      const onEvent = (type: string, object: unknown): void => {
        if (settled) return;
        received = true;
        if (type === 'ERROR') {
          const status = isPlainObject(object) ? object : {};
          if (status.code === 410) expired = true;
          else failure = { code: status.code, body: status };
          return;
        }
        this.failures = 0;
        this.applyWatchEvent(type, object);
      };

      const stallTimer = this.timers.setTimeout(
        () => {
          failure = new Error(`the watch sent nothing past its ${timeoutSeconds} s timeout`);
          finish(undefined);
        },
        timeoutSeconds * 1000 + (this.options.stallGraceMs ?? DEFAULT_STALL_GRACE_MS),
      );
      this.interruptWatch = () => {
        interrupted = true;
        finish(undefined);
      };

      const query = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
      };
      this.watcher.watch(this.options.path, query, onEvent, finish).then(
        (controller) => {
          abort = () => controller.abort();
          if (settled) abort();
        },
        (error: unknown) => finish(error),
      );
    });
  }

  private applyWatchEvent(type: string, raw: unknown): void {
    if (!isPlainObject(raw)) return;
    const object = raw as T;
    const version = object.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (type === 'BOOKMARK') return;
    const key = objectKey(object);
    const previous = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.emit({ type: 'deleted', object, ...(previous ? { previous } : {}) });
      return;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED') return;
    this.cache.set(key, object);
    if (previous?.metadata?.resourceVersion === version && version !== undefined) return;
    this.emit(previous ? { type: 'modified', object, previous } : { type: 'added', object });
  }

  private watchTimeoutSeconds(): number {
    const base = this.options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
    return Math.max(1, Math.floor(base * (1 + clampUnit(this.random()))));
  }

  // ---------------------------------------------------------------------------------------------------
  // Timing, errors, callbacks

  private report(code: ListWatchError['code'], error: unknown): void {
    const failure = describeKubeFailure(error);
    this.lastBackoff = jitteredBackoff(this.failures, {
      baseMs: this.options.backoff?.baseMs ?? 500,
      capMs: this.options.backoff?.capMs ?? 30_000,
      random: this.random,
    });
    this.failures += 1;
    this.call(() =>
      this.options.onError?.({
        code,
        message: failure.message,
        ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}),
        retryInMs: this.lastBackoff,
      }),
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.timers.setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        this.timers.clearTimeout(handle);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private scheduleResync(): void {
    const period = this.options.resyncMs ?? DEFAULT_RESYNC_MS;
    if (period <= 0 || this.stopped) return;
    this.resyncTimer = this.timers.setTimeout(() => {
      if (this.stopped) return;
      if (this.synced) this.sync('resync');
      this.scheduleResync();
    }, period);
  }

  private emit(event: ListWatchEvent<T>): void {
    this.call(() => this.options.onEvent?.(event));
  }

  private sync(reason: SyncReason): void {
    this.call(() => this.options.onSync?.(this.objects(), reason));
  }

  /** A failing callback must not stop the list-watch. */
  private call(callback: () => void): void {
    try {
      callback();
    } catch {
      // the consumer's problem; the stream goes on
    }
  }
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}
