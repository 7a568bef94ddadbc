// Resolving runtime ("Atom") and connector pins against what the runtime reports (R2, R3, R7).
import { compareVersions } from './versions.js';
import type { PinResolution, RuntimeContext } from './pin-resolution.js';
import { blockedResolution, IN_SYNC, pinDraft, resolved, wantedOf } from './pin-resolution.js';
import type { Channel, ComponentState, PinKind } from './types.js';

export interface ComponentPinInput {
  name: string;
  version?: string | undefined;
  channel?: Channel | undefined;
}

export function resolveComponentPin(
  kind: Extract<PinKind, 'runtime' | 'connector'>,
  pin: ComponentPinInput,
  component: ComponentState | undefined,
  context: RuntimeContext,
): PinResolution {
  const draft = pinDraft(kind, pin.name, wantedOf(pin));
  if (!component) return missingComponent(draft, context);
  if (pin.version !== undefined) return resolveExact(draft, component, context, pin.version);
  if (pin.channel === 'released') return resolveReleased(draft, component, context);
  if (pin.channel === 'pending') return resolvePending(draft, component, context);
  return resolved(draft, component.version, undefined, 'InSync', IN_SYNC.present);
}

function resolveExact(
  draft: PinResolution,
  component: ComponentState,
  context: RuntimeContext,
  version: string,
): PinResolution {
  const { version: current, pendingVersion, rollbackVersion } = component;
  if (sameVersion(current, version)) {
    return resolved(draft, current, version, 'InSync', IN_SYNC.pinned);
  }
  if (pendingVersion !== undefined && sameVersion(pendingVersion, version)) {
    return applyPending(draft, component, context, pendingVersion);
  }
  if (rollbackVersion !== undefined && sameVersion(rollbackVersion, version)) {
    return rollBack(draft, current, context, rollbackVersion);
  }
  if (reachabilityUnknown(component, context)) return unverifiedMove(draft, current, context, version);
  return unreachable(draft, component, context, version);
}

/** The released version is the rollback version when one is offered, else the current version. */
function resolveReleased(
  draft: PinResolution,
  component: ComponentState,
  context: RuntimeContext,
): PinResolution {
  const current = component.version;
  const released = component.rollbackVersion ?? current;
  if (sameVersion(current, released)) {
    return resolved(draft, current, released, 'InSync', IN_SYNC.released);
  }
  return rollBack(draft, current, context, released);
}

function resolvePending(
  draft: PinResolution,
  component: ComponentState,
  context: RuntimeContext,
): PinResolution {
  const current = component.version;
  if (component.pendingVersion !== undefined)
    return applyPending(draft, component, context, component.pendingVersion);
  if (reachabilityUnknown(component, context)) return unverifiedPending(draft, current, context);
  if (component.rollbackVersion !== undefined) {
    return resolved(draft, current, current, 'InSync', IN_SYNC.pending);
  }
  return resolved(draft, current, current, 'InSync', IN_SYNC.noPending);
}

function applyPending(
  draft: PinResolution,
  component: ComponentState,
  context: RuntimeContext,
  target: string,
): PinResolution {
  const resolution = resolved(
    draft,
    component.version,
    target,
    'ApplyPending',
    `Apply pending ${target} of ${componentLabel(draft)} on ${context.runtime.name} (runs ${component.version})`,
  );
  if (draft.kind === 'connector') resolution.requiresAtomVersion = component.pendingRequiresAtomVersion;
  return resolution;
}

function rollBack(
  draft: PinResolution,
  current: string,
  context: RuntimeContext,
  target: string,
): PinResolution {
  const label = `${componentLabel(draft)} on ${context.runtime.name}`;
  if (!context.policy.allowRollback) {
    return blockedResolution(
      draft,
      current,
      target,
      'TargetUnreachable',
      `${label} reaches ${target} only by rolling back from ${current}, and policy.allowRollback is false`,
      `set policy.allowRollback: true to roll back to ${target}, or move the pin to ${current}`,
    );
  }
  return resolved(draft, current, target, 'Rollback', `Roll back ${label} from ${current} to ${target}`);
}

