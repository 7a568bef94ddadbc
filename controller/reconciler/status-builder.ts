// From what one reconcile pass saw and did to the AtomVersion's status (pure). Conditions follow the
// Kubernetes convention: Ready says whether the runtime runs what the pins ask; Reconciling whether work
// is under way; Stalled whether the source can deliver; Drifted whether live state differs from the pins.
import type { DesiredAtomVersion, DriftItem, Outcome, Snapshot } from '../domain/types.js';
import { RUNTIME_COMPONENT } from '../domain/types.js';
import type { SourceError } from '../sources/source.js';
import type { FinishedRequest, InFlightRequest } from './journal-settler.js';
import { failed, succeeded } from './journal-settler.js';
import { appendHistory, findCondition, setCondition } from '../domain/status.js';
import type {
  AtomVersionStatus,
  Condition,
  ConditionUpdate,
  PinStatus,
  ReconcileAction,
  ReconcileResultKind,
  ReconcileTrigger,
} from '../domain/status.js';

/** plan: the pass planned; poll: it only followed requests in flight; status: it only refreshed conditions. */
export type PassKind = 'plan' | 'poll' | 'status';

export interface Hold {
  reason: string;
  message: string;
}

export interface PassFacts {
  kind: PassKind;
  doc: DesiredAtomVersion;
  revision: string;
  trigger: ReconcileTrigger;
  startedAt: Date;
  finishedAt: Date;
  /** Pins as this pass saw them (plan passes); otherwise the previous pins stay. */
  pins?: PinStatus[];
  /** The plan's drift for this AtomVersion (plan passes). */
  drift?: DriftItem[];
  runtime?: { name: string; version?: string };
  sent: ReconcileAction[];
  inFlight: InFlightRequest[];
  finished: FinishedRequest[];
  /** Changes that could be sent but wait (restart slots, TEST before PROD, retry backoff). */
  hold?: Hold;
  sourceError?: SourceError;
  /** The source's revision in use while it reports an error. */
  sourceRevision?: string;
  /** The pass could not complete (platform unreachable, account unreadable…). */
  failure?: Hold;
  /** The platform refused the planned requests as such (HTTP 400): they are not sent again (Stalled). */
  refusal?: Hold;
  /** Suspended at run time (Suspensions): recorded in the status. */
  suspension?: { at: string; by: string };
}

const CHANGE_OUTCOMES: ReadonlySet<Outcome> = new Set([
  'ApplyPending',
  'Rollback',
  'ApplyPackPending',
  'ReattachPack',
  'Configure',
  'Scheduled',
]);
/** Blocked reasons no retry can clear: the pins or the config must change. */
const STALLING_REASONS: ReadonlySet<string> = new Set([
  'AccountNotAllowed',
  'UnknownAccount',
  'DuplicateRuntime',
]);
const RECORDED_TRIGGERS: ReadonlySet<ReconcileTrigger> = new Set(['change', 'webhook', 'manual']);

