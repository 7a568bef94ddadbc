// `atomsync run` for IntegrationPackRelease documents (docs/publisher.md, "Under run and on Kubernetes"):
// the same sources as the AtomVersions feed the release documents (update()); a cycle plans them all with
// the `plan`/`apply` pipeline (observeAndPlanFollowing), sends what is to be sent without waiting for it,
// follows each request's ReleaseIntegrationPackStatus on later cycles, and keeps a Flux-style status per
// document. A cycle runs on start, when a source changes, every resync, and every poll interval while a
// request is in progress. Cycles never overlap; what a generation may send is decided in
// release-judgement.ts.
import type { Logger } from 'pino';
import { accountBookOf } from '../config/account-book.js';
import type { AtomsyncConfig } from '../config/types.js';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { PackReleaseChange, PackReleaseResult } from '../domain/plan-pack-releases.js';
import { tenancyDenial } from '../domain/tenancy.js';
import { silentLogger } from '../log/logger.js';
import {
  observeAndPlanFollowing,
  sendPackReleases,
  type FollowedReleases,
} from '../pipeline/pack-releases.js';
import type { AccountTarget } from '../platform/observe.js';
import { CoalescingRunner } from '../util/coalescing-runner.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import { isFollowed, judgeRelease, judgeSent, type Hold, type Judgement } from './release-judgement.js';
import { conditionsOf, ReleaseStatusStore, type PackReleaseStatus } from './release-status.js';

/** The request ids `plan`/`apply` follow (`<stateDir>/pack-releases.json`, controller/cli/release-ledger.ts). */
export interface ReleaseLedger {
  read(): Promise<FollowedReleases>;
  record(sent: readonly { accountId: string; requestId: string }[]): Promise<void>;
}

export interface ReleaseEvent {
  key: string;
  type: 'Normal' | 'Warning';
  reason: string;
  /** What atomsync did or tried: Release, Reconcile. */
  action: string;
  message: string;
}

/** What a source knows of a release's earlier sends (a Kubernetes object's status): survives a failover. */
export type RecordedRelease = Pick<
  PackReleaseStatus,
  'sentGeneration' | 'sendingGeneration' | 'lastRequestId' | 'releaseStatus'
>;

export interface ReleaseReconcilerOptions {
  config: AtomsyncConfig;
  targets: readonly AccountTarget[];
  stateDir: string;
  ledger: ReleaseLedger;
  /** Every document is planned again this often. */
  resyncMs: number;
  /** Look again this soon while a request is in progress. */
  pollMs: number;
  /** Run-time suspension (the AtomVersions' suspensions.json): nothing is sent for a suspended key. */
  isSuspended?: (key: string) => boolean;
  logger?: Logger;
  timers?: Timers;
  now?: () => Date;
  /** After a status was stored (undefined: the document is gone). */
  onStatus?: (key: string, status: PackReleaseStatus | undefined) => void | Promise<void>;
  onEvent?: (event: ReleaseEvent) => void | Promise<void>;
}

/** A source's object that is not a valid release (what a Kubernetes CRD cannot check): Stalled on itself. */
export interface RefusedRelease {
  key: string;
  generation: string;
  pack: string;
  /** Each problem: the field and what is wrong. */
  message: string;
}

/** What a source's status records of a key's sends, read when asked (undefined: nothing). */
export type RecordedLookup = (key: string) => RecordedRelease | undefined;

interface SourceReleases {
  releases: readonly DesiredPackRelease[];
  recorded: RecordedLookup;
  refused: readonly RefusedRelease[];
}

interface Cycle {
  byKey: Map<string, PackReleaseResult>;
  /** releaseStatus by request id, as this cycle's observation read them. */
  followed: ReadonlyMap<string, string>;
}

/** A failed cycle (platform unreachable…) is tried again this soon, at most. */
const RETRY_CAP_MS = 30_000;

export class ReleaseReconciler {
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly now: () => Date;
  private readonly sources = new Map<string, SourceReleases>();
  private readonly runner = new CoalescingRunner(() => this.cycle());
  private store?: ReleaseStatusStore;
  private timer?: TimerHandle;
  private running = false;

  constructor(private readonly options: ReleaseReconcilerOptions) {
    this.logger = options.logger ?? silentLogger();
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? (() => new Date(this.timers.now()));
  }

