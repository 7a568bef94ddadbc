// One reconcile pass of one AtomVersion:
//   1. settle its journal entries (requests sent earlier, also by a process that died);
//   2. while a request is in flight: only poll it (poll pass) and let the account's poll loop wake the key
//      when the request ends (request-status-board.ts; without a board: come back after pollMs) — a
//      worker is never blocked while a runtime restarts, and nothing runs per key while it waits;
//   3. otherwise plan just this AtomVersion against its account's shared observation (snapshot-cache.ts:
//      one read per account serves every key of it, read again only for runtimes written to since, or when
//      the pass was asked for after it was taken), pass the restart gate, and send the first wave through
//      executeRequests with the journal hooks (intend → send → record);
//   4. build and store the status.
import type { Logger } from 'pino';
import type { AccountBook } from '../domain/accounts.js';
import { plan as planDesired } from '../domain/plan.js';
import type { Tenancy } from '../domain/tenancy.js';
import type {
  AccountSnapshot,
  DesiredAtomVersion,
  MaintenanceWindow,
  Plan,
  PlannedRequest,
  PlanOptions,
  ReleaseCalendar,
  RuntimeRef,
  Snapshot,
} from '../domain/types.js';
import type { PinRefusal } from '../domain/pin-refusals.js';
import type { AccountTarget } from '../platform/observe.js';
import type { SourceError } from '../sources/source.js';
import { backoffCeiling } from '../util/backoff.js';
import type { DesiredSet } from './desired-set.js';
import { failed, settleJournal, succeeded } from './journal-settler.js';
import type { SettleResult } from './journal-settler.js';
import { observeAndPlan, planWithEnvironments, scopesByAccount } from '../pipeline/observe-and-plan.js';
import { indexRuntimes } from '../domain/runtime-lookup.js';
import type { RequestStatusBoard } from './request-status-board.js';
import type { EndedRequest } from '../notify/notifications.js';
import type { JournalEntry, RequestJournal } from './request-journal.js';
import { restartsRuntime, type RestartGate } from './restart-gate.js';
import { sendChanges, type SendResult } from './send-changes.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { ChangeAttribution } from './change-attribution.js';
import { explainSuspension, withSuspension, type Suspension } from './suspensions.js';
import type { StateStore } from './state-store.js';
import {
  buildStatus,
  resultOf,
  runtimeOf,
  sameStatus,
  stalledOrphan,
  toPinStatus,
  type Hold,
  type PassFacts,
} from './status-builder.js';
import type {
  AtomVersionStatus,
  PinStatus,
  ReconcileResultKind,
  ReconcileTrigger,
} from '../domain/status.js';

export interface KeyReconcilerDeps {
  desired: DesiredSet;
  /** By account id. */
  targets: ReadonlyMap<string, AccountTarget>;
  accounts: AccountBook;
  cache: SnapshotCache;
  journal: RequestJournal;
  /** Reads request statuses in bulk per account; without it, one GET per request. */
  board?: RequestStatusBoard;
  store: StateStore;
  gate: RestartGate;
  maxConcurrentRestarts: number;
  defaultWindows: MaintenanceWindow[];
  tenancy?: Tenancy;
  /** The Runtime Release dates plans use for Scheduled pins and holds (config or the embedded platform). */
  releaseCalendar?: () => Promise<ReleaseCalendar | undefined>;
  /** How soon to look again while a request is in flight. */
  pollMs: number;
  /** First delay before re-sending after a request FAILED (doubles up to 10 min). */
  failedRequestBackoffMs: number;
  now: () => Date;
  /** The clock of the work queue and the snapshot cache (ms); `now` may be the platform's calendar. */
  clockMs?: () => number;
  logger: Logger;
  random?: () => number;
  /** Told about every plan and every request that ended (notify/); never throws. */
  notifier?: NotifyHook;
  /** AtomVersions suspended at run time: planned as `policy.suspend: true`, so nothing is sent. */
  suspensions?: { get(key: string): Suspension | undefined };
  /** Why this AtomVersion cannot be meant (domain/pin-refusals.ts); refused keys are never written to. */
  refusalOf?: (key: string) => PinRefusal | undefined;
  /** A fresh observation of an account: which runtimes it has (name ↔ id, for duplicates by name and id). */
  learnRuntimes?: (account: AccountSnapshot) => void;
  /** Who changed it: the AuditLog entry behind drifted pins and done manual tasks (change-attribution.ts). */
  attribution?: ChangeAttribution;
}

