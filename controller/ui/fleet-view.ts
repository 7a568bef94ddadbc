// The dashboard's data: one row per AtomVersion (account → environment → runtime), one cell per pin
// (runtime, connectors, packs) with what runs, what is pinned, what is pending and what a rollback would
// reach, coloured by what the plan will do about it. Pure: built from the desired set, a snapshot and the
// plan of that snapshot (plus the controller's statuses when `atomsync run` serves the page).
import type {
  DesiredAtomVersion,
  Outcome,
  PinKind,
  PinResult,
  Plan,
  PlannedRequest,
  RuntimeState,
  Snapshot,
} from '../domain/types.js';
import { RUNTIME_COMPONENT } from '../domain/types.js';
import { compareText } from '../domain/waves.js';
import type { AtomVersionStatus } from '../domain/status.js';
import type { AuditEntry } from '../platform/audit-log.js';

/** The colour of a cell: what the plan does about the pin. */
export type CellState = 'in-sync' | 'drifted' | 'blocked' | 'waiting' | 'manual';

export const CELL_STATES: readonly CellState[] = ['in-sync', 'drifted', 'blocked', 'waiting', 'manual'];

export interface FleetCell {
  /** Column id: `runtime`, `connector:NAME`, `pack:NAME`. */
  column: string;
  kind: PinKind;
  name: string;
  state: CellState;
  outcome: Outcome;
  current?: string;
  /** What the pin asks for, as written (`26.12.0`, `channel:released`, `8`). */
  pinned: string;
  /** The concrete version the pin resolves to. */
  target?: string;
  pending?: string;
  rollback?: string;
  reason?: string;
  message: string;
  advice?: string;
  manualSteps?: string[];
  requestId?: string;
}

export interface RequestInFlight {
  id: string;
  kind: string;
  action?: string;
  components: string[];
  status: string;
}

export interface FleetRow {
  /** AtomVersion key `namespace/name`. */
  key: string;
  account: string;
  accountId: string;
  /** TEST, PROD, or `—` when the runtime is in no classified environment. */
  environment: string;
  environmentName?: string;
  runtimeName: string;
  runtimeId?: string;
  runtimeType?: string;
  runtimeStatus?: string;
  /** `pins/acme.yaml:12`, `git … file:line` or `AtomVersion ns/name`. */
  origin: string;
  state: CellState;
  /** In the pins (policy.suspend) or at run time (`suspension`). */
  suspended: boolean;
  /** Suspended from the dashboard or the API: Resume lifts it. */
  suspension?: RuntimeSuspension;
  cells: FleetCell[];
  requests: RequestInFlight[];
  status?: AtomVersionStatus;
  /** The platform's AuditLog entries about this runtime (newest last), when the dashboard reads them. */
  audit?: AuditEntry[];
}

/** A restart in the fleet-wide timeline (from the AuditLog). */
export interface FleetRestart {
  date: string;
  account: string;
  runtimeName: string;
  runtimeId: string;
  /** The AtomVersion pinning the runtime, when one does. */
  key?: string;
  /** STARTED / COMPLETED. */
  modifier?: string;
  userId?: string;
  message?: string;
}

export interface RuntimeSuspension {
  at: string;
  by: string;
}

export interface FleetWave {
  wave: number;
  requests: PlannedRequest[];
}

export interface FleetView {
  generatedAt: string;
  mode: 'controller' | 'plan-only';
  /** Column ids in display order: runtime, then connectors, then packs (alphabetical). */
  columns: string[];
  rows: FleetRow[];
  waves: FleetWave[];
  summary: Plan['summary'];
  accounts: string[];
  /** Accounts that could not be read, with why. */
  accountErrors: { account: string; message: string }[];
  /** Restarts across the fleet, newest first (from the AuditLog), when the dashboard reads it. */
  restarts?: FleetRestart[];
  /** Accounts whose AuditLog could not be read, with why. */
  auditErrors?: { account: string; message: string }[];
}

export interface FleetInput {
  desired: readonly DesiredAtomVersion[];
  snapshot: Snapshot;
  plan: Plan;
  mode: FleetView['mode'];
  /** Account id → alias. */
  aliases: Readonly<Record<string, string>>;
  statuses?: ReadonlyMap<string, AtomVersionStatus>;
  /** Run-time suspensions by key (the desired docs already carry policy.suspend for them). */
  suspensions?: ReadonlyMap<string, RuntimeSuspension>;
  audit?: AuditSource;
}