  /** A source's release documents now (a whole snapshot); a cycle follows when running. */
  update(
    sourceName: string,
    releases: readonly DesiredPackRelease[],
    recorded: RecordedLookup = () => undefined,
    refused: readonly RefusedRelease[] = [],
  ): void {
    this.sources.set(sourceName, { releases, recorded, refused });
    if (this.running) void this.runner.run();
  }

  /** Opens the status file (before leading, so the status API answers) — idempotent. */
  async open(): Promise<void> {
    this.store ??= await ReleaseStatusStore.open(this.options.stateDir);
  }

  /** Starts cycling (this replica leads); resolves after the first cycle. */
  async start(): Promise<void> {
    await this.open();
    this.running = true;
    await this.runner.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    await this.runner.idle();
  }

  /** Runs a cycle now (a webhook, tests); resolves when one that started after the call is done. */
  reconcileNow(): Promise<void> {
    return this.runner.run();
  }

  statuses(): PackReleaseStatus[] {
    return this.store?.all() ?? [];
  }

  status(key: string): PackReleaseStatus | undefined {
    return this.store?.get(key);
  }

  /** Whether a source holds this key (the status API's 404). */
  has(key: string): boolean {
    return this.desired().some((release) => release.key === key);
  }

  private async cycle(): Promise<void> {
    if (!this.running || !this.store) return;
    let nextMs = this.options.resyncMs;
    try {
      nextMs = await this.reconcileAll(this.store);
    } catch (error) {
      nextMs = Math.min(this.options.resyncMs, RETRY_CAP_MS);
      this.logger.warn({ err: error }, `releases: the cycle failed, trying again in ${nextMs} ms`);
    }
    this.schedule(nextMs);
  }

  /** One cycle over every document; returns when the next one is due (ms). */
  private async reconcileAll(store: ReleaseStatusStore): Promise<number> {
    const desired = this.desired();
    const refusals = this.refusals(desired);
    const planned = desired.filter((release) => !refusals.has(release.key));
    const followed = await this.followedIds(planned, store);
    const { plan, followedStatuses } = await observeAndPlanFollowing(
      this.options.config,
      this.options.targets,
      planned,
      followed,
    );
    const cycle: Cycle = {
      byKey: new Map(plan.results.map((result) => [result.key, result])),
      followed: followedStatuses,
    };
    const changes = new Map(plan.changes.map((change) => [change.key, change]));
    let inProgress = false;
    for (const release of desired) {
      const status = await this.reconcileOne(
        release,
        cycle,
        refusals.get(release.key),
        changes.get(release.key),
      );
      if (status.conditions.some((c) => c.type === 'Reconciling')) inProgress = true;
    }
    const invalid = this.invalid(desired);
    for (const refused of invalid) await this.recordInvalid(refused);
    const keys = [...desired, ...invalid].map((release) => release.key);
    await this.forgetRemoved(store, new Set(keys));
    return inProgress ? this.options.pollMs : this.options.resyncMs;
  }

  private async reconcileOne(
    release: DesiredPackRelease,
    cycle: Cycle,
    refusal: { reason: string; message: string } | undefined,
    change: PackReleaseChange | undefined,
  ): Promise<PackReleaseStatus> {
    const previous = this.previousOf(release);
    const result = cycle.byKey.get(release.key);
    // Only a planned release's request still in progress or scheduled is followed; a settled one keeps
    // what it ended as.
    const followedStatus =
      !refusal && previous?.lastRequestId && isFollowed(previous.releaseStatus)
        ? cycle.followed.get(previous.lastRequestId)
        : undefined;
    const verdict = judgeRelease({
      generation: release.generation,
      ...(previous ? { previous } : {}),
      ...(result ? { result } : {}),
      ...(refusal ? { refusal } : {}),
      ...(followedStatus ? { followedStatus } : {}),
      suspended: this.options.isSuspended?.(release.key) ?? false,
    });
    const base = this.baseStatus(release, previous, result, followedStatus);
    if (!verdict.send) return this.record(base, verdict, previous);
    if (!change) return this.record(base, notPlanned(), previous);
    return this.send(release, base, change, result);
  }

