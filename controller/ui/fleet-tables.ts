// `atomsync get` / `describe`: the dashboard's FleetView as kubectl-style tables and objects. Pure.
import { stringify } from 'yaml';
import type { CellState, FleetRow, FleetView } from './fleet-view.js';
import { matchesQuery, type FleetQuery } from './fleet-query.js';
import { alignColumns } from '../report/columns.js';
import type { ReconcileRecord } from '../domain/status.js';
import { LOOKBACK_DAYS } from './audit-trail.js';

export type Resource = 'runtimes' | 'pins' | 'requests' | 'accounts';
export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml' | 'name';

export const RESOURCES: readonly Resource[] = ['runtimes', 'pins', 'requests', 'accounts'];
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'wide', 'json', 'yaml', 'name'];

const SINGULAR: Record<Resource, string> = {
  runtimes: 'runtime',
  pins: 'pin',
  requests: 'request',
  accounts: 'account',
};

/** kubectl accepts `runtime`, `runtimes` and short names; so do we. */
export function parseResource(value: string): Resource | undefined {
  const aliases: Record<string, Resource> = {
    runtime: 'runtimes',
    runtimes: 'runtimes',
    rt: 'runtimes',
    pin: 'pins',
    pins: 'pins',
    request: 'requests',
    requests: 'requests',
    req: 'requests',
    account: 'accounts',
    accounts: 'accounts',
    acct: 'accounts',
  };
  return aliases[value.toLowerCase()];
}

export type Selector = Omit<FleetQuery, 'page' | 'pageSize'>;

