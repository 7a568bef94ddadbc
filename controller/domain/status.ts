// What the controller records about each AtomVersion: conditions (Kubernetes style), per-pin state and a
// bounded history of reconcile passes. The state store persists it; the Kubernetes writer maps it onto the
// status subresource (crds/atomversion.yaml `status`).

import type { PinResult, RequestKind } from './types.js';

export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled' | 'Drifted';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  /** CamelCase, machine readable: InSync, ApplyingPending, InsufficientPrivilege, SourceError… */
  reason: string;
  /** One sentence a person can act on. */
  message: string;
  /** ISO-8601; changes only when `status` flips. */
  lastTransitionTime: string;
}

/** The state of one pin as the last reconcile pass saw it. */
export type PinStatus = Pick<
  PinResult,
  | 'kind'
  | 'name'
  | 'wanted'
  | 'target'
  | 'current'
  | 'outcome'
  | 'reason'
  | 'message'
  | 'advice'
  | 'requestId'
  | 'changedBy'
>;

/** What started a reconcile pass. */
export type ReconcileTrigger = 'change' | 'resync' | 'retry' | 'webhook' | 'manual';

export type ReconcileResultKind = 'InSync' | 'Changed' | 'Waiting' | 'Blocked' | 'Failed';

export interface ReconcileAction {
  kind: RequestKind;
  action?: 'APPLY_PENDING' | 'ROLLBACK';
  runtimeName: string;
  components: string[];
  /** The platform's id for the request, once it answered. */
  requestId?: string;
}

export interface ReconcileRecord {
  /** Source revision the pass worked from. */
  revision: string;
  trigger: ReconcileTrigger;
  actions: ReconcileAction[];
  result: ReconcileResultKind;
  /** Why it failed or what blocked it, when it did. */
  message?: string;
  durationMs: number;
  /** ISO-8601 start of the pass. */
  at: string;
}

export interface AtomVersionStatus {
  /** `namespace/name`, as DesiredAtomVersion.key. */
  key: string;
  /** DesiredAtomVersion.generation of the spec last reconciled. */
  observedGeneration: string;
  conditions: Condition[];
  pins: PinStatus[];
  /** ISO-8601: since when live state has differed from the pins, while it does. */
  driftedSince?: string;
  /** Revision whose changes were last applied successfully. */
  lastAppliedRevision?: string;
  /** Revision last attempted, whatever the outcome. */
  lastAttemptedRevision?: string;
  /** Printer columns of the CRD. */
  runtimeName?: string;
  runtimeVersion?: string;
  synced?: string;
  /** Newest last; at most HISTORY_LIMIT entries. */
  history: ReconcileRecord[];
  /** Suspended at run time (dashboard or API), not in the pins: nothing is sent until it is resumed. */
  suspended?: { at: string; by: string };
  /**
   * The AuditLog entry behind what the runtime runs, when a pin drifted or a manual task was done
   * ("Atom 26.12.0 applied in the UI by jane@acme.example at 2026-12-03 10:32 UTC …"): the drifted
   * pin's, else the runtime pin's, else the first pin's that has one (pins[].changedBy has each).
   */
  changedBy?: string;
}

export const HISTORY_LIMIT = 10;

export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

/**
 * Sets one condition, keeping the others. lastTransitionTime moves only when the status flips (or the
 * condition is new); a changed reason or message alone keeps the old time. Pure: returns a new array.
 */
export function setCondition(
  conditions: readonly Condition[],
  update: ConditionUpdate,
  now: Date | string,
): Condition[] {
  const at = typeof now === 'string' ? now : now.toISOString();
  const existing = conditions.find((condition) => condition.type === update.type);
  const lastTransitionTime = existing && existing.status === update.status ? existing.lastTransitionTime : at;
  const next: Condition = { ...update, lastTransitionTime };
  if (!existing) return [...conditions, next];
  return conditions.map((condition) => (condition.type === update.type ? next : condition));
}

export function findCondition(conditions: readonly Condition[], type: ConditionType): Condition | undefined {
  return conditions.find((condition) => condition.type === type);
}

/** Appends a record and keeps the newest `limit`. Pure. */
export function appendHistory(
  history: readonly ReconcileRecord[],
  record: ReconcileRecord,
  limit = HISTORY_LIMIT,
): ReconcileRecord[] {
  return [...history, record].slice(-limit);
}