export interface NotifyHook {
  planned(keys: Iterable<string>, plan: Plan): Promise<void>;
  requestsEnded(requests: readonly EndedRequest[]): Promise<void>;
}

export interface PassRequest {
  key: string;
  trigger: ReconcileTrigger;
  /** Only the source's condition changed: refresh the status without asking the platform. */
  statusOnly: boolean;
  /** A shared account snapshot taken at or after this time (ms) may serve the pass. */
  snapshotNotBefore?: number;
}

export interface PassOutcome {
  key: string;
  result: ReconcileResultKind | 'Removed';
  status?: AtomVersionStatus;
  requeueAfterMs?: number;
  /** The account's poll loop wakes the key (its request ended, or its account became quiet). */
  awaitsWake?: boolean;
  /** The pass failed; the queue retries it with backoff. */
  error?: PassError;
  durationMs: number;
}

/** A pass that could not finish; its status was written before it was thrown. */
export class PassError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly outcome: PassOutcome,
  ) {
    super(message);
    this.name = 'PassError';
  }
}

const FAILED_REQUEST_BACKOFF_CAP_MS = 600_000;
/** Longest a confirming read waits for the account's other work, in polls. */
const CONFIRM_DEFER_POLLS = 20;
/** Waiting on a request atomsync did not send (a schedule, a person) is polled less eagerly. */
const EXTERNAL_WAIT_FACTOR = 5;

interface Context {
  request: PassRequest;
  doc: DesiredAtomVersion;
  revision: string;
  sourceError?: SourceError;
  started: Date;
  previous: AtomVersionStatus | undefined;
  accountId: string;
  suspension?: Suspension;
}

export class KeyReconciler {
  /** Per key: no re-send before this time (ms), after a request of ours ended FAILED. */
  private readonly resendNotBefore = new Map<string, number>();
  private readonly resendFailures = new Map<string, number>();
  /** Per key: requests the platform refused as such (400) for a spec generation; not sent again. */
  private readonly platformRefusals = new Map<string, { generation: string; requests: string; hold: Hold }>();
  /** Per key: since when (ms) its confirming read has been put off for the account's other work. */
  private readonly confirmingSince = new Map<string, number>();
  /**
   * Per account: a key waits for a restart slot that only the platform shows taken; from this time (ms)
   * its passes plan on a new read of the account, the one way to see that restart end. One time per
   * account, so the keys waiting there share the read.
   */
  private readonly recheckAt = new Map<string, number>();

  constructor(private readonly deps: KeyReconcilerDeps) {}

  async reconcile(request: PassRequest): Promise<PassOutcome> {
    const started = this.deps.now();
    const entry = this.deps.desired.get(request.key);
    if (!entry) return this.removed(request.key, await this.settle(request.key), started);
    const source = this.deps.desired.source(entry.source);
    const suspension = this.deps.suspensions?.get(request.key);
    const context: Context = {
      request,
      doc: withSuspension(entry.doc, suspension),
      ...(suspension ? { suspension } : {}),
      revision: entry.revision,
      ...(source?.error ? { sourceError: source.error } : {}),
      started,
      previous: this.deps.store.get(request.key),
      accountId: this.deps.accounts.idOf(entry.doc.spec.account),
    };
    if (request.statusOnly && context.previous)
      return this.finish(context, { kind: 'status', ...emptySettle(), sent: [] });
    let settled = emptySettle();
    try {
      settled = await this.settle(request.key);
      if (settled.finished.length > 0) await this.afterFinished(context, settled);
      if (settled.inFlight.length > 0) {
        return await this.finish(
          context,
          { kind: 'poll', ...settled, sent: [] },
          this.waitForRequests(context),
        );
      }
      return await this.planAndAct(context, settled);
    } catch (error) {
      if (error instanceof PassError) throw error;
      return this.fail(context, { kind: 'poll', ...settled, sent: [] }, error);
    }
  }