export function buildStatus(previous: AtomVersionStatus | undefined, facts: PassFacts): AtomVersionStatus {
  const pins = facts.pins ?? previous?.pins ?? [];
  const result = resultOf(facts, pins);
  const now = facts.finishedAt;
  const ready = readyCondition(facts, pins);
  const drifted = driftedCondition(facts, pins, previous);
  let conditions: Condition[] = previous?.conditions ?? [];
  conditions = setCondition(conditions, ready, now);
  conditions = setCondition(conditions, reconcilingCondition(facts, pins), now);
  conditions = setCondition(conditions, stalledCondition(facts, pins), now);
  if (drifted) conditions = setCondition(conditions, drifted, now);
  const status: AtomVersionStatus = {
    key: facts.doc.key,
    observedGeneration: facts.kind === 'status' ? (previous?.observedGeneration ?? '') : facts.doc.generation,
    conditions,
    pins,
    history: previous?.history ?? [],
  };
  if (facts.suspension) status.suspended = { ...facts.suspension };
  const changedBy = facts.pins ? headlineChangedBy(pins, facts.drift ?? []) : previous?.changedBy;
  if (changedBy) status.changedBy = changedBy;
  const isDrifted = findCondition(conditions, 'Drifted')?.status === 'True';
  if (isDrifted) status.driftedSince = previous?.driftedSince ?? now.toISOString();
  const applied =
    ready.status === 'True' || (facts.finished.some((f) => succeeded(f.status)) && result !== 'Failed');
  const lastApplied = applied ? facts.revision : previous?.lastAppliedRevision;
  if (lastApplied) status.lastAppliedRevision = lastApplied;
  const lastAttempted = facts.kind === 'status' ? previous?.lastAttemptedRevision : facts.revision;
  if (lastAttempted) status.lastAttemptedRevision = lastAttempted;
  const runtimeName = facts.runtime?.name ?? previous?.runtimeName ?? facts.doc.spec.runtime.name;
  if (runtimeName) status.runtimeName = runtimeName;
  const runtimeVersion = facts.runtime?.version ?? previous?.runtimeVersion;
  if (runtimeVersion) status.runtimeVersion = runtimeVersion;
  status.synced =
    pins.length > 0 && pins.every(notCompared)
      ? 'Unknown'
      : `${pins.filter((pin) => pin.outcome === 'InSync').length}/${pins.length}`;
  if (shouldRecord(facts, result, previous)) {
    status.history = appendHistory(status.history, {
      revision: facts.revision,
      trigger: facts.trigger,
      actions: facts.sent,
      result,
      ...(result === 'InSync' ? {} : { message: ready.message }),
      durationMs: Math.max(0, facts.finishedAt.getTime() - facts.startedAt.getTime()),
      at: facts.startedAt.toISOString(),
    });
  }
  return status;
}

export function resultOf(facts: PassFacts, pins: readonly PinStatus[]): ReconcileResultKind {
  if (facts.refusal) return 'Blocked';
  if (facts.failure || facts.finished.some((f) => failed(f.status))) return 'Failed';
  if (facts.sent.length > 0) return 'Changed';
  if (facts.inFlight.length > 0 || facts.hold || pins.some((pin) => pin.outcome === 'Waiting'))
    return 'Waiting';
  if (pins.some((pin) => pin.outcome !== 'InSync')) return 'Blocked';
  return 'InSync';
}

function readyCondition(facts: PassFacts, pins: readonly PinStatus[]): ConditionUpdate {
  const notReady = (reason: string, message: string): ConditionUpdate => ({
    type: 'Ready',
    status: 'False',
    reason,
    message,
  });
  if (facts.failure) return notReady(facts.failure.reason, facts.failure.message);
  if (facts.refusal) return notReady(facts.refusal.reason, facts.refusal.message);
  const failedRequest = facts.finished.find((f) => failed(f.status));
  if (failedRequest) {
    const { entry } = failedRequest;
    return notReady(
      'RequestFailed',
      `request ${entry.platformRequestId ?? entry.intentId} (${describeRequest(entry)}) ended FAILED on the platform; it is retried with backoff`,
    );
  }
  if (facts.sent.length > 0)
    return notReady('Progressing', `sent ${facts.sent.map(describeAction).join('; ')}`);
  if (facts.inFlight.length > 0) {
    const waiting = facts.inFlight.map(
      (r) => `request ${r.platformRequestId} (${describeRequest(r)}) is ${r.status}`,
    );
    return notReady('Progressing', `waiting: ${waiting.join('; ')}`);
  }
  if (facts.hold) return notReady(facts.hold.reason, facts.hold.message);
  const blocked = pins.filter((pin) => pin.outcome === 'Blocked');
  const first = blocked[0];
  if (first) {
    const more = blocked.length > 1 ? ` (and ${blocked.length - 1} more blocked pin(s))` : '';
    const advice = first.advice ? `. What to do: ${first.advice}` : '';
    return notReady(first.reason ?? 'Blocked', `${pinLabel(first)}: ${first.message}${advice}${more}`);
  }
  const manual = pins.find((pin) => pin.outcome === 'Manual');
  if (manual) return notReady('ManualStepsRequired', `${pinLabel(manual)}: ${manual.message}`);
  const waiting = pins.find((pin) => pin.outcome === 'Waiting');
  if (waiting) return notReady('WaitingForRequest', `${pinLabel(waiting)}: ${waiting.message}`);
  const pending = pins.find((pin) => CHANGE_OUTCOMES.has(pin.outcome));
  if (pending) return notReady('ChangesPending', `${pinLabel(pending)}: ${pending.message}`);
  const count = pins.length === 1 ? '1 pin' : `${pins.length} pins`;
  return {
    type: 'Ready',
    status: 'True',
    reason: 'InSync',
    message: `${count} in sync at revision ${short(facts.revision)}`,
  };
}

