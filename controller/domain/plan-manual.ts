// Manual pins get the UI steps for their runtime: one procedure per runtime and action that names every
// component it covers, since the UI makes them together (and Apply Pending Updates moves every pack).
import type { VersionMove } from './manual-steps.js';
import { applyPendingSteps, packApplySteps, rollbackSteps } from './manual-steps.js';
import { packsMovedByApply } from './pack-apply-conflicts.js';
import type { PlannedPin } from './plan-runtime.js';
import { compareText } from './waves.js';
import type { RuntimeState } from './types.js';
import { RUNTIME_COMPONENT } from './types.js';

type ManualAction = 'APPLY_PENDING' | 'ROLLBACK' | 'PACKS';

interface ManualGroup {
  action: ManualAction;
  runtime: RuntimeState;
  moves: Map<string, VersionMove>;
  unverified: boolean;
  pins: PlannedPin[];
}

export function assignManualSteps(planned: readonly PlannedPin[]): void {
  const groups = new Map<string, ManualGroup>();
  for (const pin of planned) {
    if (pin.result.outcome !== 'Manual') continue;
    const action = manualAction(pin.resolution.intent);
    const id = `${pin.result.accountId}\u0000${pin.runtime.id}\u0000${action}`;
    let group = groups.get(id);
    if (!group) {
      group = { action, runtime: pin.runtime, moves: new Map(), unverified: false, pins: [] };
      groups.set(id, group);
    }
    group.pins.push(pin);
    group.unverified ||= pin.resolution.unverified;
    group.moves.set(pin.result.name, {
      name: pin.result.name,
      from: pin.result.current ?? '?',
      to: pin.result.target ?? 'its pending version',
    });
  }
  for (const group of groups.values()) {
    const steps = stepsFor(group);
    for (const pin of group.pins) pin.result.manualSteps = [...steps];
  }
}

function manualAction(intent: string): ManualAction {
  if (intent === 'Rollback') return 'ROLLBACK';
  if (intent === 'ApplyPackPending') return 'PACKS';
  return 'APPLY_PENDING';
}

function stepsFor(group: ManualGroup): string[] {
  const name = group.runtime.name;
  if (group.action === 'PACKS') return packApplySteps(name, packMoves(group));
  const moves = [...group.moves.values()].sort(runtimeFirst);
  if (group.action === 'ROLLBACK') return rollbackSteps(name, moves, group.unverified);
  return applyPendingSteps(name, moves, group.unverified);
}

/** Apply Pending Updates moves every pending pack on the runtime, pinned or not (R12). */
function packMoves(group: ManualGroup): VersionMove[] {
  const moves = packsMovedByApply(group.runtime).map((pack) => ({
    name: pack.name,
    from: String(pack.version),
    to: String(pack.pendingVersion),
  }));
  return moves.length > 0 ? moves.sort((a, b) => compareText(a.name, b.name)) : [...group.moves.values()];
}

/** The runtime itself first, then connectors by name (as the requests list them). */
function runtimeFirst(a: VersionMove, b: VersionMove): number {
  return (
    Number(b.name === RUNTIME_COMPONENT) - Number(a.name === RUNTIME_COMPONENT) || compareText(a.name, b.name)
  );
}