  private async settle(key: string): Promise<SettleResult> {
    const board = this.deps.board;
    const settled = await settleJournal(
      this.deps.journal,
      key,
      (id) => this.deps.targets.get(id)?.client,
      board ? (entry) => board.statusOf(entry) : undefined,
    );
    for (const finished of settled.finished) {
      this.deps.gate.finished(finished.entry.runtimeId);
      if (finished.entry.platformRequestId)
        board?.forget(finished.entry.accountId, finished.entry.platformRequestId);
    }
    for (const flying of settled.inFlight) {
      if (restartsRuntime(flying)) this.deps.gate.started(flying.runtimeId, undefined);
    }
    return settled;
  }

  private async afterFinished(context: Context, settled: SettleResult): Promise<void> {
    // The board marked what it saw end when it read it; anything else that ended marks the account here.
    const unseen = settled.finished.filter(
      (f) => !this.deps.board || f.entry.platformRequestId === undefined,
    );
    if (unseen.length > 0) this.deps.cache.invalidate(context.accountId);
    await this.deps.notifier?.requestsEnded(
      settled.finished.map(({ entry, status }) => endedRequest(context.doc, entry, status)),
    );
    const key = context.request.key;
    if (settled.finished.some((f) => failed(f.status))) {
      const failures = (this.resendFailures.get(key) ?? 0) + 1;
      this.resendFailures.set(key, failures);
      const ceiling = backoffCeiling(
        failures - 1,
        this.deps.failedRequestBackoffMs,
        FAILED_REQUEST_BACKOFF_CAP_MS,
      );
      const random = this.deps.random ?? Math.random;
      this.resendNotBefore.set(key, this.deps.now().getTime() + ceiling / 2 + (random() * ceiling) / 2);
    } else if (settled.finished.some((f) => succeeded(f.status))) {
      this.resendFailures.delete(key);
      this.resendNotBefore.delete(key);
    }
  }

  private async planAndAct(context: Context, settled: SettleResult): Promise<PassOutcome> {
    if (this.putOffConfirming(context)) {
      const hold: Hold = {
        reason: 'Confirming',
        message:
          'the platform is still busy with requests of this account; the next observation of the account confirms the result',
      };
      return this.finish(context, { kind: 'poll', ...settled, sent: [], hold }, this.waitForQuiet(context));
    }
    this.confirmingSince.delete(context.request.key);
    const refused = this.deps.refusalOf?.(context.request.key);
    if (refused) return this.refuse(context, settled, refused);
    const planned = await this.planKey(context);
    const { snapshot } = planned;
    const plan = await this.attribute(context, planned.plan, snapshot);
    // What this observation showed may make the pin a duplicate (a runtime pinned by name and by id).
    const late = this.deps.refusalOf?.(context.request.key);
    if (late) return this.refuse(context, settled, late);
    await this.deps.notifier?.planned([context.request.key], plan);
    const account = snapshot?.accounts[context.accountId];
    if (account?.error) {
      throw new PlanFailure(
        'AccountUnavailable',
        `account ${context.accountId} could not be read: ${account.error.message}`,
      );
    }
    const key = context.request.key;
    // The gate learnt what this snapshot shows when it was read (observeShared's prepare). Noting it again
    // here would let a cached, older snapshot undo what a newer read taught the gate: a restart that has
    // ended would hold its slot until the cache expired.
    const pins = plan.pins
      .filter((pin) => pin.key === key)
      .map((pin) => explainSuspension(toPinStatus(pin), context.suspension));
    const changes = firstWave(plan.changes.filter((change) => change.keys.includes(key)));
    const facts: FactsDraft = {
      kind: 'plan',
      ...settled,
      sent: [],
      pins,
      drift: plan.drift.filter((item) => item.key === key),
      ...runtimeOf(snapshot, plan.pins.find((pin) => pin.key === key && pin.runtimeId)?.runtimeId),
    };
    this.noteTestChanges(key, changes);
    if (changes.length === 0) return this.finish(context, facts, this.requeueForExternalWait(pins));
    const refusal = this.refusedBefore(key, context.doc.generation, changes);
    if (refusal) return this.finish(context, { ...facts, refusal });
    const hold = this.holdFor(key, changes);
    if (hold) return this.finish(context, { ...facts, hold: hold.hold }, hold.retryMs);
    const sent = await this.send(context, changes, pins);
    facts.sent = sent.actions;
    if (sent.error) {
      await this.deps.notifier?.requestsEnded([notSent(context.doc, changes, sent.error)]);
      if (sent.refused) {
        const refused = {
          reason: 'PlatformRefused',
          message: `the platform refused the request: ${sent.error}`,
        };
        this.platformRefusals.set(key, {
          generation: context.doc.generation,
          requests: requestsIdentity(changes),
          hold: refused,
        });
        return this.finish(context, { ...facts, refusal: refused });
      }
      return this.fail(context, facts, new PlanFailure('SendFailed', sent.error));
    }
    return this.finish(context, facts, this.waitForRequests(context));
  }

