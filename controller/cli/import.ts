import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { AccountSnapshot, RuntimeState } from '../domain/types.js';
import { RUNTIME_COMPONENT } from '../domain/types.js';
import { durationText } from '../domain/plan-settings.js';
import { observeAccount } from '../platform/observe.js';
import { openPlatform } from './context.js';
import { CliError } from './errors.js';
import { collect } from './plan-options.js';
import { schemaLine } from './schema-line.js';

interface ImportFlags {
  config: string;
  outDir: string;
  account: string[];
  namespace: string;
  force?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Write AtomVersion files that pin what runs now (adopt existing runtimes)')
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .requiredOption('--out-dir <dir>', 'folder to write one <account>.yaml per account into')
    .option('-a, --account <alias>', 'only this account (repeatable)', collect, [])
    .option('-n, --namespace <ns>', 'metadata.namespace of the written AtomVersions', 'default')
    .option('--force', 'overwrite existing files')
    .addHelpText(
      'after',
      `
Pins the exact current versions (runtime, connectors, integration packs), so a plan right after an
import is in sync. Edit the versions (or use channel: released | pending) to take control.

Examples:
  atomsync import --config examples/atomsync.yaml --out-dir adopted/
  atomsync import --config atomsync.yaml --account acme-prod --namespace integration --out-dir pins/`,
    )
    .action(async (flags: ImportFlags) => {
      const platform = await openPlatform(flags.config);
      try {
        const targets = platform.targets.filter(
          (t) => flags.account.length === 0 || flags.account.includes(t.alias ?? t.accountId),
        );
        if (targets.length === 0)
          throw new CliError(`no configured account matches ${flags.account.join(', ')}`);
        const files: { file: string; text: string; count: number }[] = [];
        for (const target of targets) {
          const account = await observeAccount(target, { runtimes: [], withPacks: [], all: true });
          if (account.error)
            throw new CliError(`cannot read account ${target.alias}: ${account.error.message}`);
          const file = join(flags.outDir, `${target.alias ?? target.accountId}.yaml`);
          const text = `${schemaLine(flags.outDir)}\n${renderImport(account, flags.namespace)}`;
          files.push({ file, text, count: account.runtimes.length });
        }
        // Refuse before writing anything, so an import is never half done.
        if (!flags.force) await refuseExisting(files.map((f) => f.file));
        await mkdir(flags.outDir, { recursive: true });
        for (const { file, text, count } of files) {
          await writeFile(file, text);
          process.stdout.write(`${file}: ${count} runtime(s) pinned at their current versions\n`);
        }
      } finally {
        await platform.close();
      }
    });
}

export async function refuseExisting(files: string[]): Promise<void> {
  for (const file of files) {
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (exists) throw new CliError(`${file} exists; pass --force to overwrite it (nothing was written)`);
  }
}

/** One YAML document per runtime, in name order. */
export function renderImport(account: AccountSnapshot, namespace: string): string {
  const runtimes = [...account.runtimes].sort((a, b) => a.name.localeCompare(b.name));
  return runtimes.map((runtime) => stringify(atomVersionFor(account, runtime, namespace))).join('---\n');
}

function atomVersionFor(account: AccountSnapshot, runtime: RuntimeState, namespace: string): object {
  const runtimeVersion = runtime.components.find((c) => c.name === RUNTIME_COMPONENT)?.version;
  const connectors = runtime.components
    .filter((c) => c.name !== RUNTIME_COMPONENT)
    .map((c) => ({ name: c.name, version: c.version }));
  // Packs not attached to the runtime's environment are listed by the platform but do not run there.
  const integrationPacks = runtime.packs
    .filter((p) => p.applyBlockedReason !== 'NOT_ATTACHED')
    .map((p) => ({ name: p.name, version: p.version }));
  return {
    apiVersion: 'atomsync.io/v1alpha1',
    kind: 'AtomVersion',
    metadata: { name: kubernetesName(`${account.alias ?? account.accountId}-${runtime.name}`), namespace },
    spec: {
      account: account.alias ?? account.accountId,
      runtime: { name: runtime.name },
      ...(runtimeVersion ? { version: runtimeVersion } : {}),
      ...(connectors.length > 0 ? { connectors } : {}),
      ...(integrationPacks.length > 0 ? { integrationPacks } : {}),
      ...settingsOf(runtime),
    },
  };
}

/** The release schedule and force-restart time as pins (a whole number of seconds, as the CRD takes it). */
function settingsOf(runtime: RuntimeState): { releaseSchedule?: object; forceRestartAfter?: string } {
  const settings: { releaseSchedule?: object; forceRestartAfter?: string } = {};
  const schedule = runtime.releaseSchedule;
  if (schedule) {
    settings.releaseSchedule =
      schedule.scheduleType === 'NEVER'
        ? { week: 'never' }
        : {
            week: schedule.scheduleType.toLowerCase(),
            day: schedule.dayOfWeek?.toUpperCase(),
            hour: schedule.hourOfDay ?? 0,
            timeZone: schedule.timeZone ?? 'UTC',
          };
  }
  const ms = runtime.forceRestartTime;
  if (ms !== undefined && ms % 1000 === 0) settings.forceRestartAfter = durationText(ms);
  return settings;
}

function kubernetesName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}
