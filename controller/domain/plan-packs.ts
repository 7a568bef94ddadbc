// Resolving integration pack pins against the packs visible on a runtime (R10–R14).
import type { PinResolution, RuntimeContext } from './pin-resolution.js';
import { blockedResolution, IN_SYNC, pinDraft, resolved, wantedOf } from './pin-resolution.js';
import { formatInstant } from './windows.js';
import type { Channel, PackState } from './types.js';

export interface PackPinInput {
  name: string;
  version?: number;
  channel?: Channel;
}

/** One pin against the one visible pack it names. */
interface PackCase {
  draft: PinResolution;
  pack: PackState;
  context: RuntimeContext;
  /** The pack runs an update applied early (R14). */
  early: boolean;
}

export function resolvePackPin(
  pin: PackPinInput,
  visible: readonly PackState[],
  context: RuntimeContext,
): PinResolution {
  const draft = pinDraft('pack', pin.name, wantedOf(pin));
  let pack: PackState | undefined;
  let matches = 0;
  for (const candidate of visible) {
    if (candidate.name !== pin.name) continue;
    matches += 1;
    pack ??= candidate;
  }
  if (!pack) return notVisible(draft, pin, context);
  if (matches > 1) return ambiguous(draft, matches, context);
  const packCase: PackCase = { draft, pack, context, early: isAppliedEarly(pack, context.nowMs) };
  if (pin.version !== undefined) return resolveExact(packCase, pin.version);
  if (pin.channel === 'released') return resolveReleased(packCase);
  if (pin.channel === 'pending') return resolvePending(packCase);
  return inSync(packCase, IN_SYNC.present, pack.version);
}

/**
 * R14: a pack runs an update applied early when the platform says so, or when a dated release is still
 * ahead and nothing is pending (the pending update is the one it runs).
 */
function isAppliedEarly(pack: PackState, nowMs: number): boolean {
  if (pack.appliedEarly !== undefined) return pack.appliedEarly;
  if (pack.pendingVersion !== undefined || pack.releaseOnDate === undefined) return false;
  return Date.parse(pack.releaseOnDate) > nowMs;
}

/** Released = the version before the early update (versions count releases to the account, R11). */
function releasedVersion(packCase: PackCase): number {
  return packCase.early ? packCase.pack.version - 1 : packCase.pack.version;
}

function resolveExact(packCase: PackCase, version: number): PinResolution {
  const { pack, early } = packCase;
  if (version === pack.version) return inSync(packCase, IN_SYNC.pinned, version);
  if (version === pack.pendingVersion) return applyPending(packCase);
  if (early && version === releasedVersion(packCase)) return reattach(packCase);
  if (pack.pendingVersion === undefined && version === pack.version + 1) return noPending(packCase, version);
  return unreachable(packCase, version);
}

function resolveReleased(packCase: PackCase): PinResolution {
  const { pack } = packCase;
  if (!packCase.early) return inSync(packCase, IN_SYNC.released, pack.version);
  return reattach(packCase);
}

function resolvePending(packCase: PackCase): PinResolution {
  const { pack } = packCase;
  if (pack.pendingVersion !== undefined) return applyPending(packCase);
  if (packCase.early) return inSync(packCase, IN_SYNC.pending, pack.version);
  return inSync(packCase, IN_SYNC.noPending, pack.version);
}

function inSync(packCase: PackCase, message: string, target: number): PinResolution {
  return resolved(packCase.draft, String(packCase.pack.version), String(target), 'InSync', message);
}

function where(packCase: PackCase): string {
  return `pack ${packCase.pack.name} on ${packCase.context.runtime.name}`;
}

function applyPending(packCase: PackCase): PinResolution {
  const { draft, pack } = packCase;
  const current = pack.version;
  const target = pack.pendingVersion ?? current;
  if (pack.applyBlockedReason === 'INSTALL_BASE_LOCK') {
    return blockedResolution(
      draft,
      String(current),
      String(target),
      'InstallBaseLock',
      `${where(packCase)} cannot apply pending version ${target}: this account already applied that update elsewhere, and no further update of the pack applies until it reaches the whole install base (R13)`,
      pack.releaseOnDate
        ? `the update arrives by itself on its release date ${formatInstant(new Date(pack.releaseOnDate))}; wait for it, or pin ${current} until then`
        : `wait until the update reaches the whole install base, or pin ${current} until then`,
    );
  }
  if (pack.applyBlockedReason === 'NOT_ATTACHED') {
    return blockedResolution(
      draft,
      String(current),
      String(target),
      'TargetUnreachable',
      `${where(packCase)} cannot apply pending version ${target}: the pack is not attached to the runtime's environment (R12)`,
      `attach the pack to ${packCase.context.runtime.environmentName ?? "the runtime's environment"}`,
    );
  }
  const resolution = resolved(
    draft,
    String(current),
    String(target),
    'ApplyPackPending',
    `Apply pending version ${target} of ${where(packCase)} (runs ${current})`,
  );
  resolution.pack = pack;
  return resolution;
}

