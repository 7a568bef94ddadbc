// `atomsync run`'s engine: sources feed the desired set; a work queue hands one AtomVersion at a time to
// a KeyReconciler (key-reconciler.ts); a resync tick observes each account once and queues every key so
// drift made outside git is found; statuses go to the state store (and to onStatus, for Kubernetes).
import type { Logger } from 'pino';
import type { TenancyConfig } from '../config/types.js';
import { silentLogger } from '../log/logger.js';
import type { AtomVersionStatus } from '../domain/status.js';
import { AccountBook } from '../domain/accounts.js';
import type { AccountSnapshot, MaintenanceWindow, ReleaseCalendar } from '../domain/types.js';
import { PinRefusals } from './pin-refusals.js';
import { readPrincipal } from '../platform/principal.js';
import type { RequestEvent } from '../platform/request-counter.js';
import type { AccountTarget } from '../platform/observe.js';
import type { Source, SourceSnapshot } from '../sources/source.js';
import { formatProblem } from '../sources/load-pins.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import type { BackoffOptions } from '../util/backoff.js';
import { DesiredSet, type SourceState } from './desired-set.js';
import type { ControllerMetrics } from './metrics.js';
import { PlatformReachability } from './platform-reachability.js';
import { KeyReconciler, PassError, type NotifyHook, type PassOutcome } from './key-reconciler.js';
import { RequestJournal } from './request-journal.js';
import { RequestStatusBoard } from './request-status-board.js';
import { RestartGate } from './restart-gate.js';
import { primeAccounts, resyncOrder } from './resync.js';
import { SnapshotCache } from './snapshot-cache.js';
import { ChangeAttribution } from './change-attribution.js';
import { StateStore } from './state-store.js';
import { StatusIndex } from './status-index.js';
import { Suspensions, type Suspension } from './suspensions.js';
import type { ReconcileTrigger } from '../domain/status.js';
import { WorkQueue, type WorkItem, type WorkPriority, type WorkResult } from './work-queue.js';

export interface ReconcileLoopOptions {
  targets: AccountTarget[];
  sources: Source[];
  /** Holds status/ and the request journal (requests.json + requests.log). */
  stateDir: string;
  /** AtomVersions reconciled at once. Default 4. */
  concurrency?: number;
  /**
   * AtomVersions of one account reconciled at once (default: no limit beyond `concurrency`). Keys are
   * handed out round-robin across accounts either way, so accounts progress in parallel.
   */
  concurrencyPerAccount?: number;
  maxConcurrentRestarts?: number;
  defaultWindows?: MaintenanceWindow[];
  tenancy?: TenancyConfig;
  /** The Runtime Release dates for Scheduled pins and holds: the config's, or the embedded platform's own. */
  releaseCalendar?: () => Promise<ReleaseCalendar | undefined>;
  /** Every key is looked at again this often (drift made outside git). Default 5 min. */
  resyncMs?: number;
  /** Look again this soon while a request is in flight. Default 2 s. */
  pollMs?: number;
  /** How long a resync tick's account snapshots serve the keys' passes. Default min(60 s, resync/2). */
  snapshotTtlMs?: number;
  /** First wait before re-sending after a request FAILED. Default 10 s (doubles, capped at 10 min). */
  failedRequestBackoffMs?: number;
  /** Backoff of passes that fail (platform unreachable…). */
  queueBackoff?: BackoffOptions;
  logger?: Logger;
  metrics?: ControllerMetrics;
  now?: () => Date;
  timers?: Timers;
  /**
   * Resolves when this replica may reconcile (leader election). Sources start before it is awaited, so a
   * standby stays warm; readiness holds during standby. Resolve it on shutdown too.
   */
  waitForLeadership?: () => Promise<void>;
  /** Told about plans and ended requests (the `notify:` section). */
  notifier?: NotifyHook;
  /**
   * Who changed it: name the AuditLog entry behind drifted pins and done manual tasks in the status and
   * the notifications (at most one AuditLog query per account per observation; change-attribution.ts).
   * `atomsync run` turns it on.
   */
  auditLog?: boolean;
  /** Keys other reconcilers hold (IntegrationPackReleases) that may be suspended here too. */
  alsoSuspendable?: (key: string) => boolean;
  /** Called after a key's status was stored (undefined: the key is gone). For the Kubernetes writer. */
  onStatus?: (key: string, status: AtomVersionStatus | undefined) => void | Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: { name: string; ok: boolean; message: string }[];
}