/** What the view reads of the AuditLog (ui/audit-trail.ts). */
export interface AuditSource {
  forRuntime(accountId: string, runtimeId: string): AuditEntry[];
  restarts(): (AuditEntry & { accountId: string })[];
  unreadable(): { accountId: string; message: string }[];
}

const STATE_RANK: Record<CellState, number> = { 'in-sync': 0, waiting: 1, drifted: 2, manual: 3, blocked: 4 };

function cellState(outcome: Outcome): CellState {
  switch (outcome) {
    case 'InSync':
      return 'in-sync';
    case 'Blocked':
      return 'blocked';
    case 'Waiting':
      return 'waiting';
    case 'Manual':
      return 'manual';
    default:
      return 'drifted';
  }
}

function columnOf(kind: PinKind, name: string): string {
  return kind === 'runtime' ? 'runtime' : `${kind}:${name}`;
}

export function buildFleetView(input: FleetInput): FleetView {
  const pinsByKey = groupBy(input.plan.pins, (pin) => pin.key);
  const runtimes = runtimeIndex(input.snapshot);
  const rows = input.desired.map((doc) => {
    const pins = pinsByKey.get(doc.key) ?? [];
    const accountId = pins[0]?.accountId ?? accountIdOf(doc.spec.account, input.aliases);
    const runtime = runtimes.get(runtimeKey(accountId, pins[0]?.runtimeId, pins[0]?.runtimeName));
    return buildRow(doc, pins, accountId, runtime, input);
  });
  rows.sort(compareRows);
  const audit = input.audit ? auditParts(input.audit, rows, input.aliases) : {};
  return {
    ...audit,
    generatedAt: input.plan.generatedAt,
    mode: input.mode,
    columns: columnsOf(rows),
    rows,
    waves: wavesOf(input.plan.changes),
    summary: input.plan.summary,
    accounts: [...new Set(rows.map((row) => row.account))].sort(),
    accountErrors: Object.values(input.snapshot.accounts).flatMap((account) =>
      account.error
        ? [{ account: input.aliases[account.accountId] ?? account.accountId, message: account.error.message }]
        : [],
    ),
  };
}

function buildRow(
  doc: DesiredAtomVersion,
  pins: readonly PinResult[],
  accountId: string,
  runtime: RuntimeState | undefined,
  input: FleetInput,
): FleetRow {
  const cells = pins.map((pin) => buildCell(pin, runtime));
  const status = input.statuses?.get(doc.key);
  const suspension = input.suspensions?.get(doc.key);
  return {
    key: doc.key,
    account: input.aliases[accountId] ?? accountId,
    accountId,
    environment: runtime?.classification ?? '—',
    ...(runtime?.environmentName ? { environmentName: runtime.environmentName } : {}),
    runtimeName: runtime?.name ?? pins[0]?.runtimeName ?? doc.spec.runtime.name ?? doc.spec.runtime.id ?? '',
    ...(runtime ? { runtimeId: runtime.id, runtimeType: runtime.type, runtimeStatus: runtime.status } : {}),
    origin: originText(doc),
    state: worstState(cells.map((cell) => cell.state)),
    suspended: doc.spec.policy.suspend || suspension !== undefined,
    ...(suspension ? { suspension } : {}),
    cells,
    requests: (runtime?.outstanding ?? []).map((request) => ({
      id: request.id,
      kind: request.kind,
      ...(request.action ? { action: request.action } : {}),
      components: request.components,
      status: request.status,
    })),
    ...(status ? { status } : {}),
    ...(input.audit && runtime ? { audit: input.audit.forRuntime(accountId, runtime.id) } : {}),
  };
}

function auditParts(
  audit: AuditSource,
  rows: readonly FleetRow[],
  aliases: Readonly<Record<string, string>>,
): Pick<FleetView, 'restarts' | 'auditErrors'> {
  const rowOf = new Map(rows.map((row) => [`${row.accountId}/${row.runtimeId ?? ''}`, row]));
  const restarts = audit.restarts().map((entry): FleetRestart => {
    const runtimeId = entry.containerId ?? '';
    const row = rowOf.get(`${entry.accountId}/${runtimeId}`);
    const restart: FleetRestart = {
      date: entry.date,
      account: aliases[entry.accountId] ?? entry.accountId,
      runtimeName: row?.runtimeName ?? runtimeId,
      runtimeId,
    };
    if (row) restart.key = row.key;
    if (entry.modifier) restart.modifier = entry.modifier;
    if (entry.userId) restart.userId = entry.userId;
    if (entry.message) restart.message = entry.message;
    return restart;
  });
  const auditErrors = audit
    .unreadable()
    .map(({ accountId, message }) => ({ account: aliases[accountId] ?? accountId, message }));
  return { restarts, auditErrors };
}