function reattach(packCase: PackCase): PinResolution {
  const { draft, pack, context } = packCase;
  const current = String(pack.version);
  const target = releasedVersion(packCase);
  const onDate = pack.releaseOnDate ? ` on ${formatInstant(new Date(pack.releaseOnDate))}` : '';
  if (!context.policy.allowPackReattach) {
    return blockedResolution(
      draft,
      current,
      String(target),
      'TargetUnreachable',
      `${where(packCase)} runs version ${current}, an update applied early; pack updates cannot be undone (R12)`,
      `set policy.allowPackReattach: true to detach and reattach the pack, which drops the early update (R14), or wait for the release${onDate}, or move the pin to ${current}`,
    );
  }
  const environmentId = reattachEnvironment(packCase);
  if (environmentId === undefined) {
    return blockedResolution(
      draft,
      current,
      String(target),
      'TargetUnreachable',
      `${where(packCase)} runs version ${current}, an update applied early, but the runtime's environment is unknown, so there is no attachment to detach and reattach`,
      'attach the runtime to the environment the pack is attached to',
    );
  }
  const resolution = resolved(
    draft,
    current,
    String(target),
    'ReattachPack',
    `Detach and reattach ${where(packCase)} in environment ${environmentLabel(packCase, environmentId)} to drop the early update ${current} and return to ${target} (R14); the update comes back with the release${onDate}`,
  );
  resolution.pack = pack;
  resolution.environmentId = environmentId;
  return resolution;
}

function reattachEnvironment({ pack, context }: PackCase): string | undefined {
  const own = context.runtime.environmentId;
  const attached = pack.environmentIds;
  if (own !== undefined && (attached === undefined || attached.includes(own))) return own;
  return attached?.[0];
}

function environmentLabel({ context }: PackCase, environmentId: string): string {
  const runtime = context.runtime;
  return runtime.environmentId === environmentId && runtime.environmentName
    ? runtime.environmentName
    : environmentId;
}

function noPending(packCase: PackCase, version: number): PinResolution {
  const current = packCase.pack.version;
  return blockedResolution(
    packCase.draft,
    String(current),
    String(version),
    'NoPendingVersion',
    `${where(packCase)} runs version ${current} and no pending update is offered, so the next version ${version} cannot be applied yet`,
    `version ${version} can be applied once the publisher releases it to this account; until then pin ${current}`,
  );
}

function unreachable(packCase: PackCase, version: number): PinResolution {
  const { pack, early } = packCase;
  const reachable = [`${pack.version} (current)`];
  if (pack.pendingVersion !== undefined) reachable.push(`${pack.pendingVersion} (pending)`);
  if (early) reachable.push(`${releasedVersion(packCase)} (released, by detach and reattach)`);
  const passed = version < pack.version;
  return blockedResolution(
    packCase.draft,
    String(pack.version),
    String(version),
    'TargetUnreachable',
    passed
      ? `${where(packCase)} runs version ${pack.version}, past the pinned ${version}; pack updates cannot be undone (R12); reachable: ${reachable.join(', ')}`
      : `${where(packCase)} cannot reach version ${version}: reachable versions are ${reachable.join(', ')}`,
    passed
      ? `move the pin to ${pack.version}`
      : 'pin one of the reachable versions (pack versions count the releases to this account, R11)',
  );
}

function notVisible(draft: PinResolution, pin: PackPinInput, context: RuntimeContext): PinResolution {
  const runtime = context.runtime;
  const target = pin.version !== undefined ? String(pin.version) : undefined;
  if (!context.capabilities.packActions && runtime.packs.length === 0) {
    return blockedResolution(
      draft,
      undefined,
      target,
      'TargetUnreachable',
      `the platform does not report integration pack versions per runtime (no IntegrationPackVersions API), so pack ${draft.name} on ${runtime.name} cannot be checked`,
      `check it in the UI: Manage > Atom Management > select "${runtime.name}" > View Integration Pack`,
    );
  }
  const environment = runtime.environmentName ?? runtime.environmentId;
  return blockedResolution(
    draft,
    undefined,
    target,
    'TargetUnreachable',
    `pack ${draft.name} is not visible on ${runtime.name}: ${environment ? `environment ${environment} has no attachment of it` : 'the runtime is in no environment'} (R12)`,
    "attach the pack to the runtime's environment, or check the pack name",
  );
}

function ambiguous(draft: PinResolution, count: number, context: RuntimeContext): PinResolution {
  return blockedResolution(
    draft,
    undefined,
    undefined,
    'TargetUnreachable',
    `${count} instances of pack ${draft.name} are visible on ${context.runtime.name}; the pin cannot say which one it means`,
    'attach only one instance of the pack to the environment',
  );
}