interface PendingWork {
  trigger: ReconcileTrigger;
  statusOnly: boolean;
  /** When the pass was asked for (ms): a shared snapshot taken since then may serve it. */
  askedAt: number;
}

const DEFAULT_RESYNC_MS = 300_000;
export const DEFAULT_POLL_MS = 2_000;
/** A webhook labels the changes its fetch brings for this long. */
const WEBHOOK_LABEL_MS = 60_000;
const TRIGGER_RANK: Record<ReconcileTrigger, number> = {
  resync: 0,
  retry: 1,
  change: 2,
  webhook: 3,
  manual: 4,
};

export class ReconcileLoop {
  readonly desired = new DesiredSet();
  readonly queue: WorkQueue<string>;
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly now: () => Date;
  private readonly resyncMs: number;
  private readonly targets: ReadonlyMap<string, AccountTarget>;
  private readonly accounts: AccountBook;
  private readonly cache: SnapshotCache;
  private readonly gate: RestartGate;
  private readonly reachability = new PlatformReachability();
  private readonly index = new StatusIndex();
  private readonly pending = new Map<string, PendingWork>();
  private readonly carried = new Map<string, ReconcileTrigger>();
  private readonly webhookAt = new Map<string, number>();
  private readonly refusals = new PinRefusals();
  private store?: StateStore;
  private journal?: RequestJournal;
  private suspended?: Suspensions;
  private reconciler?: KeyReconciler;
  private board?: RequestStatusBoard;
  private workers?: Promise<void>;
  private resyncTimer?: TimerHandle;
  private ticking?: Promise<void>;
  private phase: 'new' | 'starting' | 'standby' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(private readonly options: ReconcileLoopOptions) {
    this.logger = options.logger ?? silentLogger();
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? (() => new Date(this.timers.now()));
    this.resyncMs = options.resyncMs ?? DEFAULT_RESYNC_MS;
    this.targets = new Map(options.targets.map((target) => [target.accountId, target] as const));
    this.accounts = new AccountBook(options.targets);
    this.cache = new SnapshotCache(options.snapshotTtlMs ?? Math.min(60_000, this.resyncMs / 2), () =>
      this.timers.now(),
    );
    this.gate = new RestartGate(options.maxConcurrentRestarts ?? 2);
    this.queue = new WorkQueue<string>({
      timers: this.timers,
      ...(options.queueBackoff ? { backoff: options.queueBackoff } : {}),
      laneOf: (key) => this.accountOf(String(key)),
      ...(options.concurrencyPerAccount ? { perLane: options.concurrencyPerAccount } : {}),
    });
    options.metrics?.bind({
      queueDepth: () => this.queue.depth(),
      pinCounts: () => this.index.pinCounts(),
      drifted: () => this.index.drifted(),
      now: () => this.timers.now(),
    });
  }

