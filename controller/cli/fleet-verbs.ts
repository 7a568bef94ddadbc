// kubectl-style verbs over the dashboard's data: `get`, `describe runtime`, `history`. They read a
// running controller or dashboard (--url, GET /ui/api/fleet) or, with --config alone, observe and plan
// once themselves (plan-only: nothing is written).
import type { Command } from 'commander';
import { accountBookOf } from '../config/account-book.js';
import { loadConfig } from '../config/load-config.js';
import { StateStore } from '../reconciler/state-store.js';
import type { ReconcileRecord } from '../domain/status.js';
import {
  OUTPUT_FORMATS,
  RESOURCES,
  describeRuntime,
  historyLines,
  itemsOf,
  nameOf,
  parseResource,
  parseSelector,
  render,
  renderChanged,
  watchedText,
  type OutputFormat,
  type Resource,
} from '../ui/fleet-tables.js';
import type { FleetView } from '../ui/fleet-view.js';
import { observeFleet } from '../ui/observe-fleet.js';
import { AuditTrail } from '../ui/audit-trail.js';
import { loadDesired, openPlatform } from './context.js';
import { durationFlag } from './duration-flag.js';
import { CliError } from './errors.js';
import { planningOptions } from '../pipeline/planning-options.js';
import { collect } from './plan-options.js';

interface SourceFlags {
  config: string;
  dir: string[];
  url?: string;
}

interface GetFlags extends SourceFlags {
  output: string;
  selector?: string;
  watch?: boolean;
  interval: string;
}

const TOKEN_ENV = 'ATOMSYNC_TOKEN';

function sourceOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'atomsync config (observes and plans once, plan-only)', 'atomsync.yaml')
    .option(
      '-d, --dir <dir>',
      'pin directory (repeatable; default: the config’s directory sources)',
      collect,
      [],
    )
    .option(
      '-u, --url <url>',
      `a running controller or dashboard, e.g. http://127.0.0.1:8080 (bearer token from $${TOKEN_ENV})`,
    );
}

export function registerFleetVerbs(program: Command): void {
  sourceOptions(
    program
      .command('get')
      .argument('<resource>', RESOURCES.join(' | '))
      .argument('[name]', 'one runtime (AtomVersion key, name or runtime name), request id or account')
      .description('List runtimes, pins, requests or accounts, kubectl-style'),
  )
    .option('-o, --output <format>', OUTPUT_FORMATS.join(' | '), 'table')
    .option(
      '-l, --selector <terms>',
      'filter: account=A,env=TEST|PROD,outcome=in-sync|drifted|blocked|waiting|manual',
    )
    .option('-w, --watch', 'print again whenever the fleet changes (Ctrl-C to stop)')
    .option('--interval <duration>', 'with --watch: how often to look', '5s')
    .addHelpText(
      'after',
      `
Examples:
  atomsync get runtimes -c examples/atomsync.yaml
  atomsync get pins -c examples/atomsync.yaml -l outcome=blocked -o wide
  atomsync get runtimes -c atomsync.yaml -l account=acme-prod,env=PROD -o yaml
  atomsync get requests --url http://127.0.0.1:8080 --watch
  atomsync get accounts -c atomsync.yaml -o json`,
    )
    .action(async (resourceName: string, name: string | undefined, flags: GetFlags) => {
      const resource = parseResource(resourceName);
      if (!resource) throw new CliError(`unknown resource "${resourceName}": use ${RESOURCES.join(', ')}`);
      const format = parseOutput(flags.output);
      const selector = parseSelector(flags.selector);
      if (typeof selector === 'string') throw new CliError(`-l: ${selector}`);
      const itemsIn = (view: FleetView): object[] => {
        const items = itemsOf(view, resource, selector, name);
        if (name !== undefined && items.length === 0 && !flags.watch)
          throw new CliError(`no ${resource} named "${name}"`);
        return items;
      };
      if (!flags.watch) {
        process.stdout.write(render(resource, itemsIn(await readFleet(flags)), format));
        return;
      }
      await watch(flags, { resource, format, itemsIn }, durationFlag('--interval', flags.interval));
    });

  sourceOptions(
    program
      .command('describe')
      .argument('<kind>', 'runtime')
      .argument('<name>', 'the AtomVersion (namespace/name or name) or the runtime name')
      .description('Show one runtime: pins, plan, what to do, requests and conditions'),
  )
    .addHelpText(
      'after',
      `
Examples:
  atomsync describe runtime prod-west-atom -c examples/atomsync.yaml
  atomsync describe runtime "Prod West Atom" --url http://127.0.0.1:8080`,
    )
    .action(async (kind: string, name: string, flags: SourceFlags) => {
      if (parseResource(kind) !== 'runtimes') throw new CliError(`describe knows runtime (got "${kind}")`);
      const view = await readFleet(flags, new AuditTrail());
      process.stdout.write(describeRuntime(view, findRow(view, name)));
    });

  program
    .command('history')
    .argument('<name>', 'the AtomVersion (namespace/name or name)')
    .description('The reconcile passes of one AtomVersion: what the controller did, newest first')
    .option('-c, --config <file>', 'atomsync config (reads the controller’s stateDir)', 'atomsync.yaml')
    .option('-u, --url <url>', `a running controller, e.g. http://127.0.0.1:8080 (token from $${TOKEN_ENV})`)
    .option('-o, --output <format>', 'table | json | yaml', 'table')
    .addHelpText(
      'after',
      `
Examples:
  atomsync history prod-east-molecule -c examples/atomsync.yaml
  atomsync history integration/staging-atom --url http://127.0.0.1:8080 -o json`,
    )
    .action(async (name: string, flags: { config: string; url?: string; output: string }) => {
      const { key, history } = await readHistory(name, flags);
      const format = parseOutput(flags.output);
      if (format === 'json' || format === 'yaml') {
        process.stdout.write(
          render('runtimes', [{ key, history }], format).replace('"kind": "List"', '"kind": "History"'),
        );
        return;
      }
      process.stdout.write(renderHistory(key, history));
    });
}