/** Without the AtomVersions extension the platform reports current versions only. */
function reachabilityUnknown(component: ComponentState, context: RuntimeContext): boolean {
  return (
    !context.capabilities.versionActions &&
    component.pendingVersion === undefined &&
    component.rollbackVersion === undefined
  );
}

function unverifiedMove(
  draft: PinResolution,
  current: string,
  context: RuntimeContext,
  target: string,
): PinResolution {
  const newer = compareVersions(target, current) > 0;
  if (!newer && !context.policy.allowRollback) return rollBack(draft, current, context, target);
  const column = newer ? 'Pending Version' : 'Rollback Version';
  const resolution = resolved(
    draft,
    current,
    target,
    newer ? 'ApplyPending' : 'Rollback',
    `${newer ? 'Apply pending' : 'Roll back to'} ${target} of ${componentLabel(draft)} on ${context.runtime.name} (runs ${current}), if the platform offers it: the platform does not report pending or rollback versions, so check the ${column} column`,
  );
  resolution.unverified = true;
  return resolution;
}

/** channel: pending on a platform that does not report pending versions: only a person can look. */
function unverifiedPending(draft: PinResolution, current: string, context: RuntimeContext): PinResolution {
  const resolution = resolved(
    draft,
    current,
    undefined,
    'ApplyPending',
    `Apply the pending version of ${componentLabel(draft)} on ${context.runtime.name} (runs ${current}) if the platform offers one: the platform does not report pending versions, so check the Pending Version column`,
  );
  resolution.unverified = true;
  return resolution;
}

function unreachable(
  draft: PinResolution,
  component: ComponentState,
  context: RuntimeContext,
  version: string,
): PinResolution {
  const current = component.version;
  const label = `${componentLabel(draft)} on ${context.runtime.name}`;
  const reachable = reachableVersions(component, context);
  if (compareVersions(current, version) > 0) {
    return blockedResolution(
      draft,
      current,
      version,
      'TargetUnreachable',
      `${label} runs ${current}, newer than the pinned ${version}, which is no longer offered (the Platform Release moves every runtime to the released version, R7); reachable: ${reachable}`,
      `move the pin to ${current}`,
    );
  }
  return blockedResolution(
    draft,
    current,
    version,
    'TargetUnreachable',
    `${label} cannot reach ${version}: reachable versions are ${reachable}`,
    `pin one of the reachable versions; ${version} can only be applied once the platform offers it as a pending version`,
  );
}

function reachableVersions(component: ComponentState, context: RuntimeContext): string {
  const { version, pendingVersion, rollbackVersion } = component;
  const reachable = [`${version} (current)`];
  if (pendingVersion !== undefined) reachable.push(`${pendingVersion} (pending)`);
  if (rollbackVersion !== undefined) {
    reachable.push(
      `${rollbackVersion} (rollback${context.policy.allowRollback ? '' : ', needs policy.allowRollback'})`,
    );
  }
  return reachable.join(', ');
}

function missingComponent(draft: PinResolution, context: RuntimeContext): PinResolution {
  if (draft.kind === 'runtime') {
    return blockedResolution(
      draft,
      undefined,
      undefined,
      'TargetUnreachable',
      `${context.runtime.name} reports no runtime version`,
      'check that the runtime is reachable and the credential may read its versions',
    );
  }
  return blockedResolution(
    draft,
    undefined,
    draft.wanted.startsWith('channel:') || draft.wanted === 'any' ? undefined : draft.wanted,
    'TargetUnreachable',
    `${context.runtime.name} reports no connector "${draft.name}"`,
    'use the connector name as the Atom & Connector Versions panel lists it',
  );
}

function componentLabel(pin: { kind: PinKind; name: string }): string {
  return pin.kind === 'runtime' ? pin.name : `connector ${pin.name}`;
}

function sameVersion(a: string, b: string): boolean {
  return a === b || compareVersions(a, b) === 0;
}