  /** Opens the state, starts the sources and the workers, and queues every AtomVersion once. */
  async start(): Promise<void> {
    if (this.phase !== 'new') throw new Error('the controller was already started');
    this.phase = 'starting';
    const { stateDir } = this.options;
    this.store = await StateStore.open(stateDir);
    this.journal = await RequestJournal.open(stateDir, { now: this.now });
    this.suspended = await Suspensions.open(stateDir);
    for (const problem of [...this.store.problems, ...this.journal.problems])
      this.logger.warn({ code: problem.code, file: problem.file }, problem.message);
    for (const status of this.store.all()) this.index.update(status);
    const pollMs = this.options.pollMs ?? DEFAULT_POLL_MS;
    const board = new RequestStatusBoard({
      journal: this.journal,
      clientFor: (accountId) => this.targets.get(accountId)?.client,
      pollMs,
      now: () => this.timers.now(),
      onEnded: (accountId, runtimeIds, wholeAccount) =>
        this.cache.invalidate(accountId, wholeAccount ? undefined : runtimeIds),
      timers: this.timers,
      workPending: (accountId) => this.queue.laneActive(accountId) > 0,
      readUnderWay: (accountId) => this.cache.readingAfterLastWrite(accountId),
      wake: (keys) => {
        for (const key of keys) this.queue.add(key, { priority: 'change' });
      },
      onPollError: (accountId, error) =>
        this.logger.warn(
          { accountId, err: error },
          'reading the status of requests in flight failed; trying again with backoff',
        ),
    });
    this.board = board;
    this.reconciler = new KeyReconciler({
      board,
      desired: this.desired,
      targets: this.targets,
      accounts: this.accounts,
      cache: this.cache,
      journal: this.journal,
      store: this.store,
      gate: this.gate,
      maxConcurrentRestarts: this.options.maxConcurrentRestarts ?? 2,
      defaultWindows: this.options.defaultWindows ?? [],
      ...(this.options.tenancy ? { tenancy: this.options.tenancy } : {}),
      ...(this.options.releaseCalendar ? { releaseCalendar: this.options.releaseCalendar } : {}),
      pollMs,
      failedRequestBackoffMs: this.options.failedRequestBackoffMs ?? 10_000,
      now: this.now,
      clockMs: () => this.timers.now(),
      logger: this.logger,
      ...(this.options.notifier ? { notifier: this.options.notifier } : {}),
      refusalOf: (key) => this.refusals.of(key),
      learnRuntimes: (account) => this.learnRuntimes([account]),
      suspensions: this.suspended,
      ...(this.options.auditLog ? { attribution: this.changeAttribution() } : {}),
    });
    for (const source of this.options.sources) this.desired.register(source.name);
    await Promise.all(
      this.options.sources.map((source) => source.start((snapshot) => this.onSnapshot(source, snapshot))),
    );
    if (this.phase !== 'starting') return;
    if (this.options.waitForLeadership) {
      this.phase = 'standby';
      this.logger.info('standing by: sources are warm, reconciling starts once this replica leads');
      await this.options.waitForLeadership();
      if (this.phase !== 'standby') return;
    }
    this.phase = 'running';
    this.workers = this.queue.run((item) => this.work(item), this.options.concurrency ?? 4, {
      onError: (item, error) => this.onPassError(item, error),
    });
    this.logger.info(
      { atomVersions: this.desired.size, sources: this.desired.sources().map(describeSource) },
      'controller started',
    );
    await this.resync(this.startupChanges());
  }