  /** Marks the send, sends (reading the status once, never waiting), then records the answer. */
  private async send(
    release: DesiredPackRelease,
    base: PackReleaseStatus,
    change: PackReleaseChange,
    result: PackReleaseResult | undefined,
  ): Promise<PackReleaseStatus> {
    const marked = { ...base, sendingGeneration: release.generation };
    await this.store?.put(marked);
    const [sent] = await sendPackReleases(this.options.targets, [change], {
      pollMs: this.options.pollMs,
      deadline: 0,
    });
    const { sendingGeneration: _, ...answered } = marked;
    if (!sent || sent.requestId === undefined) {
      const message = `sending the release failed: ${sent?.error ?? 'no answer'}; atomsync does not send this generation again on its own: edit the document to try again`;
      const failed = { ...answered, sentGeneration: release.generation };
      return this.record(failed, { state: 'Stalled', reason: 'ReleaseRequestFailed', message }, base);
    }
    await this.options.ledger.record([{ accountId: change.accountId, requestId: sent.requestId }]);
    const status: PackReleaseStatus = {
      ...answered,
      sentGeneration: release.generation,
      lastRequestId: sent.requestId,
      ...(sent.releaseStatus !== undefined && { releaseStatus: sent.releaseStatus }),
    };
    await this.announce(release.key, {
      type: 'Normal',
      reason: 'ReleaseSent',
      action: 'Release',
      message: `${change.operation === 'UPDATE' ? 'updated the scheduled release' : 'sent the release'}: ${result?.message ?? change.packName} (ReleaseIntegrationPack request ${sent.requestId})`,
    });
    return this.record(status, judgeSent(sentResult(result), sent.requestId, sent.releaseStatus), base);
  }

  private async record(
    status: PackReleaseStatus,
    judgement: Judgement,
    previous: PackReleaseStatus | undefined,
  ): Promise<PackReleaseStatus> {
    const stored: PackReleaseStatus = {
      ...status,
      conditions: conditionsOf(previous?.conditions ?? [], judgement, this.now()),
      lastReconciled: this.now().toISOString(),
    };
    await this.store?.put(stored);
    if (
      readyReason(previous) !== judgement.reason ||
      previous?.observedGeneration !== status.observedGeneration
    )
      await this.announceJudgement(status.key, judgement);
    await this.tellStatus(status.key, stored);
    return stored;
  }

  private baseStatus(
    release: DesiredPackRelease,
    previous: PackReleaseStatus | undefined,
    result: PackReleaseResult | undefined,
    followedStatus: string | undefined,
  ): PackReleaseStatus {
    const book = accountBookOf(this.options.config);
    const { conditions: _, lastReconciled: __, ...kept } = previous ?? { conditions: [], lastReconciled: '' };
    const releaseStatus = followedStatus ?? previous?.releaseStatus;
    return {
      ...kept,
      key: release.key,
      observedGeneration: release.generation,
      conditions: [],
      ...(book.knows(release.spec.account) ? { accountId: book.idOf(release.spec.account) } : {}),
      pack: result?.pack ?? release.spec.pack,
      ...(releaseStatus !== undefined && { releaseStatus }),
      lastReconciled: '',
    };
  }

  /** The stored status, with what the source recorded of a send this replica does not know (failover). */
  private previousOf(release: DesiredPackRelease): PackReleaseStatus | undefined {
    const stored = this.store?.get(release.key);
    const recorded = this.recordedOf(release.key);
    const knows = (status: RecordedRelease | undefined) =>
      status?.sentGeneration === release.generation || status?.sendingGeneration === release.generation;
    if (!recorded || knows(stored) || !knows(recorded)) return stored;
    return {
      ...(stored ?? {
        key: release.key,
        observedGeneration: '',
        conditions: [],
        pack: release.spec.pack,
        lastReconciled: '',
      }),
      ...recorded,
    };
  }

  private recordedOf(key: string): RecordedRelease | undefined {
    for (const source of this.sources.values()) {
      const recorded = source.recorded(key);
      if (recorded) return recorded;
    }
    return undefined;
  }

  /** Every source's documents; a key held by two sources is the first source's. */
  private desired(): DesiredPackRelease[] {
    const byKey = new Map<string, DesiredPackRelease>();
    for (const { releases } of this.sources.values())
      for (const release of releases) if (!byKey.has(release.key)) byKey.set(release.key, release);
    return [...byKey.values()];
  }