function reconcilingCondition(facts: PassFacts, pins: readonly PinStatus[]): ConditionUpdate {
  const busy = (reason: string, message: string): ConditionUpdate => ({
    type: 'Reconciling',
    status: 'True',
    reason,
    message,
  });
  if (facts.failure)
    return {
      type: 'Reconciling',
      status: 'False',
      reason: 'Failed',
      message: 'the pass failed; retrying with backoff',
    };
  if (facts.refusal)
    return {
      type: 'Reconciling',
      status: 'False',
      reason: facts.refusal.reason,
      message: 'the refused requests are not sent again until the spec or the platform changes',
    };
  if (facts.sent.length > 0 || facts.inFlight.length > 0)
    return busy('Progressing', 'requests are outstanding on the platform');
  if (facts.hold) return busy(facts.hold.reason, facts.hold.message);
  if (pins.some((pin) => pin.outcome === 'Waiting'))
    return busy('WaitingForRequest', 'a request made outside atomsync is outstanding');
  return {
    type: 'Reconciling',
    status: 'False',
    reason: 'Idle',
    message: 'nothing to do until the pins or the platform change',
  };
}

function stalledCondition(facts: PassFacts, pins: readonly PinStatus[]): ConditionUpdate {
  // Tenancy, or a pin that cannot be meant (unknown account, a runtime another AtomVersion pins): nothing
  // will change until the config or the pins do.
  const refused = pins.find((pin) => pin.reason !== undefined && STALLING_REASONS.has(pin.reason));
  if (refused?.reason)
    return { type: 'Stalled', status: 'True', reason: refused.reason, message: refused.message };
  // A permanent refusal by the platform: nothing changes until the spec or the platform does.
  if (facts.refusal)
    return { type: 'Stalled', status: 'True', reason: facts.refusal.reason, message: facts.refusal.message };
  if (facts.sourceError) {
    const using = facts.sourceRevision
      ? `still using revision ${short(facts.sourceRevision)}`
      : 'no good revision yet';
    return {
      type: 'Stalled',
      status: 'True',
      reason: facts.sourceError.code,
      message: `${facts.sourceError.message} (${using})`,
    };
  }
  return {
    type: 'Stalled',
    status: 'False',
    reason: 'SourceReady',
    message: `source at revision ${short(facts.revision)}`,
  };
}

/** Undefined on passes that did not plan: the Drifted condition then stays as it was. */
function driftedCondition(
  facts: PassFacts,
  pins: readonly PinStatus[],
  previous: AtomVersionStatus | undefined,
): ConditionUpdate | undefined {
  if (facts.drift === undefined)
    return previous
      ? undefined
      : { type: 'Drifted', status: 'Unknown', reason: 'NotObserved', message: 'not observed yet' };
  // Tenancy refused the account: the platform was never asked, so nothing is known about drift.
  if (pins.length > 0 && pins.every(notCompared))
    return {
      type: 'Drifted',
      status: 'Unknown',
      reason: 'AccountNotAllowed',
      message: 'not observed: tenancy refuses the account, so the platform was not asked',
    };
  const first = facts.drift[0];
  if (!first)
    return {
      type: 'Drifted',
      status: 'False',
      reason: 'NoDrift',
      message: 'the runtime runs what the pins ask',
    };
  const parts = facts.drift.map((item) => {
    const pin = pins.find((p) => p.kind === item.kind && p.name === item.name);
    const why = item.reason ? ` (${item.reason}${pin?.advice ? `: ${pin.advice}` : ''})` : '';
    const by = pin?.changedBy ? ` — ${pin.changedBy}` : '';
    return `${label(item.kind, item.name)} runs ${item.actual}, pinned ${item.wanted}${why}${by}`;
  });
  return {
    type: 'Drifted',
    status: 'True',
    reason: first.reason ?? first.outcome,
    message: parts.join('; '),
  };
}

