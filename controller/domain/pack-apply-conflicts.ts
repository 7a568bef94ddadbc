// R12: Apply Pending Updates applies every pending pack update visible on the runtime at once. A pin that
// applies one pack's update therefore also moves the others; when another one is pinned to stay where it
// is, the apply is blocked (PackApplyConflict).
import type { PinResolution } from './pin-resolution.js';
import type { PackState, RuntimeState } from './types.js';

/** The pack updates one Apply Pending Updates on this runtime would apply. */
export function packsMovedByApply(runtime: RuntimeState): PackState[] {
  return runtime.packs.filter(
    (pack) => pack.pendingVersion !== undefined && pack.applyBlockedReason === undefined,
  );
}

/** Returns the pack resolutions with conflicting applies blocked and side effects named in the messages. */
export function checkPackApplyConflicts(
  resolutions: PinResolution[],
  runtime: RuntimeState,
): PinResolution[] {
  if (!resolutions.some((resolution) => resolution.intent === 'ApplyPackPending')) return resolutions;
  const movers = packsMovedByApply(runtime);
  const pinsByPack = new Map(resolutions.map((resolution) => [resolution.name, resolution]));
  return resolutions.map((resolution) =>
    resolution.intent === 'ApplyPackPending' ? withSideEffects(resolution, movers, pinsByPack) : resolution,
  );
}

function withSideEffects(
  resolution: PinResolution,
  movers: readonly PackState[],
  pinsByPack: ReadonlyMap<string, PinResolution>,
): PinResolution {
  const ownId = resolution.pack?.integrationPackInstanceId;
  const others = movers.filter((pack) => pack.integrationPackInstanceId !== ownId);
  const heldBack = others.filter((pack) => pinsByPack.get(pack.name)?.target === String(pack.version));
  if (heldBack.length > 0) return conflict(resolution, heldBack);
  const unpinned = others.filter((pack) => !pinsByPack.has(pack.name));
  if (unpinned.length === 0) return resolution;
  return {
    ...resolution,
    message: `${resolution.message}; Apply Pending Updates also moves the unpinned ${describeMoves(unpinned)} (R12)`,
  };
}

function conflict(resolution: PinResolution, heldBack: readonly PackState[]): PinResolution {
  const names = heldBack.map((pack) => pack.name).join(', ');
  const alternatives = heldBack.map((pack) => `${pack.name} to ${pack.pendingVersion}`).join(', ');
  return {
    ...resolution,
    pack: undefined,
    intent: 'Blocked',
    reason: 'PackApplyConflict',
    message: `Applying pending version ${resolution.target} of pack ${resolution.name} on the runtime would also apply ${describeMoves(heldBack)}, because Apply Pending Updates applies every pending pack update at once (R12), but ${names} ${heldBack.length === 1 ? 'is' : 'are'} pinned to the current version`,
    advice: `pin ${alternatives} (or channel: pending) so the packs move together, or keep ${resolution.name} on ${resolution.current}`,
  };
}

function describeMoves(packs: readonly PackState[]): string {
  return packs.map((pack) => `pack ${pack.name} ${pack.version} → ${pack.pendingVersion}`).join(', ');
}