  /** Stops the sources, lets in-flight passes finish, and flushes the state. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped' || this.phase === 'stopping') return;
    this.phase = 'stopping';
    if (this.resyncTimer !== undefined) this.timers.clearTimeout(this.resyncTimer);
    await Promise.allSettled(this.options.sources.map((source) => source.stop()));
    this.board?.close();
    await this.queue.shutdown({ drain: true });
    await this.workers;
    await this.ticking?.catch(() => undefined);
    await this.journal?.close();
    await this.store?.close();
    this.phase = 'stopped';
    this.logger.info('controller stopped');
  }

  /** Runs a resync tick now: observe each account once, queue every key (changes first). */
  async resync(changeKeys: ReadonlySet<string> = new Set()): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.tick(changeKeys).finally(() => {
      this.ticking = undefined;
      this.scheduleResync();
    });
    return this.ticking;
  }

  /** Queues one AtomVersion (`manual` trigger); false when no source holds it. */
  requestReconcile(namespace: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    if (!this.desired.has(key) || this.phase !== 'running') return false;
    this.enqueue(key, 'manual', 'change');
    return true;
  }

  /**
   * Suspends one AtomVersion at run time (`flux suspend`): it is still observed, requests in flight are
   * followed, nothing new is sent. Persisted in the state folder; a pass records it in the status at once.
   * False when no source holds it.
   */
  async suspend(namespace: string, name: string, by: string): Promise<boolean> {
    const key = `${namespace}/${name}`;
    if (!this.suspended || !(this.desired.has(key) || this.options.alsoSuspendable?.(key))) return false;
    await this.suspended.suspend(key, { at: this.now().toISOString(), by });
    if (this.phase === 'running' && this.desired.has(key)) this.enqueue(key, 'manual', 'change');
    return true;
  }

  /** Lifts a run-time suspension and reconciles at once; false when the key was not suspended here. */
  async resume(namespace: string, name: string): Promise<boolean> {
    const key = `${namespace}/${name}`;
    if (!this.suspended || !(await this.suspended.resume(key))) return false;
    if (this.phase === 'running' && this.desired.has(key)) this.enqueue(key, 'manual', 'change');
    return true;
  }

  /** Run-time suspensions by key (empty before start). */
  suspensions(): ReadonlyMap<string, Suspension> {
    return this.suspended?.all() ?? new Map();
  }

  /** A webhook arrived: git sources fetch now. Returns how many sources were triggered. */
  triggerGitSources(): number {
    let triggered = 0;
    for (const source of this.options.sources) {
      if (!source.name.startsWith('git:') || !source.triggerNow) continue;
      this.webhookAt.set(source.name, this.timers.now());
      source.triggerNow();
      triggered += 1;
    }
    return triggered;
  }

  /** Feed for the platform client's onRequest hook (readiness: is the platform reachable?). */
  onPlatformRequest(event: RequestEvent): void {
    this.reachability.record(event);
  }

  readiness(): Readiness {
    const sources = this.desired.sources();
    const unsynced = sources.filter((source) => !source.synced).map((source) => source.name);
    const platform =
      this.phase === 'standby'
        ? { reachable: true, message: 'standby: another replica leads and talks to the platform' }
        : this.targets.size === 0
          ? { reachable: true, message: 'no accounts configured' }
          : this.reachability.state();
    const checks = [
      {
        name: 'sources',
        ok: (this.phase === 'running' || this.phase === 'standby') && unsynced.length === 0,
        message:
          unsynced.length > 0 ? `waiting for ${unsynced.join(', ')}` : `${sources.length} source(s) synced`,
      },
      { name: 'platform', ok: platform.reachable, message: platform.message },
    ];
    return { ready: checks.every((check) => check.ok), checks };
  }

  statuses(): AtomVersionStatus[] {
    return (this.store?.all() ?? [])
      .map((status) => this.withSuspension(status))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  status(key: string): AtomVersionStatus | undefined {
    const status = this.store?.get(key);
    return status && this.withSuspension(status);
  }

  /**
   * The run-time suspension as it is now: suspend() and resume() answer before the pass that records it
   * has run (it may wait behind other keys), and a reader asking right after must not see the old one.
   */
  private withSuspension(status: AtomVersionStatus): AtomVersionStatus {
    const suspension = this.suspended?.get(status.key);
    const { suspended: _, ...rest } = status;
    return suspension ? { ...rest, suspended: { ...suspension } } : rest;
  }

  sourceStates(): SourceState[] {
    return this.desired.sources();
  }

  /** Resolves once no key is queued, delayed or being worked on (tests, benchmarks). */
  async idle(pollMs = 20): Promise<void> {
    for (;;) {
      const stats = this.queue.stats();
      if (stats.queued === 0 && stats.processing === 0 && stats.delayed === 0 && !this.ticking) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** The account a key's AtomVersion names (its work-queue lane); '' for a key no source holds. */
  private accountOf(key: string): string {
    const doc = this.desired.get(key)?.doc;
    return doc ? this.accounts.idOf(doc.spec.account) : '';
  }

  private onSnapshot(source: Source, snapshot: SourceSnapshot): void {
    const diff = this.desired.update(source.name, snapshot);
    const refusalsChanged = this.reviewRefusals();
    this.logSnapshot(source, snapshot, diff.added.length + diff.changed.length + diff.removed.length);
    if (diff.shadowed.length > 0)
      this.logger.warn(
        { source: source.name, keys: diff.shadowed },
        'AtomVersions also defined by an earlier source are ignored here',
      );
    if (this.phase !== 'running') return;
    const trigger = this.labelFor(source.name);
    const changed = new Set([...diff.added, ...diff.changed, ...diff.removed]);
    for (const key of changed) this.enqueue(key, trigger, 'change');
    // A new pin on a runtime already pinned refuses its neighbour too: that one's status changes now.
    for (const key of refusalsChanged) if (!changed.has(key)) this.enqueue(key, 'change', 'change');
    if (!diff.errorChanged) return;
    for (const key of diff.keysOfSource) if (!changed.has(key)) this.enqueue(key, 'change', 'change', true);
  }

  private labelFor(sourceName: string): ReconcileTrigger {
    const at = this.webhookAt.get(sourceName);
    if (at === undefined) return 'change';
    this.webhookAt.delete(sourceName);
    return this.timers.now() - at <= WEBHOOK_LABEL_MS ? 'webhook' : 'change';
  }

  private enqueue(
    key: string,
    trigger: ReconcileTrigger,
    priority: WorkPriority,
    statusOnly = false,
    askedAt = this.timers.now(),
  ): void {
    const pending = this.pending.get(key);
    this.pending.set(key, {
      trigger: pending && TRIGGER_RANK[pending.trigger] > TRIGGER_RANK[trigger] ? pending.trigger : trigger,
      statusOnly: (pending?.statusOnly ?? true) && statusOnly,
      askedAt: Math.max(pending?.askedAt ?? -Infinity, askedAt),
    });
    this.queue.add(key, { priority });
  }

  private async work(item: WorkItem<string>): Promise<WorkResult | void> {
    const reconciler = this.reconciler;
    if (!reconciler) return;
    const pending = this.pending.get(item.key);
    this.pending.delete(item.key);
    const trigger = pending?.trigger ?? this.carried.get(item.key) ?? defaultTrigger(item.priority);
    try {
      const outcome = await reconciler.reconcile({
        key: item.key,
        trigger,
        statusOnly: pending?.statusOnly ?? false,
        ...(pending ? { snapshotNotBefore: pending.askedAt } : {}),
      });
      await this.afterPass(outcome);
      if (outcome.awaitsWake) {
        this.carried.set(item.key, trigger);
        return;
      }
      if (outcome.requeueAfterMs === undefined) {
        this.carried.delete(item.key);
        return;
      }
      this.carried.set(item.key, trigger);
      return { requeueAfterMs: outcome.requeueAfterMs, priority: 'change' };
    } catch (error) {
      if (error instanceof PassError) await this.afterPass(error.outcome);
      else this.options.metrics?.recordReconcile('Failed', 0);
      throw error;
    }
  }

  private onPassError(item: WorkItem<string>, error: unknown): void {
    const retries = this.queue.retries(item.key);
    this.logger.warn(
      { key: item.key, code: (error as { code?: unknown }).code, retries },
      `reconcile failed, retrying with backoff: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (!this.pending.has(item.key))
      this.pending.set(item.key, { trigger: 'retry', statusOnly: false, askedAt: Infinity });
  }

  private async afterPass(outcome: PassOutcome): Promise<void> {
    if (outcome.result !== 'Removed')
      this.options.metrics?.recordReconcile(outcome.result, outcome.durationMs);
    const before = this.index.readyReason(outcome.key);
    if (outcome.status) this.index.update(outcome.status);
    else this.index.remove(outcome.key);
    const after = this.index.readyReason(outcome.key);
    const level = outcome.result === 'Changed' || before !== after ? 'info' : 'debug';
    this.logger[level](
      { key: outcome.key, result: outcome.result, ready: after, durationMs: outcome.durationMs },
      outcome.result === 'Removed' ? 'AtomVersion no longer managed' : 'reconciled',
    );
    // Every pass reports its status, changed or not: the listener decides what to write (the Kubernetes
    // status writer writes only what differs from the stored status, so a new generation that needs no
    // platform action still moves observedGeneration, and a status edited by someone else is put back).
    try {
      await this.options.onStatus?.(outcome.key, outcome.status);
    } catch (error) {
      this.logger.warn({ key: outcome.key, err: error }, 'status listener failed');
    }
  }

  /** Keys whose spec changed while the controller was down, are new, vanished, or have requests in flight. */
  private startupChanges(): Set<string> {
    const changes = new Set<string>();
    const store = this.store;
    for (const key of this.journal?.outstanding().map((entry) => entry.key) ?? []) changes.add(key);
    for (const entry of this.desired.entries()) {
      if (store?.get(entry.doc.key)?.observedGeneration !== entry.doc.generation) changes.add(entry.doc.key);
    }
    for (const key of store?.keys() ?? []) if (!this.desired.has(key)) changes.add(key);
    return changes;
  }

  private async tick(changeKeys: ReadonlySet<string>): Promise<void> {
    if (this.phase !== 'running') return;
    const started = this.timers.now();
    const docs = this.desired.entries().map((entry) => entry.doc);
    const scope = {
      accounts: this.accounts,
      ...(this.options.tenancy ? { tenancy: this.options.tenancy } : {}),
    };
    try {
      const observed = await primeAccounts(this.targets, this.cache, docs, scope);
      this.reachability.recordObservations(observed);
      this.learnRuntimes(observed);
    } catch (error) {
      this.logger.warn({ err: error }, 'resync could not observe the platform; keys plan on their own');
    }
    const unrefused = docs.filter((doc) => this.refusals.of(doc.key) === undefined);
    const ordered = await resyncOrder(this.targets, this.cache, unrefused, this.gate, this.now(), {
      ...scope,
      maxConcurrentRestarts: this.options.maxConcurrentRestarts ?? 2,
      defaultWindows: this.options.defaultWindows ?? [],
    }).catch(() => [] as string[]);
    await this.probePlatform();
    const keys = new Set([...changeKeys, ...ordered, ...docs.map((doc) => doc.key)]);
    for (const key of keys) {
      const kind = changeKeys.has(key) ? 'change' : 'resync';
      this.enqueue(key, kind, kind, false, started);
    }
    this.logger.debug({ keys: keys.size, ms: this.timers.now() - started }, 'resync queued');
  }

  private changeAttribution(): ChangeAttribution {
    return new ChangeAttribution((accountId, message) =>
      this.logger.warn(
        { accountId },
        `the AuditLog could not be read; statuses and notifications do not name who changed versions: ${message}`,
      ),
    );
  }

  /** Refusals over the whole desired set again; returns the keys whose refusal appeared, changed or went. */
  private reviewRefusals(): string[] {
    const docs = this.desired.entries().map((entry) => entry.doc);
    const changed = this.refusals.review(docs, this.accounts);
    for (const key of changed) {
      const refusal = this.refusals.of(key);
      if (refusal)
        this.logger.warn({ key, reason: refusal.reason }, `AtomVersion refused: ${refusal.message}`);
    }
    return changed;
  }

  /** What observations showed of each account's runtimes; refusals are reviewed when that changed. */
  private learnRuntimes(accounts: readonly AccountSnapshot[]): void {
    if (!this.refusals.learn(accounts)) return;
    const changed = this.reviewRefusals();
    if (this.phase !== 'running') return;
    for (const key of changed) this.enqueue(key, 'change', 'change');
  }

  /** With nothing to observe, one cheap read tells readiness whether the platform answers. */
  private async probePlatform(): Promise<void> {
    const target = this.targets.values().next().value as AccountTarget | undefined;
    if (!target || this.reachability.known) return;
    await readPrincipal(target.client).catch(() => undefined);
  }

  private scheduleResync(): void {
    if (this.phase !== 'running') return;
    if (this.resyncTimer !== undefined) this.timers.clearTimeout(this.resyncTimer);
    this.resyncTimer = this.timers.setTimeout(() => void this.resync(), this.resyncMs);
  }

  private logSnapshot(source: Source, snapshot: SourceSnapshot, changed: number): void {
    const fields = {
      source: source.name,
      revision: snapshot.revision,
      atomVersions: snapshot.desired.length,
      changed,
      problems: snapshot.problems.length,
    };
    if (snapshot.error) {
      this.logger.warn({ ...fields, code: snapshot.error.code }, `source error: ${snapshot.error.message}`);
    } else {
      this.logger.info(fields, 'source snapshot');
    }
    for (const problem of snapshot.problems.slice(0, 20))
      this.logger.warn({ source: source.name, code: problem.code }, formatProblem(problem));
    for (const refused of (snapshot.refused ?? []).slice(0, 20))
      this.logger.warn(
        { source: source.name, key: refused.key, code: refused.reason },
        `AtomVersion ${refused.key} refused: ${refused.message}`,
      );
  }
}

function defaultTrigger(priority: WorkPriority): ReconcileTrigger {
  return priority === 'change' ? 'change' : 'resync';
}

function describeSource(state: SourceState): object {
  return { name: state.name, revision: state.revision, ...(state.error ? { error: state.error.code } : {}) };
}