// Hot at 10,000 runtimes × 20 pins: plain assignments, not object spreads (which cost several times more).
function buildCell(pin: PinResult, runtime: RuntimeState | undefined): FleetCell {
  const cell: FleetCell = {
    column: columnOf(pin.kind, pin.name),
    kind: pin.kind,
    name: pin.name,
    state: cellState(pin.outcome),
    outcome: pin.outcome,
    pinned: pin.wanted,
    message: pin.message,
  };
  if (pin.current !== undefined) cell.current = pin.current;
  if (pin.target !== undefined) cell.target = pin.target;
  if (runtime) addLiveVersions(cell, pin, runtime);
  if (pin.reason) cell.reason = pin.reason;
  if (pin.advice) cell.advice = pin.advice;
  if (pin.manualSteps) cell.manualSteps = pin.manualSteps;
  if (pin.requestId) cell.requestId = pin.requestId;
  return cell;
}

function addLiveVersions(cell: FleetCell, pin: PinResult, runtime: RuntimeState): void {
  if (pin.kind === 'pack') {
    const pack = runtime.packs.find((candidate) => candidate.name === pin.name);
    if (pack?.pendingVersion !== undefined) cell.pending = String(pack.pendingVersion);
    return;
  }
  const componentName = pin.kind === 'runtime' ? RUNTIME_COMPONENT : pin.name;
  const component = runtime.components.find((candidate) => candidate.name === componentName);
  if (component?.pendingVersion) cell.pending = component.pendingVersion;
  if (component?.rollbackVersion) cell.rollback = component.rollbackVersion;
}

function worstState(states: readonly CellState[]): CellState {
  return states.reduce<CellState>(
    (worst, state) => (STATE_RANK[state] > STATE_RANK[worst] ? state : worst),
    'in-sync',
  );
}

function originText(doc: DesiredAtomVersion): string {
  const { origin } = doc;
  if (origin.source === 'kubernetes') return `AtomVersion ${doc.namespace}/${doc.name}`;
  const at = origin.file ? `${origin.file}${origin.line ? `:${origin.line}` : ''}` : doc.key;
  return origin.source === 'git' && origin.revision ? `${at} @ ${origin.revision.slice(0, 12)}` : at;
}

function columnsOf(rows: readonly FleetRow[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (let i = 0; i < row.cells.length; i++) columns.add(row.cells[i]!.column);
  const rank = (column: string): number =>
    column === 'runtime' ? 0 : column.startsWith('connector:') ? 1 : 2;
  return [...columns].sort((a, b) => rank(a) - rank(b) || compareText(a, b));
}

function wavesOf(changes: readonly PlannedRequest[]): FleetWave[] {
  const waves = groupBy(changes, (change) => change.wave);
  return [...waves.entries()].sort(([a], [b]) => a - b).map(([wave, requests]) => ({ wave, requests }));
}

const ENVIRONMENT_RANK: Record<string, number> = { TEST: 0, PROD: 1 };

function compareRows(a: FleetRow, b: FleetRow): number {
  return (
    compareText(a.account, b.account) ||
    (ENVIRONMENT_RANK[a.environment] ?? 2) - (ENVIRONMENT_RANK[b.environment] ?? 2) ||
    compareText(a.runtimeName, b.runtimeName) ||
    compareText(a.key, b.key)
  );
}

function runtimeIndex(snapshot: Snapshot): Map<string, RuntimeState> {
  const index = new Map<string, RuntimeState>();
  for (const account of Object.values(snapshot.accounts)) {
    for (const runtime of account.runtimes) {
      index.set(runtimeKey(account.accountId, runtime.id, undefined), runtime);
      index.set(runtimeKey(account.accountId, undefined, runtime.name), runtime);
    }
  }
  return index;
}

function runtimeKey(accountId: string, id: string | undefined, name: string | undefined): string {
  return id !== undefined ? `${accountId}\u0000id\u0000${id}` : `${accountId}\u0000name\u0000${name ?? ''}`;
}

function accountIdOf(account: string, aliases: Readonly<Record<string, string>>): string {
  return Object.entries(aliases).find(([, alias]) => alias === account)?.[0] ?? account;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