  /** The plan with who changed what the key's runtime runs, when something is to be explained. */
  private async attribute(context: Context, plan: Plan, snapshot: Snapshot | undefined): Promise<Plan> {
    const { attribution, targets, cache } = this.deps;
    const target = targets.get(context.accountId);
    if (!attribution || !target || !snapshot || snapshot.accounts[context.accountId]?.error) return plan;
    return attribution.attribute({
      target,
      cycle: cache.observationOf(context.accountId),
      key: context.request.key,
      plan,
      before: context.previous?.pins ?? [],
    });
  }

  /** The board's poll loop wakes the key when one of its requests ends; without a board, poll again. */
  private waitForRequests(context: Context): Requeue {
    const key = context.request.key;
    const watched = this.deps.board?.watch(context.accountId, key, this.deps.journal.outstandingOf(key));
    return watched ? 'onWake' : this.deps.pollMs;
  }

  /** The board's poll loop wakes a Confirming key when its account is quiet (or its wait is up). */
  private waitForQuiet(context: Context): Requeue {
    const { key } = context.request;
    const since = this.confirmingSince.get(key) ?? this.clockMs();
    const latest = since + CONFIRM_DEFER_POLLS * this.deps.pollMs;
    return this.deps.board?.wakeWhenQuiet(context.accountId, key, latest) ? 'onWake' : this.deps.pollMs;
  }

  private async releaseCalendarOption(): Promise<{ releaseCalendar?: ReleaseCalendar }> {
    const releaseCalendar = await this.deps.releaseCalendar?.();
    return releaseCalendar ? { releaseCalendar } : {};
  }

  private clockMs(): number {
    return this.deps.clockMs?.() ?? this.deps.now().getTime();
  }

  /**
   * A pin that cannot be meant: every pin Blocked with the refusal's reason (the status turns Stalled),
   * the platform neither read nor written. Requests sent before the refusal are still followed (settle).
   */
  private refuse(context: Context, settled: SettleResult, refusal: PinRefusal): Promise<PassOutcome> {
    const target = this.deps.targets.get(context.accountId);
    const now = target ? target.client.platformNow() : this.deps.now();
    const options: PlanOptions = {
      now,
      maxConcurrentRestarts: this.deps.maxConcurrentRestarts,
      defaultWindows: this.deps.defaultWindows,
      accounts: this.deps.accounts,
      refusals: new Map([[refusal.key, refusal]]),
    };
    const plan = planDesired([context.doc], { takenAt: now.toISOString(), accounts: {} }, options);
    const pins = plan.pins.map(toPinStatus);
    return this.finish(context, { kind: 'plan', ...settled, sent: [], pins });
  }

