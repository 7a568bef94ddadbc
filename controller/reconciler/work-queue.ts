// A rate-limited work queue in the manner of client-go's workqueue, keyed by AtomVersion:
// - a key is queued at most once; adding it again only upgrades a queued resync to a change;
// - a key is never handed to two workers at once: added while being processed, it is queued again when
//   the worker calls done();
// - changes are handed out before resyncs (each FIFO);
// - failures are retried with per-key exponential backoff and full jitter (backoff.ts);
// - with lanes (the controller's: one per platform account), keys are handed out round-robin across lanes
//   and at most `perLane` of one lane at once, so one account's keys waiting on its rate limit never hold
//   every worker while other accounts' keys wait.

import { PerKeyBackoff, type BackoffOptions } from '../util/backoff.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';

/** `change`: the desired or observed state changed. `resync`: the periodic re-check. */
export type WorkPriority = 'change' | 'resync';

export interface WorkItem<K> {
  key: K;
  priority: WorkPriority;
}

export interface AddOptions {
  priority?: WorkPriority;
}

/** What a worker may ask for after a successful pass (like controller-runtime's Result). */
export interface WorkResult {
  /** Look at the key again after this long (e.g. while a platform request is outstanding). */
  requeueAfterMs?: number;
  /** Priority of that later pass; `resync` unless said otherwise. */
  priority?: WorkPriority;
}

export type Worker<K> = (item: WorkItem<K>) => Promise<WorkResult | void>;

export interface RunOptions<K> {
  /** Called when a worker throws; the key is then retried with backoff. */
  onError?: (item: WorkItem<K>, error: unknown) => void;
}

export interface WorkQueueOptions {
  timers?: Timers;
  backoff?: BackoffOptions;
  /** The lane a key belongs to (e.g. its account). Without it, one lane. */
  laneOf?: (key: unknown) => string;
  /** Keys of one lane handed out at once. Default: no limit beyond the worker count. */
  perLane?: number;
}

export interface WorkQueueStats {
  /** Keys waiting for a worker (same as depth()). */
  queued: number;
  changes: number;
  resyncs: number;
  /** Keys a worker holds right now. */
  processing: number;
  /** Keys scheduled by addAfter / addRateLimited that are not due yet. */
  delayed: number;
}

interface DelayedEntry {
  handle: TimerHandle;
  readyAt: number;
  priority: WorkPriority;
}

type Waiter<K> = (item: WorkItem<K> | undefined) => void;

interface Lane<K> {
  changes: Set<K>;
  resyncs: Set<K>;
  busy: number;
}

export class WorkQueue<K> {
  // Sets keep insertion order, which gives FIFO within each priority and O(1) removal for upgrades.
  private readonly changes = new Set<K>();
  private readonly resyncs = new Set<K>();
  private readonly processing = new Set<K>();
  /** Keys added while a worker held them, with the priority to queue them at when it is done. */
  private readonly dirty = new Map<K, WorkPriority>();
  private readonly delayed = new Map<K, DelayedEntry>();
  private readonly waiters: Waiter<K>[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly timers: Timers;
  private readonly backoff: PerKeyBackoff<K>;
  private readonly lanes = new Map<string, Lane<K>>();
  /** Lane names in the order they are offered work; rotated after each hand-out. */
  private laneOrder: string[] = [];
  /** The lane each key being processed was taken from (a key's lane may change meanwhile). */
  private readonly heldLane = new Map<K, Lane<K>>();
  /** The lane each queued key waits in. */
  private readonly queuedIn = new Map<K, Lane<K>>();
  private readonly laneOf: (key: K) => string;
  private readonly perLane: number;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.timers = options.timers ?? realTimers;
    this.backoff = new PerKeyBackoff<K>(options.backoff);
    this.laneOf = options.laneOf ?? (() => '');
    this.perLane = options.perLane ?? Infinity;
  }

  add(key: K, options: AddOptions = {}): void {
    if (this.shuttingDown) return;
    const priority = options.priority ?? 'change';
    if (this.processing.has(key)) {
      this.dirty.set(key, higher(this.dirty.get(key), priority));
      return;
    }
    if (this.changes.has(key)) return;
    const lane = this.queuedIn.get(key) ?? this.lane(key);
    this.queuedIn.set(key, lane);
    if (this.resyncs.has(key)) {
      if (priority === 'change') {
        this.resyncs.delete(key);
        lane.resyncs.delete(key);
        this.changes.add(key);
        lane.changes.add(key);
      }
      return;
    }
    (priority === 'change' ? this.changes : this.resyncs).add(key);
    (priority === 'change' ? lane.changes : lane.resyncs).add(key);
    this.handOut();
  }

