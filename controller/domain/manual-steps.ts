// The UI steps for changes the platform's API cannot make (the extension actions are missing). The paths
// come from the seed help pages: "Rolling back Atom and connector updates" and "Applying pending
// integration pack updates". Applying pending runtime/connector versions uses the same Atom & Connector
// Versions panel as the rollback.

export interface VersionMove {
  name: string;
  from: string;
  to: string;
}

const OPEN_ATOM_MANAGEMENT = 'Go to Manage > Atom Management.';

export function rollbackSteps(
  runtimeName: string,
  moves: readonly VersionMove[],
  unverified: boolean,
): string[] {
  return [
    OPEN_ATOM_MANAGEMENT,
    `Select the Atom, Molecule, or Cloud "${runtimeName}" from the Environments list on the left.`,
    'Click the Atom & Connector Versions panel.',
    unverified
      ? `Check that the Rollback Version column offers ${listMoves(moves, 'to')}; if it does not, the pin cannot be met.`
      : `Check that the Rollback Version column shows ${listMoves(moves, 'to')}.`,
    'Click Select Rollback Versions.',
    `In the Select Rollback Versions dialog, select ${listNames(moves)}.`,
    'Click Apply Selected Rollbacks.',
    'Click OK in the confirmation dialog.',
    verifyVersions(moves),
  ];
}

export function applyPendingSteps(
  runtimeName: string,
  moves: readonly VersionMove[],
  unverified: boolean,
): string[] {
  return [
    OPEN_ATOM_MANAGEMENT,
    `Select the Atom, Molecule, or Cloud "${runtimeName}" from the Environments list on the left.`,
    'Click the Atom & Connector Versions panel.',
    unverified
      ? `Check that the Pending Version column offers ${listMoves(moves, 'to')}; if it does not, the pin cannot be met.`
      : `Check that the Pending Version column shows ${listMoves(moves, 'to')}.`,
    `Apply the pending versions of ${listNames(moves)} with the panel's apply-pending action.`,
    'Click OK in the confirmation dialog.',
    verifyVersions(moves),
  ];
}

export function packApplySteps(runtimeName: string, moves: readonly VersionMove[]): string[] {
  return [
    OPEN_ATOM_MANAGEMENT,
    `Select the Atom, Molecule, or Atom Cloud "${runtimeName}" from the list on the left.`,
    'Click View Integration Pack.',
    `Check the Pending Version column: ${listMoves(moves, 'from-to')}. Apply Pending Updates applies every pending update listed, at once, and cannot be undone.`,
    'Click Apply Pending Updates.',
    'Click OK in the confirmation dialog.',
    `Once the runtime is inactive the table shows ${listMoves(moves, 'to')} and the Apply Pending Updates button disappears; atomsync verifies it on its next run.`,
  ];
}

function verifyVersions(moves: readonly VersionMove[]): string {
  return `The runtime waits for a period of inactivity (unless Force Restart Time is set) and restarts; then refresh the panel: it shows ${listMoves(moves, 'to')}. atomsync verifies it on its next run.`;
}

function listMoves(moves: readonly VersionMove[], style: 'to' | 'from-to'): string {
  return moves
    .map((move) => (style === 'to' ? `${move.name} ${move.to}` : `${move.name} ${move.from} → ${move.to}`))
    .join(', ');
}

function listNames(moves: readonly VersionMove[]): string {
  return moves.map((move) => move.name).join(', ');
}