/** The status' changedBy: a drifted pin's first, then the runtime pin's, then any pin's. */
function headlineChangedBy(pins: readonly PinStatus[], drift: readonly DriftItem[]): string | undefined {
  const attributed = pins.filter((pin) => pin.changedBy !== undefined);
  const drifted = attributed.find((pin) => drift.some((d) => d.kind === pin.kind && d.name === pin.name));
  return (drifted ?? attributed.find((pin) => pin.kind === 'runtime') ?? attributed[0])?.changedBy;
}

/** A pin tenancy refused was never compared with the platform. */
function notCompared(pin: PinStatus): boolean {
  return pin.reason === 'AccountNotAllowed';
}

function shouldRecord(
  facts: PassFacts,
  result: ReconcileResultKind,
  previous: AtomVersionStatus | undefined,
): boolean {
  if (facts.kind === 'status') return false;
  if (facts.sent.length > 0 || facts.finished.length > 0 || facts.failure) return true;
  if (facts.refusal && previous?.history.at(-1)?.message !== facts.refusal.message) return true;
  const last = previous?.history.at(-1);
  if (!last || last.result !== result) return true;
  return facts.kind === 'plan' && RECORDED_TRIGGERS.has(facts.trigger);
}

function describeAction(action: ReconcileAction): string {
  const verb =
    action.kind === 'AtomVersionUpdateRequest'
      ? action.action === 'ROLLBACK'
        ? 'roll back'
        : 'apply pending'
      : action.kind === 'ReattachPack'
        ? 'reattach packs'
        : action.kind === 'RuntimeReleaseSchedule' || action.kind === 'AtomForceRestartTime'
          ? 'set'
          : 'apply pending pack updates';
  const id = action.requestId ? ` (request ${action.requestId})` : '';
  return `${verb} ${action.components.join(', ')} on ${action.runtimeName}${id}`;
}

function describeRequest(entry: { kind: string; action?: string; components: string[] }): string {
  const what = entry.kind === 'AtomVersionUpdateRequest' ? (entry.action ?? 'APPLY_PENDING') : entry.kind;
  return `${what} ${entry.components.join(', ')}`;
}

function pinLabel(pin: PinStatus): string {
  return label(pin.kind, pin.name);
}

function label(kind: string, name: string): string {
  return kind === 'connector' || kind === 'pack' ? `${kind} ${name}` : name;
}

function short(revision: string): string {
  return revision.length > 12 ? revision.slice(0, 12) : revision || '(none)';
}

/** The status fields of a planned pin. */
export function toPinStatus(pin: PinStatus): PinStatus {
  const status: PinStatus = {
    kind: pin.kind,
    name: pin.name,
    wanted: pin.wanted,
    outcome: pin.outcome,
    message: pin.message,
  };
  if (pin.target !== undefined) status.target = pin.target;
  if (pin.current !== undefined) status.current = pin.current;
  if (pin.reason !== undefined) status.reason = pin.reason;
  if (pin.advice !== undefined) status.advice = pin.advice;
  if (pin.requestId !== undefined) status.requestId = pin.requestId;
  if (pin.changedBy !== undefined) status.changedBy = pin.changedBy;
  return status;
}

/** The runtime's name and Atom version as the snapshot shows them. */
export function runtimeOf(
  snapshot: Snapshot | undefined,
  runtimeId: string | undefined,
): Pick<PassFacts, 'runtime'> {
  if (!snapshot || !runtimeId) return {};
  for (const account of Object.values(snapshot.accounts)) {
    const runtime = account.runtimes.find((candidate) => candidate.id === runtimeId);
    if (!runtime) continue;
    const version = runtime.components.find((c) => c.name === RUNTIME_COMPONENT)?.version;
    return { runtime: { name: runtime.name, ...(version ? { version } : {}) } };
  }
  return {};
}

/** A key that vanished because its source never delivered: keep its status, marked Stalled. */
export function stalledOrphan(
  previous: AtomVersionStatus,
  error: SourceError | undefined,
  now: Date,
): AtomVersionStatus {
  const stalled = {
    type: 'Stalled' as const,
    status: 'True' as const,
    reason: error?.code ?? 'SourceUnavailable',
    message: `${error?.message ?? 'the source is unavailable'} (no good revision read since the start)`,
  };
  return { ...previous, conditions: setCondition(previous.conditions, stalled, now) };
}

/** Equal statuses are not written again (an idle resync writes nothing). */
export function sameStatus(a: AtomVersionStatus | undefined, b: AtomVersionStatus): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
