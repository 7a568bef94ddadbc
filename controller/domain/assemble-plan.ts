// One way to put a Plan together from its pins and requests: drift, summary, blocked and manual are
// always derived here, never by hand, so every Plan (the planner's, the PR report's elevated one) agrees
// with its own pins.
import type {
  BlockedReason,
  DriftItem,
  Outcome,
  PinResult,
  Plan,
  PlannedRequest,
  PlanSummary,
} from './types.js';

const CHANGE_OUTCOMES: ReadonlySet<Outcome> = new Set([
  'ApplyPending',
  'Rollback',
  'ApplyPackPending',
  'ReattachPack',
  'Configure',
  'Scheduled',
]);
/** Nothing was (or may be) observed for these pins, so they show no drift. */
const UNOBSERVED: ReadonlySet<BlockedReason | undefined> = new Set([
  'AccountNotAllowed',
  'RuntimeNotFound',
  'AccountUnavailable',
  'UnknownAccount',
  'DuplicateRuntime',
]);

export interface PlanParts {
  generatedAt: string;
  atomVersions: number;
  pins: PinResult[];
  changes: PlannedRequest[];
}

export function assemblePlan({ generatedAt, atomVersions, pins, changes }: PlanParts): Plan {
  const drift = driftOf(pins);
  return {
    formatVersion: '2',
    generatedAt,
    summary: summarize(pins, atomVersions, changes.length, drift.length),
    pins,
    drift,
    changes,
    blocked: pins.filter((pin) => pin.outcome === 'Blocked'),
    manual: pins.filter((pin) => pin.outcome === 'Manual'),
  };
}

/** Pins whose live version differs from what they ask for, whatever the plan does about it. */
function driftOf(pins: readonly PinResult[]): DriftItem[] {
  const drift: DriftItem[] = [];
  for (const pin of pins) {
    if (pin.outcome === 'InSync' || UNOBSERVED.has(pin.reason)) continue;
    if (pin.current !== undefined && pin.target !== undefined && pin.current === pin.target) continue;
    const item: DriftItem = {
      key: pin.key,
      accountId: pin.accountId,
      runtimeName: pin.runtimeName,
      kind: pin.kind,
      name: pin.name,
      wanted: pin.wanted,
      actual: pin.current ?? 'absent',
      outcome: pin.outcome,
    };
    if (pin.reason !== undefined) item.reason = pin.reason;
    drift.push(item);
  }
  return drift;
}

function summarize(
  pins: readonly PinResult[],
  atomVersions: number,
  requests: number,
  drifted: number,
): PlanSummary {
  const summary: PlanSummary = {
    atomVersions,
    pins: pins.length,
    inSync: 0,
    toChange: 0,
    requests,
    waiting: 0,
    manual: 0,
    blocked: 0,
    drifted,
  };
  for (const pin of pins) {
    if (pin.outcome === 'InSync') summary.inSync += 1;
    else if (pin.outcome === 'Waiting') summary.waiting += 1;
    else if (pin.outcome === 'Manual') summary.manual += 1;
    else if (pin.outcome === 'Blocked') summary.blocked += 1;
    else if (CHANGE_OUTCOMES.has(pin.outcome)) summary.toChange += 1;
    if (pin.outcome === 'Scheduled') summary.scheduled = (summary.scheduled ?? 0) + 1;
  }
  return summary;
}
