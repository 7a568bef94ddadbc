// `atomsync validate`: pin files against the schema; with -c CONFIG also against the config (accounts,
// two AtomVersions on one runtime however the account is written); with --platform also against what the
// platform has (runtime names and ids, a runtime pinned once by name and once by id). Reads only.
import type { Command } from 'commander';
import { accountBookOf } from '../config/account-book.js';
import { loadConfig } from '../config/load-config.js';
import type { AtomsyncConfig } from '../config/types.js';
import { refusePins, type PinRefusal } from '../domain/pin-refusals.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { observeAndPlan } from '../pipeline/observe-and-plan.js';
import { planningOptions } from '../pipeline/planning-options.js';
import { formatProblem, loadPins, type PinProblem } from '../sources/load-pins.js';
import { unknownReleaseAccounts } from '../sources/release-accounts.js';
import { refusalProblems } from '../sources/refusal-problems.js';
import { failOnUnreadAccounts } from './account-failures.js';
import { CallLog, type Verbosity } from './call-log.js';
import { compareProblems } from '../yaml/problem.js';
import { directorySources, MAX_RETRIES, observedRuntimes, openPlatformWith } from './context.js';
import { CommandDeadline } from './deadline.js';
import { CliError } from './errors.js';
import { verbosityFlag } from './planned-command.js';

interface ValidateFlags {
  config?: string;
  platform?: boolean;
  timeout: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check pin files: against the schema, with -c the config, with --platform the platform')
    .argument(
      '[paths...]',
      'directories or files of AtomVersion YAML (default with -c: its directory sources)',
    )
    .option(
      '-c, --config <file>',
      'also check against this config: accounts exist, one AtomVersion per runtime',
    )
    .option(
      '--platform',
      'with -c: also read the platform (never write): runtime names and ids exist, a runtime pinned by name and by id',
    )
    .option('--timeout <duration>', 'with --platform: the deadline for reading the platform', '2m')
    .addHelpText(
      'after',
      `
Exit code 0 when every document is valid, 1 otherwise; each problem is printed as file:line:col with what
to do. Without -c it needs no config and no network; -c adds the config's checks offline; --platform
reads the accounts as plan does (an account that cannot be read is an error).

Examples:
  atomsync validate examples/pins
  atomsync validate -c examples/atomsync.yaml
  atomsync validate -c examples/atomsync.yaml --platform`,
    )
    .action(async (paths: string[], flags: ValidateFlags, command: Command) => {
      if (flags.platform && flags.config === undefined) {
        throw new CliError(
          '--platform needs -c CONFIG: the accounts and credentials to read the platform with',
        );
      }
      const config = flags.config === undefined ? undefined : await loadConfig(flags.config);
      const roots = paths.length > 0 ? paths : directorySources(config);
      if (roots.length === 0) {
        throw new CliError(
          config
            ? `${config.configFile} has no directory source: name the pin folders to check`
            : 'name the pin folders to check, or pass -c CONFIG to check its directory sources',
        );
      }
      const { desired, releases, problems } = await loadPins(roots);
      if (config) problems.push(...unknownReleaseAccounts(releases, accountBookOf(config)));
      const offline = config ? refusePins(desired, accountBookOf(config)) : new Map<string, PinRefusal>();
      problems.push(...refusalProblems(desired, offline));
      const refused = new Set(offline.keys());
      if (flags.platform && config) {
        const unrefused = desired.filter((doc) => !refused.has(doc.key));
        const online = await platformRefusals(config, unrefused, flags, verbosityFlag(command));
        for (const key of online.keys()) refused.add(key);
        problems.push(...refusalProblems(unrefused, online));
      }
      report(desired, refused, problems, releases.length);
    });
}

/** Reads the accounts the pins name (as plan does) and refuses what the platform does not have. */
async function platformRefusals(
  config: AtomsyncConfig,
  desired: DesiredAtomVersion[],
  flags: ValidateFlags,
  verbosity: Verbosity,
): Promise<Map<string, PinRefusal>> {
  const deadline = CommandDeadline.fromFlag('validate', flags.timeout);
  const book = accountBookOf(config);
  const log = new CallLog(process.stderr, verbosity, book.aliases(), MAX_RETRIES + 1);
  return deadline.run(
    async () => {
      const platform = await openPlatformWith(config, { deadline, onRequest: log.onRequest });
      try {
        const { snapshot } = await observeAndPlan(platform.targets, desired, planningOptions(config));
        failOnUnreadAccounts(snapshot, 'validate');
        return refusePins(desired, book, observedRuntimes(snapshot));
      } finally {
        await platform.close();
      }
    },
    () => log.lastCalls(),
  );
}

/** The problems on stderr (file:line:col), then a count; exit 1 when there is any problem. */
function report(
  desired: readonly DesiredAtomVersion[],
  refused: ReadonlySet<string>,
  problems: PinProblem[],
  releases: number,
): void {
  for (const problem of [...problems].sort(compareProblems))
    process.stderr.write(`${formatProblem(problem)}\n`);
  const valid = desired.filter((doc) => !refused.has(doc.key)).length;
  const docs =
    (valid === 1 ? '1 AtomVersion' : `${valid} AtomVersions`) +
    (releases === 0
      ? ''
      : releases === 1
        ? ', 1 IntegrationPackRelease'
        : `, ${releases} IntegrationPackReleases`);
  if (problems.length === 0) {
    process.stdout.write(`${docs} valid.\n`);
    process.exitCode = 0;
  } else {
    process.stderr.write(`${problems.length} problem(s); ${docs} valid.\n`);
    process.exitCode = 1;
  }
}