  /**
   * Plans the key against its account's shared observation: the cached one when it was read after the
   * pass was asked for and after the last write to the key's runtime, else a new one shared with the
   * account's other keys. A plan with pins waiting on someone else's request looks again first.
   */
  private async planKey(context: Context): Promise<{ plan: Plan; snapshot?: Snapshot }> {
    const { doc, accountId } = context;
    const target = this.deps.targets.get(accountId);
    // Plan by the platform's clock (its Date header), so release dates and windows follow its calendar.
    const options = {
      now: target ? target.client.platformNow() : this.deps.now(),
      maxConcurrentRestarts: this.deps.maxConcurrentRestarts,
      defaultWindows: this.deps.defaultWindows,
      accounts: this.deps.accounts,
      ...(this.deps.tenancy ? { tenancy: this.deps.tenancy } : {}),
      ...(await this.releaseCalendarOption()),
    };
    if (!target) return observeAndPlan([], [doc], options);
    const nowMs = this.deps.clockMs?.() ?? this.deps.now().getTime();
    // A pass asked for at a time (a commit, a person, a retry) plans on a read made since.
    let notBefore = Math.min(
      Math.max(context.request.snapshotNotBefore ?? -Infinity, this.takeRecheck(accountId, nowMs)),
      nowMs,
    );
    let account = this.deps.cache.freshFor(accountId, doc.spec.runtime, notBefore);
    for (let attempt = 0; ; attempt++) {
      if (!account) account = await this.observeShared(target, doc, notBefore, options);
      if (!account) return observeAndPlan([target], [doc], options);
      const snapshot: Snapshot = { takenAt: options.now.toISOString(), accounts: { [accountId]: account } };
      // An account that could not be read fails its keys at once (planAndAct) instead of each re-reading.
      if (account.error) return { plan: planDesired([doc], snapshot, options), snapshot };
      const plan = await planWithEnvironments([target], [doc], snapshot, options);
      const waiting = plan.pins.some((pin) => pin.outcome === 'Waiting');
      if (!waiting || attempt > 0 || this.deps.cache.freshFor(accountId, doc.spec.runtime, nowMs))
        return { plan, snapshot };
      account = undefined;
      notBefore = nowMs;
    }
  }

  /**
   * One observation of the account for all its AtomVersions (shared by the passes that ask meanwhile),
   * with the environments its changes need already read; the key's runtimes from it.
   */
  private async observeShared(
    target: AccountTarget,
    doc: DesiredAtomVersion,
    notBefore: number,
    options: PlanOptions,
  ): Promise<AccountSnapshot | undefined> {
    const { accountId } = target;
    const docs = this.deps.desired
      .entries()
      .map((entry) => entry.doc)
      .filter((candidate) => this.deps.accounts.idOf(candidate.spec.account) === accountId);
    const scope = scopesByAccount(this.deps.accounts, docs, this.deps.tenancy).get(accountId);
    if (!scope) return undefined;
    const read = await this.deps.cache.refresh(target, scope, {
      notBefore,
      prepare: async (account) => {
        const snapshot: Snapshot = { takenAt: options.now.toISOString(), accounts: { [accountId]: account } };
        await planWithEnvironments([target], docs, snapshot, options);
        const pinned = pinnedRuntimeIds(account, scope.runtimes);
        this.deps.gate.notePlatform(account.runtimes, (id) => pinned.has(id));
      },
    });
    const fresh = this.deps.cache.freshFor(accountId, doc.spec.runtime, notBefore);
    if (fresh || read.error) return fresh ?? read;
    return undefined;
  }

  /**
   * A follow-up pass whose runtime changed since the account was last read (its request just ended) waits
   * while the account's rate budget goes to writes or other requests of the account are still in flight,
   * up to 20 polls: then one observation confirms many runtimes instead of one each.
   */
  private putOffConfirming(context: Context): boolean {
    const { request, accountId, doc } = context;
    if (request.snapshotNotBefore !== undefined) return false;
    const target = this.deps.targets.get(accountId);
    if (!target || this.deps.cache.freshFor(accountId, doc.spec.runtime) !== undefined) return false;
    const busy =
      this.deps.board?.accountBusy(accountId) ??
      (target.client.rateBacklogMs() > 0 || this.deps.journal.outstandingOfAccount(accountId).length > 0);
    if (!busy) return false;
    const now = this.clockMs();
    const since = this.confirmingSince.get(request.key) ?? now;
    this.confirmingSince.set(request.key, since);
    return now - since < CONFIRM_DEFER_POLLS * this.deps.pollMs;
  }