function parseOutput(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CliError(`-o must be one of ${OUTPUT_FORMATS.join(', ')} (got "${value}")`);
}

function findRow(view: FleetView, name: string): FleetView['rows'][number] {
  const matches = view.rows.filter(
    (row) => row.key === name || row.key.endsWith(`/${name}`) || row.runtimeName === name,
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0)
    throw new CliError(`no runtime "${name}" in the pins (atomsync get runtimes lists them)`);
  throw new CliError(
    `"${name}" names ${matches.length} runtimes: ${matches.map((row) => row.key).join(', ')}; use namespace/name`,
  );
}

/** With `audit`, the platform's AuditLog is read too (one query per account): describe shows it. */
async function readFleet(flags: SourceFlags, audit?: AuditTrail): Promise<FleetView> {
  if (flags.url) return fetchFleet(flags.url);
  const platform = await openPlatform(flags.config);
  try {
    return await observeFleet({
      targets: platform.targets,
      desired: await loadDesired(platform.config, flags.dir),
      options: planningOptions(platform.config),
      aliases: accountBookOf(platform.config).aliases(),
      mode: 'plan-only',
      ...(audit ? { audit } : {}),
    });
  } finally {
    await platform.close();
  }
}

async function fetchFleet(base: string): Promise<FleetView> {
  const url = `${base.replace(/\/+$/, '')}/ui/api/fleet`;
  const token = process.env[TOKEN_ENV];
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(`no controller or dashboard answers at ${base} (${cause})`);
  }
  if (response.status === 401) throw new CliError(`${url} wants a token: set ${TOKEN_ENV}`);
  if (!response.ok) throw new CliError(`${url} answered HTTP ${response.status}`);
  const view = (await response.json()) as FleetView;
  if (!Array.isArray(view.rows)) throw new CliError(`${url} did not answer with the fleet`);
  return view;
}

interface Watched {
  resource: Resource;
  format: OutputFormat;
  itemsIn: (view: FleetView) => object[];
}

/** kubectl's --watch: the listing once, then a new row for each item that changed, until Ctrl-C. */
async function watch(flags: SourceFlags, watched: Watched, intervalMs: number): Promise<void> {
  let stop = false;
  const stopping = new Promise<void>((resolve) => {
    const onSignal = (): void => {
      stop = true;
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const { resource, format } = watched;
  const printed = new Map<string, string>();
  let first = true;
  while (!stop) {
    const items = watched.itemsIn(await readFleet(flags));
    const changed = items.filter((item) => {
      const text = watchedText(resource, item, format);
      const id = nameOf(resource, item);
      if (printed.get(id) === text) return false;
      printed.set(id, text);
      return true;
    });
    if (first) process.stdout.write(render(resource, items, format));
    else if (changed.length > 0) process.stdout.write(renderChanged(resource, changed, format));
    first = false;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, intervalMs)), stopping]);
  }
}

async function readHistory(
  name: string,
  flags: { config: string; url?: string },
): Promise<{ key: string; history: ReconcileRecord[] }> {
  if (flags.url) {
    const row = findRow(await fetchFleet(flags.url), name);
    if (!row.status)
      throw new CliError(`${flags.url} keeps no history of ${row.key}: is it a controller (atomsync run)?`);
    return { key: row.key, history: row.status.history };
  }
  const config = await loadConfig(flags.config);
  const store = await StateStore.open(config.stateDir);
  const statuses = store.all().filter((status) => status.key === name || status.key.endsWith(`/${name}`));
  const status = statuses[0];
  if (!status || statuses.length > 1)
    throw new CliError(
      status
        ? `"${name}" names ${statuses.length} AtomVersions: use namespace/name`
        : `no history of "${name}" in ${config.stateDir}: the controller (atomsync run) has not reconciled it`,
    );
  return { key: status.key, history: status.history };
}

function renderHistory(key: string, history: readonly ReconcileRecord[]): string {
  if (history.length === 0) return `${key}: no reconcile passes yet.\n`;
  return `${key}\n${historyLines(history).join('\n')}\n`;
}
