// The frame plan and apply share: one deadline, the call log on stderr, the accounts --target names, the
// pins, then observe → plan, failing (exit 1) when an account could not be read.
import type { Command } from 'commander';
import type { DesiredAtomVersion, Plan, Snapshot } from '../domain/types.js';
import { observeAndPlan } from '../pipeline/observe-and-plan.js';
import { failOnUnreadAccounts, failOnUnreadPublishers } from './account-failures.js';
import { CallLog, verbosityOf } from './call-log.js';
import type { Verbosity } from './call-log.js';
import {
  failOnRefusedPins,
  loadDocuments,
  MAX_RETRIES,
  openPlatformWith,
  platformPlanningOptions,
} from './context.js';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { PackReleasePlan } from '../domain/plan-pack-releases.js';
import { observeAndPlanReleases, observeInstallBases } from '../pipeline/pack-releases.js';
import { readFollowedReleases } from './release-ledger.js';
import { accountBookOf } from '../config/account-book.js';
import type { PlatformContext } from './context.js';
import { CommandDeadline } from './deadline.js';
import { collect } from './plan-options.js';
import { loadConfig } from '../config/load-config.js';
import type { AtomsyncConfig } from '../config/types.js';
import { StateLock } from './state-lock.js';

export interface PlannedFlags {
  config: string;
  dir: string[];
  target: string[];
  timeout: string;
}

export interface PlannedRun {
  platform: PlatformContext;
  /** The pins planned (those of the --target accounts). */
  desired: DesiredAtomVersion[];
  snapshot: Snapshot;
  plan: Plan;
  /** The IntegrationPackReleases (docs/publisher.md) of the --target accounts, and their plan. */
  releases: DesiredPackRelease[];
  releasePlan: PackReleasePlan;
  log: CallLog;
  deadline: CommandDeadline;
  verbosity: Verbosity;
  /** Reads the platform and plans the same pins again (apply --wait, after a release-schedule slot). */
  replan(): Promise<{ plan: Plan; snapshot: Snapshot }>;
}

/** The options every planning verb has. */
export function addPlannedOptions(command: Command, timeoutDefault: string): Command {
  return command
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .option(
      '-d, --dir <dir>',
      'pin directory (repeatable; default: the config’s directory sources)',
      collect,
      [],
    )
    .option(
      '--target <account>',
      'only this account (alias or account id; repeatable); the others are neither read nor changed',
      collect,
      [],
    )
    .option(
      '--timeout <duration>',
      'the whole command’s deadline: reading, sending and waiting (e.g. 90s, 10m)',
      timeoutDefault,
    );
}

/** --verbose / --quiet, which are the program's options (before or after the verb). */
export function verbosityFlag(command: Command): Verbosity {
  return verbosityOf(command.optsWithGlobals<{ verbose?: boolean; quiet?: boolean }>());
}

export async function runPlanned<T>(
  verb: 'plan' | 'apply',
  flags: PlannedFlags,
  verbosity: Verbosity,
  use: (run: PlannedRun) => Promise<T>,
): Promise<T> {
  const deadline = CommandDeadline.fromFlag(verb, flags.timeout);
  const config = await loadConfig(flags.config);
  const log = new CallLog(process.stderr, verbosity, accountBookOf(config).aliases(), MAX_RETRIES + 1);
  // apply writes (the platform, the embedded world's state): one writer per stateDir. plan only reads.
  const lock = verb === 'apply' ? await StateLock.acquire(config.stateDir, verb) : undefined;
  try {
    return await underDeadline({ config, flags, verb, verbosity, deadline, log }, use);
  } finally {
    await lock?.release();
  }
}

interface DeadlineFrame {
  config: AtomsyncConfig;
  flags: PlannedFlags;
  verb: 'plan' | 'apply';
  verbosity: Verbosity;
  deadline: CommandDeadline;
  log: CallLog;
}

function underDeadline<T>(frame: DeadlineFrame, use: (run: PlannedRun) => Promise<T>): Promise<T> {
  const { config, flags, verb, verbosity, deadline, log } = frame;
  return deadline.run(
    async () => {
      const platform = await openPlatformWith(config, {
        deadline,
        onRequest: log.onRequest,
        accounts: flags.target,
      });
      try {
        const { desired: pins, releases } = await loadDocuments(platform.config, flags.dir);
        failOnRefusedPins(platform.config, pins);
        const desired = onlyTargeted(pins, platform, flags.target);
        const replan = async () => {
          const planned = await observeAndPlan(
            platform.targets,
            desired,
            await platformPlanningOptions(platform),
          );
          failOnUnreadAccounts(planned.snapshot, verb);
          failOnRefusedPins(platform.config, desired, planned.snapshot);
          return planned;
        };
        const { plan, snapshot } = await replan();
        const releasePlan = await observeAndPlanReleases(
          platform.config,
          platform.targets,
          releases,
          await readFollowedReleases(config.stateDir),
        );
        failOnUnreadPublishers(releasePlan, verb, accountBookOf(platform.config).aliases());
        releasePlan.installBase = await observeInstallBases(platform.targets, releases, releasePlan);
        return await use({
          platform,
          desired,
          snapshot,
          plan,
          releases,
          releasePlan,
          log,
          deadline,
          verbosity,
          replan,
        });
      } finally {
        await platform.close();
      }
    },
    () => log.lastCalls(),
  );
}

/** With --target, the pins of the other accounts are left alone (neither planned nor applied). */
function onlyTargeted(
  desired: DesiredAtomVersion[],
  platform: PlatformContext,
  target: readonly string[],
): DesiredAtomVersion[] {
  if (target.length === 0) return desired;
  const book = accountBookOf(platform.config);
  const targeted = new Set(platform.targets.map((t) => t.accountId));
  return desired.filter((doc) => targeted.has(book.idOf(doc.spec.account)));
}