  private noteTestChanges(key: string, changes: readonly PlannedRequest[]): void {
    if (changes.some((change) => restartsRuntime(change) && change.classification !== 'PROD'))
      this.deps.gate.noteTestChange(key);
    else this.deps.gate.clearTestChange(key);
  }

  /** The platform's refusal of exactly these requests for this spec generation, if it refused them. */
  private refusedBefore(
    key: string,
    generation: string,
    changes: readonly PlannedRequest[],
  ): Hold | undefined {
    const refused = this.platformRefusals.get(key);
    if (!refused) return undefined;
    if (refused.generation === generation && refused.requests === requestsIdentity(changes))
      return refused.hold;
    this.platformRefusals.delete(key);
    return undefined;
  }

  private holdFor(
    key: string,
    changes: readonly PlannedRequest[],
  ): { hold: Hold; retryMs: number } | undefined {
    const notBefore = this.resendNotBefore.get(key);
    const now = this.deps.now().getTime();
    if (notBefore !== undefined && notBefore > now) {
      const seconds = Math.ceil((notBefore - now) / 1000);
      return {
        hold: {
          reason: 'RequestFailed',
          message: `the last request failed on the platform; trying again in ${seconds}s`,
        },
        retryMs: notBefore - now,
      };
    }
    const verdict = this.deps.gate.admit(key, changes);
    if (verdict.admitted) return undefined;
    if (this.deps.gate.busyByPlatformOnly) this.scheduleRecheck(changes[0]?.accountId, this.clockMs());
    return { hold: { reason: verdict.reason, message: verdict.message }, retryMs: this.deps.pollMs };
  }

  private scheduleRecheck(accountId: string | undefined, now: number): void {
    if (accountId === undefined || this.recheckAt.has(accountId)) return;
    this.recheckAt.set(accountId, now + this.deps.pollMs * EXTERNAL_WAIT_FACTOR);
  }

  /** The time a read must have begun at to serve this pass: the account's due recheck, once. */
  private takeRecheck(accountId: string, nowMs: number): number {
    const at = this.recheckAt.get(accountId);
    if (at === undefined || at > nowMs) return -Infinity;
    this.recheckAt.delete(accountId);
    return at;
  }

  private send(context: Context, changes: PlannedRequest[], pins: PinStatus[]): Promise<SendResult> {
    const request = { key: context.request.key, accountId: context.accountId, revision: context.revision };
    return sendChanges(this.deps, request, changes, pins);
  }

  private requeueForExternalWait(pins: readonly PinStatus[]): number | undefined {
    return pins.some((pin) => pin.outcome === 'Waiting')
      ? this.deps.pollMs * EXTERNAL_WAIT_FACTOR
      : undefined;
  }

  /** A key no source holds any more: follow what is in flight, then forget it. Nothing is sent. */
  private async removed(key: string, settled: SettleResult, started: Date): Promise<PassOutcome> {
    this.deps.gate.clearTestChange(key);
    this.confirmingSince.delete(key);
    this.resendNotBefore.delete(key);
    this.resendFailures.delete(key);
    this.platformRefusals.delete(key);
    const durationMs = this.deps.now().getTime() - started.getTime();
    if (settled.inFlight.length > 0)
      return { key, result: 'Waiting', requeueAfterMs: this.deps.pollMs, durationMs };
    const hidden = this.deps.desired.anySourceWithoutContent;
    const previous = this.deps.store.get(key);
    if (hidden && previous) {
      const stalled = stalledOrphan(previous, hidden.error, this.deps.now());
      await this.deps.store.put(stalled);
      return { key, result: 'Blocked', status: stalled, durationMs };
    }
    if (previous) await this.deps.store.delete(key);
    return { key, result: 'Removed', durationMs };
  }

