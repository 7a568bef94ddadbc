// What a single pin needs on its own (before policy, privileges, windows and capabilities are applied).
// Resolutions are built by one factory so they all share one shape (the planner makes hundreds of
// thousands of them; a single shape keeps that fast).
import type { BlockedReason, Capabilities, PackState, PinKind, Policy, RuntimeState } from './types.js';

export type Intent = 'InSync' | 'ApplyPending' | 'Rollback' | 'ApplyPackPending' | 'ReattachPack' | 'Blocked';

export interface PinResolution {
  kind: PinKind;
  name: string;
  wanted: string;
  current: string | undefined;
  target: string | undefined;
  intent: Intent;
  /** Only for intent Blocked: a reason that belongs to the pin itself. */
  reason: BlockedReason | undefined;
  /** For a change: the change in one sentence; otherwise the situation. */
  message: string;
  advice: string | undefined;
  /** R9: the runtime version the pending connector version needs. */
  requiresAtomVersion: string | undefined;
  /** The platform reports no pending/rollback versions, so the target's reachability is assumed. */
  unverified: boolean;
  /** The pack the pin is about (pack pins that change). */
  pack: PackState | undefined;
  /** For ReattachPack: the environment to detach from and reattach to. */
  environmentId: string | undefined;
}

/**
 * A new resolution for a pin as written (what it is and what it asks for). The resolvers complete it
 * with `resolved` or `blockedResolution` exactly once.
 */
export function pinDraft(kind: PinKind, name: string, wanted: string): PinResolution {
  return {
    kind,
    name,
    wanted,
    current: undefined,
    target: undefined,
    intent: 'InSync',
    reason: undefined,
    message: '',
    advice: undefined,
    requiresAtomVersion: undefined,
    unverified: false,
    pack: undefined,
    environmentId: undefined,
  };
}

export function resolved(
  draft: PinResolution,
  current: string | undefined,
  target: string | undefined,
  intent: Exclude<Intent, 'Blocked'>,
  message: string,
): PinResolution {
  draft.current = current;
  draft.target = target;
  draft.intent = intent;
  draft.message = message;
  return draft;
}

export function blockedResolution(
  draft: PinResolution,
  current: string | undefined,
  target: string | undefined,
  reason: BlockedReason,
  message: string,
  advice: string,
): PinResolution {
  draft.current = current;
  draft.target = target;
  draft.intent = 'Blocked';
  draft.reason = reason;
  draft.message = message;
  draft.advice = advice;
  return draft;
}

/**
 * Messages for pins that are in sync. They are shared constants: the pin result already carries the
 * name, the current and the target version, and a plan can hold hundreds of thousands of them.
 */
export const IN_SYNC = {
  pinned: 'runs the pinned version',
  released: 'runs the released version',
  pending: 'runs the pending version (applied early)',
  noPending: 'no pending version; on released',
  present: 'present; no version pinned',
} as const;

/** What the pin resolvers need to know about the runtime and the AtomVersion. */
export interface RuntimeContext {
  runtime: RuntimeState;
  policy: Policy;
  capabilities: Capabilities;
  nowMs: number;
}

export function wantedOf(pin: { version?: string | number; channel?: string }): string {
  if (pin.version !== undefined) return String(pin.version);
  if (pin.channel !== undefined) return pin.channel === 'pending' ? 'channel:pending' : 'channel:released';
  return 'any';
}