/** `-l account=acme-prod,env=PROD,outcome=blocked` → the filters of the dashboard. */
export function parseSelector(value: string | undefined): Selector | string {
  const selector: Selector = {};
  for (const term of (value ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [key, ...rest] = term.split('=');
    const wanted = rest.join('=').trim();
    const field = key?.trim();
    if (!wanted) return `selector term "${term}" must be KEY=VALUE`;
    if (field === 'account') selector.account = wanted;
    else if (field === 'env' || field === 'environment') selector.environment = wanted;
    else if (field === 'outcome' || field === 'state') {
      if (!isCellState(wanted))
        return `outcome must be one of in-sync, drifted, blocked, waiting, manual (got "${wanted}")`;
      selector.state = wanted;
    } else return `unknown selector key "${field}": use account, env or outcome`;
  }
  return selector;
}

function isCellState(value: string): value is CellState {
  return ['in-sync', 'drifted', 'blocked', 'waiting', 'manual'].includes(value);
}

/** The objects of a resource, filtered by selector and (optionally) name. */
export function itemsOf(view: FleetView, resource: Resource, selector: Selector, name?: string): object[] {
  const rows = view.rows.filter((row) => matchesQuery(row, selector));
  const named = (row: FleetRow): boolean =>
    name === undefined || row.key === name || row.runtimeName === name || row.key.endsWith(`/${name}`);
  switch (resource) {
    case 'runtimes':
      return rows.filter(named).map(runtimeItem);
    case 'pins':
      return rows.filter(named).flatMap((row) =>
        row.cells
          .filter((cell) => selector.state === undefined || cell.state === selector.state)
          .map((cell) => ({
            atomVersion: row.key,
            account: row.account,
            runtime: row.runtimeName,
            ...cell,
          })),
      );
    case 'requests':
      return requestItems(view, rows).filter(
        (item) => name === undefined || item.id === name || item.atomVersions.includes(name),
      );
    case 'accounts':
      return accountItems(view, rows).filter(
        (item) => name === undefined || item.account === name || item.accountId === name,
      );
  }
}

function runtimeItem(row: FleetRow): object {
  const { cells, status, ...rest } = row;
  return { ...rest, pins: cells, ...(status ? { conditions: status.conditions } : {}) };
}

interface RequestItem {
  id: string;
  state: string;
  account: string;
  runtime: string;
  kind: string;
  action?: string;
  components: string[];
  atomVersions: string[];
  wave?: number;
}

function requestItems(view: FleetView, rows: readonly FleetRow[]): RequestItem[] {
  const keys = new Set(rows.map((row) => row.key));
  const inFlight = rows.flatMap((row) =>
    row.requests.map((request) => ({
      id: request.id,
      state: request.status,
      account: row.account,
      runtime: row.runtimeName,
      kind: request.kind,
      ...(request.action ? { action: request.action } : {}),
      components: request.components,
      atomVersions: [row.key],
    })),
  );
  const accountOf = new Map(rows.map((row) => [row.accountId, row.account]));
  const planned = view.waves.flatMap((wave) =>
    wave.requests
      .filter((request) => request.keys.some((key) => keys.has(key)))
      .map((request, index) => ({
        id: `wave-${wave.wave}-${index + 1}`,
        state: 'Planned',
        account: accountOf.get(request.accountId) ?? request.accountId,
        runtime: request.runtimeName,
        kind: request.kind,
        ...(request.action ? { action: request.action } : {}),
        components: request.packs
          ? request.packs.map((p) => `${p.name} ${p.fromVersion}→${p.toVersion}`)
          : request.components,
        atomVersions: request.keys,
        wave: wave.wave,
      })),
  );
  return [...inFlight, ...planned];
}

interface AccountItem extends Record<CellState, number> {
  account: string;
  accountId: string;
  runtimes: number;
  error?: string;
}

function accountItems(view: FleetView, rows: readonly FleetRow[]): AccountItem[] {
  const accounts = new Map<string, AccountItem>();
  for (const row of rows) {
    const entry = accounts.get(row.accountId) ?? {
      account: row.account,
      accountId: row.accountId,
      runtimes: 0,
      'in-sync': 0,
      drifted: 0,
      blocked: 0,
      waiting: 0,
      manual: 0,
    };
    entry.runtimes += 1;
    entry[row.state] += 1;
    accounts.set(row.accountId, entry);
  }
  const errors = new Map(view.accountErrors.map((error) => [error.account, error.message]));
  return [...accounts.values()].map((entry) => ({
    ...entry,
    ...(errors.has(entry.account) ? { error: errors.get(entry.account) } : {}),
  }));
}

export function render(resource: Resource, items: object[], format: OutputFormat): string {
  if (format === 'json')
    return `${JSON.stringify({ apiVersion: 'atomsync.io/v1alpha1', kind: 'List', items }, null, 2)}\n`;
  if (format === 'yaml') return stringify({ apiVersion: 'atomsync.io/v1alpha1', kind: 'List', items });
  if (format === 'name')
    return items.map((item) => `${SINGULAR[resource]}/${nameOf(resource, item)}\n`).join('');
  if (items.length === 0) return `No ${resource} found.\n`;
  const { headers, cells } = COLUMNS[resource](format === 'wide');
  return `${table([headers, ...items.map((item) => cells(item as never))]).join('\n')}\n`;
}

/**
 * `get --watch` after the first listing: only the items that changed, without the header (kubectl's way:
 * a new row per change, under the table printed first).
 */
export function renderChanged(resource: Resource, items: object[], format: OutputFormat): string {
  if (format !== 'table' && format !== 'wide') return render(resource, items, format);
  const { headers, cells } = COLUMNS[resource](format === 'wide');
  return `${table([headers, ...items.map((item) => cells(item as never))])
    .slice(1)
    .join('\n')}\n`;
}

/** What `get --watch` compares between two reads of one item: what the chosen format would print. */
export function watchedText(resource: Resource, item: object, format: OutputFormat): string {
  if (format === 'table' || format === 'wide')
    return COLUMNS[resource](format === 'wide')
      .cells(item as never)
      .join('\t');
  return JSON.stringify(item);
}

export function nameOf(resource: Resource, item: object): string {
  const record = item as Record<string, unknown>;
  if (resource === 'runtimes') return String(record['key']);
  if (resource === 'pins') return `${String(record['atomVersion'])}/${String(record['column'])}`;
  if (resource === 'requests') return String(record['id']);
  return String(record['account']);
}

type Columns = (wide: boolean) => { headers: string[]; cells: (item: Record<string, unknown>) => string[] };

const text = (value: unknown): string =>
  value === undefined || value === null ? '' : String(value as string);

const COLUMNS: Record<Resource, Columns> = {
  runtimes: (wide) => ({
    headers: [
      'NAME',
      'ACCOUNT',
      'ENV',
      'RUNTIME',
      'STATE',
      'VERSION',
      'PINS',
      ...(wide ? ['TYPE', 'STATUS', 'ORIGIN'] : []),
    ],
    cells: (item) => {
      const pins = item['pins'] as {
        column: string;
        current?: string;
        target?: string;
        pinned: string;
        state: string;
      }[];
      const runtimePin = pins.find((pin) => pin.column === 'runtime');
      const version = runtimePin ? move(runtimePin.current, runtimePin.target ?? runtimePin.pinned) : '';
      const notInSync = pins.filter((pin) => pin.state !== 'in-sync').length;
      return [
        text(item['key']),
        text(item['account']),
        text(item['environment']),
        text(item['runtimeName']),
        text(item['state']),
        version,
        `${pins.length - notInSync}/${pins.length}`,
        ...(wide ? [text(item['runtimeType']), text(item['runtimeStatus']), text(item['origin'])] : []),
      ];
    },
  }),
  pins: (wide) => ({
    headers: [
      'ATOMVERSION',
      'PIN',
      'CURRENT',
      'TARGET',
      'OUTCOME',
      'REASON',
      ...(wide ? ['PENDING', 'ROLLBACK', 'MESSAGE'] : []),
    ],
    cells: (item) => [
      text(item['atomVersion']),
      item['kind'] === 'runtime' ? 'runtime' : `${text(item['kind'])} ${text(item['name'])}`,
      text(item['current']),
      text(item['target'] ?? item['pinned']),
      text(item['outcome']),
      text(item['reason']),
      ...(wide ? [text(item['pending']), text(item['rollback']), text(item['message'])] : []),
    ],
  }),
  requests: (wide) => ({
    headers: [
      'ID',
      'STATE',
      'ACCOUNT',
      'RUNTIME',
      'KIND',
      'ACTION',
      'COMPONENTS',
      ...(wide ? ['WAVE', 'ATOMVERSIONS'] : []),
    ],
    cells: (item) => [
      text(item['id']),
      text(item['state']),
      text(item['account']),
      text(item['runtime']),
      text(item['kind']),
      text(item['action']),
      (item['components'] as string[]).join(', '),
      ...(wide ? [text(item['wave']), (item['atomVersions'] as string[]).join(', ')] : []),
    ],
  }),
  accounts: (wide) => ({
    headers: [
      'ACCOUNT',
      'RUNTIMES',
      'IN-SYNC',
      'DRIFTED',
      'BLOCKED',
      'WAITING',
      'MANUAL',
      ...(wide ? ['ID', 'ERROR'] : []),
    ],
    cells: (item) => [
      text(item['account']),
      text(item['runtimes']),
      text(item['in-sync']),
      text(item['drifted']),
      text(item['blocked']),
      text(item['waiting']),
      text(item['manual']),
      ...(wide ? [text(item['accountId']), text(item['error'])] : []),
    ],
  }),
};

function move(current: string | undefined, target: string): string {
  return current === undefined ? `→ ${target}` : current === target ? current : `${current} → ${target}`;
}

function table(rows: string[][]): string[] {
  return alignColumns(rows, '   ');
}

/** `atomsync describe runtime NAME`: the runtime page as text. */
export function describeRuntime(view: FleetView, row: FleetRow): string {
  const lines = [
    `Name:         ${row.key}`,
    `Runtime:      ${row.runtimeName}${row.runtimeType ? ` (${row.runtimeType}, ${row.runtimeStatus ?? ''})` : ' (not found)'}`,
    `Account:      ${row.account} (${row.accountId})`,
    `Environment:  ${row.environment}${row.environmentName ? ` — ${row.environmentName}` : ''}`,
    `Pinned in:    ${row.origin}`,
    `State:        ${row.state}${row.suspended ? ' (suspended)' : ''}`,
    '',
    'Pins:',
    ...table([
      ['PIN', 'CURRENT', 'PINNED', 'TARGET', 'PENDING', 'ROLLBACK', 'OUTCOME', 'REASON'],
      ...row.cells.map((cell) => [
        cell.kind === 'runtime' ? 'runtime' : `${cell.kind} ${cell.name}`,
        cell.current ?? '',
        cell.pinned,
        cell.target ?? '',
        cell.pending ?? '',
        cell.rollback ?? '',
        cell.outcome,
        cell.reason ?? '',
      ]),
    ]).map((line) => `  ${line}`),
  ];
  const notes = row.cells.filter((cell) => cell.state !== 'in-sync');
  if (notes.length > 0) {
    lines.push('', 'Plan:');
    for (const cell of notes) {
      lines.push(`  ${cell.name}: ${cell.message}`);
      if (cell.advice) lines.push(`    What to do: ${cell.advice}`);
      (cell.manualSteps ?? []).forEach((step, index) => lines.push(`    ${index + 1}. ${step}`));
    }
  }
  const planned = view.waves
    .flatMap((wave) => wave.requests)
    .filter((request) => request.keys.includes(row.key));
  lines.push('', 'Planned requests:');
  if (planned.length === 0) lines.push('  none');
  for (const request of planned)
    lines.push(
      `  wave ${request.wave}: ${request.kind}${request.action ? ` ${request.action}` : ''} ${request.components.join(', ')}`,
    );
  lines.push('', 'Requests in flight:');
  if (row.requests.length === 0) lines.push('  none');
  for (const request of row.requests)
    lines.push(
      `  ${request.id}: ${request.kind}${request.action ? ` ${request.action}` : ''} ${request.components.join(', ')} — ${request.status}`,
    );
  if (row.status) {
    lines.push('', 'Conditions:');
    for (const condition of row.status.conditions)
      lines.push(`  ${condition.type}=${condition.status} ${condition.reason}: ${condition.message}`);
    if (row.status.changedBy) lines.push('', `Changed by:   ${row.status.changedBy}`);
  }
  lines.push(...auditLines(row));
  if (row.status) {
    lines.push('', 'History (reconcile passes, newest first):');
    lines.push(...historyLines(row.status.history).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The platform's AuditLog entries about the runtime: who changed it, how, from which version to which. */
function auditLines(row: FleetRow): string[] {
  if (!row.audit) return [];
  const lines = ['', 'AuditLog (the platform’s entries about this runtime, newest first):'];
  if (row.audit.length === 0) return [...lines, `  none in the last ${LOOKBACK_DAYS} days`];
  const entries = [...row.audit]
    .reverse()
    .map((entry) => [
      entry.date,
      entry.userId ?? '',
      entry.source ?? '',
      `${entry.type} ${entry.action}${entry.modifier ? ` ${entry.modifier}` : ''}`,
      entry.properties.map((p) => `${p.name} ${p.previousValue ?? ''} → ${p.value ?? ''}`).join(', '),
      entry.message ?? '',
    ]);
  return [
    ...lines,
    ...table([['AT', 'WHO', 'VIA', 'WHAT', 'CHANGES', 'MESSAGE'], ...entries]).map((l) => `  ${l}`),
  ];
}

/** The controller's reconcile passes as a table, newest first (`history`, `describe`). */
export function historyLines(history: readonly ReconcileRecord[]): string[] {
  if (history.length === 0) return ['no reconcile passes yet'];
  const rows = [...history]
    .reverse()
    .map((record) => [
      record.at,
      record.trigger,
      record.revision.slice(0, 12),
      record.result,
      record.actions
        .map(
          (action) =>
            `${action.kind}${action.action ? ` ${action.action}` : ''} ${action.components.join('+')}${action.requestId ? ` (${action.requestId})` : ''}`,
        )
        .join('; '),
      record.message ?? '',
    ]);
  return table([['AT', 'TRIGGER', 'REVISION', 'RESULT', 'REQUESTS', 'MESSAGE'], ...rows]);
}