  /** Objects the sources refused as invalid, unless a valid document holds the key. */
  private invalid(desired: readonly DesiredPackRelease[]): RefusedRelease[] {
    const valid = new Set(desired.map((release) => release.key));
    return [...this.sources.values()].flatMap(({ refused }) => refused).filter((r) => !valid.has(r.key));
  }

  private async recordInvalid(refused: RefusedRelease): Promise<void> {
    const previous = this.store?.get(refused.key);
    const status: PackReleaseStatus = {
      ...previous,
      key: refused.key,
      observedGeneration: refused.generation,
      conditions: [],
      pack: refused.pack,
      lastReconciled: '',
    };
    const message = `${refused.message}: fix the spec; nothing is read or sent until then`;
    await this.record(status, { state: 'Stalled', reason: 'InvalidSpec', message }, previous);
  }

  /** Documents refused before planning: an account the config does not have, or tenancy. */
  private refusals(desired: readonly DesiredPackRelease[]): Map<string, { reason: string; message: string }> {
    const book = accountBookOf(this.options.config);
    const refusals = new Map<string, { reason: string; message: string }>();
    for (const release of desired) {
      const { account } = release.spec;
      if (!book.knows(account)) {
        const message = `account '${account}' is not in the config: set spec.account to the publisher account's alias or id under accounts:`;
        refusals.set(release.key, { reason: 'UnknownAccount', message });
        continue;
      }
      const denial = tenancyDenial(this.options.config.tenancy, book, release.namespace, account);
      if (denial)
        refusals.set(release.key, {
          reason: 'AccountNotAllowed',
          message: `${denial.message}: ${denial.advice}`,
        });
    }
    return refusals;
  }

  /** The ledger's request ids plus the ones the statuses follow (a new leader's ledger may be empty). */
  private async followedIds(
    planned: readonly DesiredPackRelease[],
    store: ReleaseStatusStore,
  ): Promise<FollowedReleases> {
    const ids = new Map(
      Object.entries(await this.options.ledger.read()).map(([a, list]) => [a, new Set(list)]),
    );
    for (const release of planned) {
      const previous = this.previousOf(release) ?? store.get(release.key);
      if (previous?.accountId === undefined || previous.lastRequestId === undefined) continue;
      const set = ids.get(previous.accountId) ?? new Set<string>();
      ids.set(previous.accountId, set.add(previous.lastRequestId));
    }
    return Object.fromEntries([...ids].map(([account, set]) => [account, [...set]]));
  }

  private async forgetRemoved(store: ReleaseStatusStore, keys: ReadonlySet<string>): Promise<void> {
    for (const key of store.keys()) {
      if (keys.has(key)) continue;
      await store.delete(key);
      this.logger.info({ key }, 'IntegrationPackRelease no longer managed');
      await this.tellStatus(key, undefined);
    }
  }

  private async announceJudgement(key: string, judgement: Judgement): Promise<void> {
    const warning = judgement.state === 'Stalled';
    await this.announce(key, {
      type: warning ? 'Warning' : 'Normal',
      reason: judgement.reason,
      action: 'Reconcile',
      message: judgement.message,
    });
  }

  private async announce(key: string, event: Omit<ReleaseEvent, 'key'>): Promise<void> {
    const level = event.type === 'Warning' ? 'warn' : 'info';
    this.logger[level]({ key, reason: event.reason }, `IntegrationPackRelease ${key}: ${event.message}`);
    try {
      await this.options.onEvent?.({ key, ...event });
    } catch (error) {
      this.logger.warn({ key, err: error }, 'release event listener failed');
    }
  }

  private async tellStatus(key: string, status: PackReleaseStatus | undefined): Promise<void> {
    try {
      await this.options.onStatus?.(key, status);
    } catch (error) {
      this.logger.warn({ key, err: error }, 'release status listener failed');
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.runner.run(), ms);
  }
}

function readyReason(status: PackReleaseStatus | undefined): string | undefined {
  return status?.conditions.find((condition) => condition.type === 'Ready')?.reason;
}

function notPlanned(): Hold {
  return { send: false, state: 'Stalled', reason: 'NotPlanned', message: 'the plan has no change to send' };
}

/** After a send the plan's Release result describes what was sent: judged as settled. */
function sentResult(result: PackReleaseResult | undefined): PackReleaseResult | undefined {
  return result && { ...result, outcome: 'InSync' };
}
