// From what a pin needs (its resolution) to its one outcome, by this precedence (highest first):
//   RuntimeNotFound / AccountUnavailable  (decided before a pin is resolved, see plan.ts)
//   > InSync > Suspended > ObserveOnly > Waiting
//   > TargetUnreachable / NoPendingVersion / InstallBaseLock / RequiresAtomVersion / PackApplyConflict
//   > NotOwned > InsufficientPrivilege > OutsideWindow > Manual > the change itself.
// Reasons about the whole AtomVersion (suspend, observe) outrank reasons about the pin; reasons about the
// pin outrank who may make the change (ownership, privilege), which outrank when (windows) and how (manual).
import type { PinResolution } from './pin-resolution.js';
import { canManageAtoms } from './privileges.js';
import type { SlotChoice } from './release-slots.js';
import type { WindowVerdict } from './windows.js';
import { formatInstant } from './windows.js';
import type { BlockedReason, Capabilities, Outcome, PinResult, Principal, RuntimeState } from './types.js';

export interface PinIdentity {
  key: string;
  accountId: string;
  runtimeId?: string;
  runtimeName: string;
}

/** What applies to every pin of one AtomVersion on one runtime. */
export interface PinGates {
  suspended: boolean;
  observeOnly: boolean;
  runtime: RuntimeState;
  principal: Principal;
  capabilities: Capabilities;
  /** Evaluated only when a pin gets that far (windows are the costly check). */
  window: () => WindowVerdict;
  /**
   * Without version actions: the release-schedule slot that brings a pending version (release-slots.ts),
   * and, when the runtime's current schedule already fired in this window, when it did.
   */
  lever?: { slot: () => SlotChoice; firedAt: number | undefined };
}

export interface WaitingOn {
  id: string;
  description: string;
}

export function decidePin(
  resolution: PinResolution,
  identity: PinIdentity,
  gates: PinGates,
  waitingOn: WaitingOn | undefined,
): PinResult {
  if (resolution.intent === 'InSync') return pinResult(identity, resolution, 'InSync', resolution.message);
  if (gates.suspended) {
    return blocked(
      identity,
      resolution,
      'Suspended',
      `${resolution.message}; not changed: the AtomVersion is suspended (policy.suspend)`,
      'set policy.suspend: false to reconcile',
    );
  }
  if (gates.observeOnly) {
    return blocked(
      identity,
      resolution,
      'ObserveOnly',
      `${resolution.message}; observe mode: the drift is reported, nothing is changed`,
      'set policy.mode: enforce to reconcile',
    );
  }
  if (waitingOn) return waiting(identity, resolution, waitingOn);
  if (resolution.intent === 'Blocked') {
    return blocked(
      identity,
      resolution,
      resolution.reason ?? 'TargetUnreachable',
      resolution.message,
      resolution.advice,
    );
  }
  return decideChange(resolution, identity, gates);
}

function decideChange(resolution: PinResolution, identity: PinIdentity, gates: PinGates): PinResult {
  const { runtime, principal } = gates;
  if (!runtime.owned) {
    return blocked(
      identity,
      resolution,
      'NotOwned',
      `${resolution.message}: not possible, ${runtime.name} runs on a cloud this account does not own, and only its owner's releases move it (R4)`,
      `pin what the cloud runs (${resolution.current ?? 'its current version'}), or ask the cloud's owner`,
    );
  }
  if (!canManageAtoms(principal)) {
    return pinResult(
      identity,
      resolution,
      'Blocked',
      `${resolution.message} needs the ATOM_MANAGEMENT privilege, which ${principal.userId} lacks (has ${principal.privileges.join(', ') || 'none'})`,
      {
        reason: 'InsufficientPrivilege',
        advice:
          'run atomsync with a credential whose role grants Atom Management, or have such a user make the change',
        needsPrivilege: 'ATOM_MANAGEMENT',
      },
    );
  }
  if (gates.lever && resolution.intent === 'ApplyPending' && resolution.kind !== 'pack') {
    if (gates.lever.firedAt === undefined) return scheduled(identity, resolution, gates.lever.slot());
    resolution = {
      ...resolution,
      message: `${resolution.message}; the release schedule already ran at ${formatInstant(new Date(gates.lever.firedAt))} without bringing it, so it is not a Runtime Release version (Early Access?)`,
    };
  }
  const window = gates.window();
  if (!window.open) {
    return blocked(
      identity,
      resolution,
      'OutsideWindow',
      `${resolution.message}: waits, ${window.message ?? 'outside the maintenance windows'}`,
      window.advice,
    );
  }
  if (needsManualStep(resolution, gates.capabilities)) {
    return pinResult(
      identity,
      resolution,
      'Manual',
      `${resolution.message}: the platform has no API for it, make the change in the UI (steps attached)`,
    );
  }
  return pinResult(
    identity,
    resolution,
    resolution.intent as Outcome,
    resolution.message + offlineNote(runtime),
  );
}

