import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { STATUS_SUBDIR, StateStore } from '../reconciler/state-store.js';
import { findCondition } from '../domain/status.js';
import { statusListView, type StatusListView } from '../server/status-view.js';
import { CliError } from './errors.js';
import { alignColumns } from '../report/columns.js';

interface StatusFlags {
  config?: string;
  url?: string;
  output: string;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show each AtomVersion’s status: from the running controller, or from its state folder')
    .option(
      '-c, --config <file>',
      'atomsync config (asks the controller at server.listen, else reads stateDir)',
    )
    .option('-u, --url <url>', 'the running controller, e.g. http://127.0.0.1:8080')
    .option('-o, --output <format>', 'table | json', 'table')
    .addHelpText(
      'after',
      `
Examples:
  atomsync status --config examples/atomsync.yaml
  atomsync status --url http://127.0.0.1:8080 --output json`,
    )
    .action(async (flags: StatusFlags) => {
      if (flags.output !== 'table' && flags.output !== 'json')
        throw new CliError(`--output must be table or json (got "${flags.output}")`);
      const list = await readStatus(flags);
      process.stdout.write(
        flags.output === 'json' ? `${JSON.stringify(list.view, null, 2)}\n` : renderTable(list),
      );
    });
}

interface StatusRead {
  view: StatusListView;
  from: string;
}

async function readStatus(flags: StatusFlags): Promise<StatusRead> {
  if (flags.url) return fetchStatus(flags.url);
  if (!flags.config) throw new CliError('pass --config FILE or --url http://HOST:PORT');
  const config = await loadConfig(flags.config);
  const url = `http://${clientAddress(config.server.listen)}`;
  try {
    return await fetchStatus(url);
  } catch (error) {
    if (!(error instanceof ControllerNotRunning)) throw error;
  }
  return readStateDir(config.stateDir);
}

class ControllerNotRunning extends CliError {}

async function fetchStatus(base: string): Promise<StatusRead> {
  const url = `${base.replace(/\/+$/, '')}/api/v1/atomversions`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ControllerNotRunning(`no controller answers at ${base} (${cause})`);
  }
  if (!response.ok) throw new CliError(`${url} answered HTTP ${response.status}`);
  const view = (await response.json()) as StatusListView;
  if (!Array.isArray(view.items)) throw new CliError(`${url} did not answer with an AtomVersion status list`);
  return { view, from: `controller at ${base}` };
}

async function readStateDir(stateDir: string): Promise<StatusRead> {
  const exists = await stat(join(stateDir, STATUS_SUBDIR)).then(
    () => true,
    () => false,
  );
  if (!exists)
    throw new CliError(`no status yet: the controller is not running and ${stateDir} holds no status`);
  // Read-only: a controller may be running (and writing) without answering over HTTP.
  const store = await StateStore.open(stateDir, { readOnly: true });
  const statuses = store.all().sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    view: statusListView(statuses, [], new Date()),
    from: `${stateDir} (the controller is not running)`,
  };
}

/** A listen address as a client reaches it (0.0.0.0 → 127.0.0.1). */
function clientAddress(listen: string): string {
  return listen
    .replace(/^0\.0\.0\.0:/, '127.0.0.1:')
    .replace(/^\[::\]:/, '[::1]:')
    .replace(/^:/, '127.0.0.1:');
}

const COLUMNS = [
  'NAMESPACE',
  'NAME',
  'RUNTIME',
  'VERSION',
  'SYNCED',
  'READY',
  'REASON',
  'DRIFTED',
  'APPLIED',
];

function renderTable({ view, from }: StatusRead, now = new Date()): string {
  const rows = view.items.map((item) => {
    const ready = findCondition(item.conditions, 'Ready');
    const stalled = findCondition(item.conditions, 'Stalled');
    const reason = stalled?.status === 'True' ? `Stalled: ${stalled.reason}` : (ready?.reason ?? '');
    return [
      item.namespace,
      item.name,
      item.runtimeName ?? '',
      item.runtimeVersion ?? '',
      item.synced ?? '',
      ready?.status ?? 'Unknown',
      reason,
      item.driftedSince ? age(item.driftedSince, now) : '',
      short(item.lastAppliedRevision),
    ];
  });
  const lines = [`AtomVersions (${view.items.length}) from ${from}:`, ...table([COLUMNS, ...rows])];
  for (const source of view.sources) {
    const state = source.error ? `ERROR ${source.error.code}: ${source.error.message}` : 'ok';
    lines.push(`source ${source.name} at ${short(source.revision) || '(none)'}: ${state}`);
  }
  const notReady = view.items.filter((item) => findCondition(item.conditions, 'Ready')?.status !== 'True');
  for (const item of notReady) {
    const ready = findCondition(item.conditions, 'Ready');
    if (ready) lines.push(`  ${item.namespace}/${item.name}: ${ready.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  return alignColumns(rows, '  ');
}

function age(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function short(revision: string | undefined): string {
  return revision ? revision.slice(0, 12) : '';
}
