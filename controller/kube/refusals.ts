// The status and the Event of an AtomVersion atomsync refuses on its own (an invalid spec, a runtime
// another AtomVersion pins too): Stalled with the reason on the AtomVersion itself, never on another one.
// Nothing is planned or sent for it, so Drifted is Unknown — the platform was not asked.

import type { AtomVersionStatus, Condition, ConditionUpdate } from '../domain/status.js';
import { setCondition } from '../domain/status.js';
import type { RefusedAtomVersion } from '../sources/source.js';
import type { EventSpec, EventTarget } from './events.js';
import { isPlainObject, type KubeObject } from './kube-object.js';

const CONDITION_TYPES = new Set(['Ready', 'Reconciling', 'Stalled', 'Drifted']);
const CONDITION_STATUSES = new Set(['True', 'False', 'Unknown']);

export function refusedStatus(refusal: RefusedAtomVersion, object: KubeObject, now: Date): AtomVersionStatus {
  const { reason } = refusal;
  const updates: ConditionUpdate[] = [
    { type: 'Ready', status: 'False', reason, message: refusalText(refusal) },
    {
      type: 'Reconciling',
      status: 'False',
      reason,
      message: 'nothing is done for this AtomVersion until it changes',
    },
    { type: 'Stalled', status: 'True', reason, message: refusalText(refusal) },
    {
      type: 'Drifted',
      status: 'Unknown',
      reason,
      message: 'not observed: atomsync does not ask the platform about a refused AtomVersion',
    },
  ];
  const conditions = updates.reduce(
    (current, update) => setCondition(current, update, now),
    storedConditions(object.status),
  );
  const generation = object.metadata?.generation;
  const runtimeName = runtimeNameOf(object.spec);
  return {
    key: refusal.key,
    observedGeneration: typeof generation === 'number' ? String(generation) : '',
    conditions,
    pins: [],
    history: [],
    synced: 'Unknown',
    ...(runtimeName !== undefined ? { runtimeName } : {}),
  };
}

/** The Warning Event of a refusal; its note keeps the advice apart from what is wrong. */
export function refusalEvent(regarding: EventTarget, refusal: RefusedAtomVersion): EventSpec {
  return {
    regarding,
    type: 'Warning',
    reason: refusal.reason,
    action: 'Reconcile',
    note: refusalText(refusal),
  };
}

/**
 * The Warning of a pass that ended Stalled (e.g. PlatformRefused: the platform answered 400), so `kubectl
 * get events` and `describe` show it as they show a refusal of the spec; a repeat bumps its series.
 */
export function stalledEvent(regarding: EventTarget, status: AtomVersionStatus): EventSpec | undefined {
  const stalled = status.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  if (!stalled) return undefined;
  return { regarding, type: 'Warning', reason: stalled.reason, action: 'Reconcile', note: stalled.message };
}

export function refusalText(refusal: RefusedAtomVersion): string {
  return `${refusal.message.replace(/\.$/, '')}. What to do: ${refusal.advice}.`;
}

/** The conditions already stored on the object, so lastTransitionTime moves only when a status flips. */
function storedConditions(status: unknown): Condition[] {
  const stored = isPlainObject(status) ? status.conditions : undefined;
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item): Condition[] => {
    if (!isPlainObject(item)) return [];
    const { type, status: value, reason, message, lastTransitionTime } = item;
    if (typeof type !== 'string' || !CONDITION_TYPES.has(type)) return [];
    if (typeof value !== 'string' || !CONDITION_STATUSES.has(value)) return [];
    if (typeof lastTransitionTime !== 'string' || lastTransitionTime === '') return [];
    return [
      {
        type: type as Condition['type'],
        status: value as Condition['status'],
        reason: typeof reason === 'string' ? reason : '',
        message: typeof message === 'string' ? message : '',
        lastTransitionTime,
      },
    ];
  });
}

function runtimeNameOf(spec: unknown): string | undefined {
  const runtime = isPlainObject(spec) ? spec.runtime : undefined;
  const name = isPlainObject(runtime) ? runtime.name : undefined;
  return typeof name === 'string' ? name : undefined;
}