/** Issue 12, Deliver 2: the pending version comes through the runtime's release schedule. */
function scheduled(identity: PinIdentity, resolution: PinResolution, choice: SlotChoice): PinResult {
  const label = resolution.kind === 'runtime' ? resolution.name : `connector ${resolution.name}`;
  const what = resolution.target ?? 'the pending version';
  const how =
    choice.kind === 'slot'
      ? `atomsync sets the runtime's release schedule to ${choice.text}, where the platform applies the Runtime Release's pending updates`
      : choice.text;
  const message = `${label} on ${identity.runtimeName} takes ${what} (runs ${resolution.current ?? '?'}) through the release schedule: ${how}; an Early Access version is not applied this way and becomes Manual after the slot`;
  const result = pinResult(identity, resolution, 'Scheduled', message);
  if (choice.eta) result.eta = choice.eta.toISOString();
  if (choice.kind === 'slot') result.slot = choice.text;
  return result;
}

function needsManualStep(resolution: PinResolution, capabilities: Capabilities): boolean {
  if (resolution.unverified) return true;
  if (resolution.intent === 'ApplyPending' || resolution.intent === 'Rollback')
    return !capabilities.versionActions;
  if (resolution.intent === 'ApplyPackPending') return !capabilities.packActions;
  return false;
}

function offlineNote(runtime: RuntimeState): string {
  return runtime.status === 'OFFLINE'
    ? ` (${runtime.name} is OFFLINE: it takes the change when it next starts, R5)`
    : '';
}

function waiting(identity: PinIdentity, resolution: PinResolution, waitingOn: WaitingOn): PinResult {
  const message = `${resolution.message}; waiting: request ${waitingOn.id} (${waitingOn.description}) is already outstanding for it, and no second request is made until the runtime takes it (R6)`;
  return pinResult(identity, resolution, 'Waiting', message, { requestId: waitingOn.id });
}

function blocked(
  identity: PinIdentity,
  resolution: PinResolution,
  reason: BlockedReason,
  message: string,
  advice: string | undefined,
): PinResult {
  return pinResult(identity, resolution, 'Blocked', message, { reason, advice });
}

export interface PinResultExtras {
  reason?: BlockedReason;
  advice?: string | undefined;
  needsPrivilege?: 'ATOM_MANAGEMENT';
  requestId?: string;
}

/**
 * Builds a PinResult with its fields in reading order and without undefined fields. The common case (a
 * found runtime, a current and a target version) is one object literal, which keeps large plans fast.
 */
export function pinResult(
  identity: PinIdentity,
  resolution: Pick<PinResolution, 'kind' | 'name' | 'wanted'> & {
    target?: string | undefined;
    current?: string | undefined;
  },
  outcome: Outcome,
  message: string,
  extras?: PinResultExtras,
): PinResult {
  const { runtimeId } = identity;
  const { target, current } = resolution;
  const result: PinResult =
    runtimeId !== undefined && target !== undefined && current !== undefined
      ? {
          key: identity.key,
          accountId: identity.accountId,
          runtimeId,
          runtimeName: identity.runtimeName,
          kind: resolution.kind,
          name: resolution.name,
          wanted: resolution.wanted,
          target,
          current,
          outcome,
          message,
        }
      : sparsePinResult(identity, resolution, outcome, message);
  if (extras) addExtras(result, extras);
  return result;
}

function sparsePinResult(
  identity: PinIdentity,
  resolution: Pick<PinResolution, 'kind' | 'name' | 'wanted'> & {
    target?: string | undefined;
    current?: string | undefined;
  },
  outcome: Outcome,
  message: string,
): PinResult {
  const result: Partial<PinResult> = { key: identity.key, accountId: identity.accountId };
  if (identity.runtimeId !== undefined) result.runtimeId = identity.runtimeId;
  result.runtimeName = identity.runtimeName;
  result.kind = resolution.kind;
  result.name = resolution.name;
  result.wanted = resolution.wanted;
  if (resolution.target !== undefined) result.target = resolution.target;
  if (resolution.current !== undefined) result.current = resolution.current;
  result.outcome = outcome;
  result.message = message;
  return result as PinResult;
}

function addExtras(result: PinResult, extras: PinResultExtras): void {
  if (extras.reason !== undefined) result.reason = extras.reason;
  if (extras.advice !== undefined) result.advice = extras.advice;
  if (extras.needsPrivilege !== undefined) result.needsPrivilege = extras.needsPrivilege;
  if (extras.requestId !== undefined) result.requestId = extras.requestId;
}
