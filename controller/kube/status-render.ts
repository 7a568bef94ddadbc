// AtomVersionStatus (what the reconciler records) → the CR's status subresource. The rendering holds
// nothing that changes from one pass to the next when nothing happened (no timestamps of the pass, no
// durations), so the same outcome twice renders the same status and costs no write. The reconcile
// history, which grows every pass, stays out unless asked for (it lives in the state dir and the
// status API).

import { canonicalJson } from '../sources/spec-generation.js';
import type { AtomVersionStatus, Condition, PinStatus, ReconcileRecord } from '../domain/status.js';
import { findCondition } from '../domain/status.js';
import { isPlainObject } from './kube-object.js';

export interface KubeCondition extends Condition {
  observedGeneration?: number;
}

/** The CR's `status` as atomsync writes it (crds/atomversion.yaml). */
export interface KubeAtomVersionStatus {
  observedGeneration?: number;
  runtimeName?: string;
  runtimeVersion?: string;
  /** Printer column Synced: 'True' when live state matches the pins; 'Unknown' when never compared. */
  synced?: 'True' | 'False' | 'Unknown';
  driftedSince?: string;
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  /** The AuditLog entry behind what the runtime runs, when a pin drifted or a manual task was done. */
  changedBy?: string;
  conditions: KubeCondition[];
  pins: PinStatus[];
  history?: ReconcileRecord[];
}

export interface RenderOptions {
  /** metadata.generation of the CR, used when the status' own generation is not a number. */
  generation?: number;
  includeHistory?: boolean;
}

/** Every top-level status field atomsync owns; a field it no longer sets is removed with `null`. */
const MANAGED_STATUS_FIELDS = [
  'observedGeneration',
  'runtimeName',
  'runtimeVersion',
  'synced',
  'driftedSince',
  'lastAppliedRevision',
  'lastAttemptedRevision',
  'changedBy',
  'conditions',
  'pins',
  'history',
] as const;

export function renderKubeStatus(
  status: AtomVersionStatus,
  options: RenderOptions = {},
): KubeAtomVersionStatus {
  const observedGeneration = generationNumber(status.observedGeneration) ?? options.generation;
  const withGeneration = observedGeneration === undefined ? {} : { observedGeneration };
  const runtimeVersion = status.runtimeVersion ?? status.pins.find((p) => p.kind === 'runtime')?.current;
  const synced = syncedOf(status);
  return {
    ...withGeneration,
    ...(status.runtimeName !== undefined ? { runtimeName: status.runtimeName } : {}),
    ...(runtimeVersion !== undefined ? { runtimeVersion } : {}),
    ...(synced ? { synced } : {}),
    ...(status.driftedSince !== undefined ? { driftedSince: status.driftedSince } : {}),
    ...(status.lastAppliedRevision !== undefined ? { lastAppliedRevision: status.lastAppliedRevision } : {}),
    ...(status.lastAttemptedRevision !== undefined
      ? { lastAttemptedRevision: status.lastAttemptedRevision }
      : {}),
    ...(status.changedBy !== undefined ? { changedBy: status.changedBy } : {}),
    conditions: status.conditions.map((c) => ({ ...conditionFields(c), ...withGeneration })),
    pins: status.pins.map((pin) => JSON.parse(JSON.stringify(pin)) as PinStatus),
    ...(options.includeHistory ? { history: status.history } : {}),
  };
}

/** The merge patch that makes the stored status equal the rendering: absent managed fields → null. */
export function statusMergePatch(rendered: KubeAtomVersionStatus): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of MANAGED_STATUS_FIELDS) patch[field] = rendered[field] ?? null;
  return patch;
}

/** Canonical text of the managed part of a status (rendered or as stored), for comparison. */
export function managedStatusText(status: unknown): string {
  const source = isPlainObject(status) ? status : {};
  const managed: Record<string, unknown> = {};
  for (const field of MANAGED_STATUS_FIELDS) {
    if (source[field] !== undefined && source[field] !== null) managed[field] = source[field];
  }
  return canonicalJson(managed);
}

function syncedOf(status: AtomVersionStatus): 'True' | 'False' | 'Unknown' | undefined {
  if (status.synced === 'True' || status.synced === 'False' || status.synced === 'Unknown')
    return status.synced;
  // The reconciler counts pins in sync ("2/3"). Drifted alone is not enough: a pin that was never
  // compared with the platform (refused by tenancy) is neither drifted nor in sync.
  const counted = /^(\d+)\/(\d+)$/.exec(status.synced ?? '');
  if (counted) return counted[1] === counted[2] ? 'True' : 'False';
  const drifted = findCondition(status.conditions, 'Drifted');
  if (drifted?.status === 'True') return 'False';
  if (drifted?.status === 'False') return 'True';
  return undefined;
}

function conditionFields(condition: Condition): Condition {
  return {
    type: condition.type,
    status: condition.status,
    reason: condition.reason,
    message: condition.message,
    lastTransitionTime: condition.lastTransitionTime,
  };
}

function generationNumber(value: string): number | undefined {
  return /^[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
}