  /** Adds the key once `ms` have passed. An earlier pending schedule for the key wins over a later one. */
  addAfter(key: K, ms: number, options: AddOptions = {}): void {
    if (this.shuttingDown) return;
    const priority = options.priority ?? 'change';
    if (ms <= 0) {
      this.add(key, { priority });
      return;
    }
    const readyAt = this.timers.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.readyAt <= readyAt) {
      existing.priority = higher(existing.priority, priority);
      return;
    }
    if (existing) this.timers.clearTimeout(existing.handle);
    const entry: DelayedEntry = {
      readyAt,
      priority: higher(existing?.priority, priority),
      handle: this.timers.setTimeout(() => this.fireDelayed(key, entry), ms),
    };
    this.delayed.set(key, entry);
  }

  /** Adds the key after its backoff delay; each call without a forget() in between doubles the ceiling. */
  addRateLimited(key: K, options: AddOptions = {}): void {
    this.addAfter(key, this.backoff.next(key), options);
  }

  /** The key succeeded: its next failure backs off from the base delay again. */
  forget(key: K): void {
    this.backoff.forget(key);
  }

  /** Failures of the key since its last forget(). */
  retries(key: K): number {
    return this.backoff.attempts(key);
  }

  /** The next key to work on; waits while the queue is empty. Undefined once the queue shuts down. */
  get(): Promise<WorkItem<K> | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const item = this.take();
    if (item) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker finished with the key (successfully or not). Must follow every get(). */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    const held = this.heldLane.get(key);
    if (held) held.busy -= 1;
    this.heldLane.delete(key);
    const again = this.dirty.get(key);
    if (again) {
      this.dirty.delete(key);
      this.add(key, { priority: again });
    }
    this.handOut();
    if (this.processing.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** Keys of the lane queued or held by a worker right now (delayed keys do not count). */
  laneActive(name: string): number {
    const lane = this.lanes.get(name);
    return lane ? lane.changes.size + lane.resyncs.size + lane.busy : 0;
  }

  /** Keys waiting for a worker. */
  depth(): number {
    return this.changes.size + this.resyncs.size;
  }

  stats(): WorkQueueStats {
    return {
      queued: this.depth(),
      changes: this.changes.size,
      resyncs: this.resyncs.size,
      processing: this.processing.size,
      delayed: this.delayed.size,
    };
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stops handing out work: queued and delayed keys are dropped (the next start resyncs everything),
   * waiting get() calls return undefined. With `drain`, resolves once every key a worker holds is done.
   */
  async shutdown({ drain = true }: { drain?: boolean } = {}): Promise<void> {
    this.shuttingDown = true;
    for (const entry of this.delayed.values()) this.timers.clearTimeout(entry.handle);
    this.delayed.clear();
    this.changes.clear();
    this.resyncs.clear();
    for (const lane of this.lanes.values()) {
      lane.changes.clear();
      lane.resyncs.clear();
    }
    this.queuedIn.clear();
    this.dirty.clear();
    this.waiters.splice(0).forEach((resolve) => resolve(undefined));
    if (drain && this.processing.size > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /**
   * Runs `concurrency` worker loops until shutdown. A pass that resolves forgets the key's backoff (and
   * honours requeueAfterMs); a pass that throws is retried with backoff at the same priority.
   */
  async run(worker: Worker<K>, concurrency: number, options: RunOptions<K> = {}): Promise<void> {
    const loops = Array.from({ length: Math.max(1, Math.floor(concurrency)) }, () =>
      this.workerLoop(worker, options),
    );
    await Promise.all(loops);
  }

  private async workerLoop(worker: Worker<K>, options: RunOptions<K>): Promise<void> {
    for (;;) {
      const item = await this.get();
      if (!item) return;
      await this.processOne(item, worker, options);
    }
  }

  private async processOne(item: WorkItem<K>, worker: Worker<K>, options: RunOptions<K>): Promise<void> {
    try {
      const result = await worker(item);
      this.forget(item.key);
      if (result?.requeueAfterMs !== undefined) {
        this.addAfter(item.key, result.requeueAfterMs, { priority: result.priority ?? 'resync' });
      }
    } catch (error) {
      try {
        options.onError?.(item, error);
      } catch {
        // an error reporter that fails must not stop the worker loop
      }
      this.addRateLimited(item.key, { priority: item.priority });
    } finally {
      this.done(item.key);
    }
  }

  private fireDelayed(key: K, entry: DelayedEntry): void {
    if (this.delayed.get(key) !== entry) return;
    this.delayed.delete(key);
    this.add(key, { priority: entry.priority });
  }

  /** The next key: changes before resyncs, lanes in turn, no lane beyond perLane at once. */
  private take(): WorkItem<K> | undefined {
    for (const priority of ['change', 'resync'] as const) {
      if ((priority === 'change' ? this.changes : this.resyncs).size === 0) continue;
      for (let turn = 0; turn < this.laneOrder.length; turn++) {
        const name = this.laneOrder[turn] as string;
        const lane = this.lanes.get(name) as Lane<K>;
        const from = priority === 'change' ? lane.changes : lane.resyncs;
        if (from.size === 0 || lane.busy >= this.perLane) continue;
        const key = from.values().next().value as K;
        from.delete(key);
        this.queuedIn.delete(key);
        (priority === 'change' ? this.changes : this.resyncs).delete(key);
        this.processing.add(key);
        lane.busy += 1;
        this.heldLane.set(key, lane);
        // The lane served goes to the back, so the next hand-out starts with the next lane.
        this.laneOrder = [...this.laneOrder.slice(turn + 1), ...this.laneOrder.slice(0, turn + 1)];
        return { key, priority };
      }
    }
    return undefined;
  }

  private lane(key: K): Lane<K> {
    const name = this.laneOf(key);
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { changes: new Set(), resyncs: new Set(), busy: 0 };
      this.lanes.set(name, lane);
      this.laneOrder.push(name);
    }
    return lane;
  }

  private handOut(): void {
    while (this.waiters.length > 0) {
      const item = this.take();
      if (!item) return;
      this.waiters.shift()?.(item);
    }
  }
}

function higher(a: WorkPriority | undefined, b: WorkPriority): WorkPriority {
  return a === 'change' || b === 'change' ? 'change' : 'resync';
}