  private async finish(context: Context, draft: FactsDraft, requeue?: Requeue): Promise<PassOutcome> {
    const finishedAt = this.deps.now();
    const facts: PassFacts = {
      ...draft,
      doc: context.doc,
      revision: context.revision,
      trigger: context.request.trigger,
      startedAt: context.started,
      finishedAt,
      ...(context.sourceError ? { sourceError: context.sourceError, sourceRevision: context.revision } : {}),
      ...(context.suspension ? { suspension: context.suspension } : {}),
    };
    const status = buildStatus(context.previous, facts);
    if (!sameStatus(context.previous, status)) await this.deps.store.put(status);
    const result = resultOf(facts, status.pins);
    const outcome: PassOutcome = {
      key: context.request.key,
      result,
      status,
      durationMs: finishedAt.getTime() - context.started.getTime(),
    };
    if (requeue === 'onWake') outcome.awaitsWake = true;
    else if (requeue !== undefined) outcome.requeueAfterMs = requeue;
    return outcome;
  }

  /** Writes the status with the failure, then throws so the queue retries with backoff. */
  private async fail(context: Context, draft: FactsDraft, error: unknown): Promise<never> {
    const failure = describeFailure(error);
    const outcome = await this.finish(context, { ...draft, failure });
    throw new PassError(failure.reason, failure.message, outcome);
  }
}

/** Come back after this many ms, or when the board's poll loop wakes the key. */
type Requeue = number | 'onWake';

type FactsDraft = Omit<PassFacts, 'doc' | 'revision' | 'trigger' | 'startedAt' | 'finishedAt'>;

class PlanFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function describeFailure(error: unknown): Hold {
  if (error instanceof PlanFailure) return { reason: error.code, message: error.message };
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return {
    reason: typeof code === 'string' && /^[A-Z][A-Za-z]+$/.test(code) ? code : 'ReconcileFailed',
    message,
  };
}

function endedRequest(doc: DesiredAtomVersion, entry: JournalEntry, status: string): EndedRequest {
  return {
    key: doc.key,
    accountId: entry.accountId,
    runtimeId: entry.runtimeId,
    runtimeName: doc.spec.runtime.name ?? entry.runtimeId,
    components: entry.components,
    ...(entry.action ? { action: entry.action } : {}),
    ...(entry.platformRequestId ? { requestId: entry.platformRequestId } : {}),
    status,
  };
}

function notSent(doc: DesiredAtomVersion, changes: readonly PlannedRequest[], error: string): EndedRequest {
  const first = changes[0];
  return {
    key: doc.key,
    accountId: first?.accountId ?? '',
    runtimeId: first?.runtimeId ?? '',
    runtimeName: first?.runtimeName ?? doc.spec.runtime.name ?? '',
    components: changes.flatMap((change) => change.components),
    status: 'NOT_SENT',
    error,
  };
}

/** The runtimes an observation read in depth: those the account's pins name. */
function pinnedRuntimeIds(account: AccountSnapshot, refs: readonly RuntimeRef[]): Set<string> {
  const index = indexRuntimes(account.runtimes);
  const ids = new Set<string>();
  for (const ref of refs) {
    if (ref.id !== undefined) ids.add(ref.id);
    else for (const runtime of index.byName.get(ref.name ?? '') ?? []) ids.add(runtime.id);
  }
  return ids;
}

function emptySettle(): SettleResult {
  return { inFlight: [], finished: [] };
}

/** What makes two sets of planned requests the same: runtime, kind, action and components of each. */
function requestsIdentity(changes: readonly PlannedRequest[]): string {
  return changes
    .map(
      (c) =>
        `${c.accountId}/${c.runtimeId} ${c.kind} ${c.action ?? ''} ${[...c.components].sort().join('+')}`,
    )
    .sort()
    .join('\n');
}

function firstWave(changes: PlannedRequest[]): PlannedRequest[] {
  const first = Math.min(...changes.map((change) => change.wave));
  return changes.filter((change) => change.wave === first);
}
