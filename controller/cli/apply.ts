import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { accountBookOf } from '../config/account-book.js';
import type { Plan } from '../domain/types.js';
import { executeRequests, type ExecutionEvent } from '../pipeline/execute-requests.js';
import { restartsInProgress } from '../pipeline/platform-restarts.js';
import type { Notifier } from '../notify/notifier.js';
import { CliError } from './errors.js';
import { finishNotifier, notifyExecution, notifyPlan, openCliNotifier } from './notify-edge.js';
import { ProgressDisplay } from './progress.js';
import { followScheduledPins } from './scheduled-wait.js';
import { summaryLine } from '../report/summary-line.js';
import { addPlannedOptions, runPlanned, verbosityFlag } from './planned-command.js';
import type { PlannedFlags, PlannedRun } from './planned-command.js';
import { renderPlan } from './render-plan.js';
import { applyReleases } from './release-output.js';
import { renderReleasesText } from '../report/pack-releases.js';
import { planInputs } from './plan-inputs.js';
import { readSavedPlan, type SavedPlan } from './saved-plan-file.js';
import { inputChanges, observedRuntimes, platformChanges, requestChanges } from '../domain/saved-plan.js';
import { releaseStaleness } from '../domain/saved-pack-releases.js';

interface ApplyFlags extends PlannedFlags {
  yes?: boolean;
  wait?: boolean;
}

export function registerApply(program: Command): void {
  addPlannedOptions(
    program
      .command('apply')
      .description(
        'Plan, then send the planned requests to the platform (TEST before PROD, in waves); ' +
          'with PLAN-FILE, send exactly that saved plan',
      )
      .argument(
        '[plan-file]',
        'a plan saved with `atomsync plan --out FILE.json`: applied as reviewed, or refused when stale',
      ),
    '10m',
  )
    .option('-y, --yes', 'do not ask for confirmation')
    .option(
      '-w, --wait',
      'follow every request to COMPLETE or FAILED, and Scheduled pins to their release-schedule slot',
    )
    .addHelpText(
      'after',
      `
Waves always wait for the previous wave to finish, so no more than maxConcurrentRestarts runtimes restart
at once; --wait also follows the last wave to the end. Pins Scheduled through the runtime's release
schedule (Boomi's API alone, docs/rules.md) are followed to their slot on the platform's clock (the
embedded platform's clock is moved there), verified, and the release schedule is put back; a slot after
--timeout is named and not waited for. --timeout bounds the whole command: reading the
platform, sending and waiting.

When an account cannot be read (unreachable, rejected credential, no answer, an answer that is not the
platform's), apply sends nothing and exits 1, naming each such account; --target ACCOUNT applies the
other accounts' pins alone. Declining the confirmation exits 1 (nothing was applied).

With a saved plan (atomsync plan --out plan.json), apply sends exactly the requests and integration pack
releases of that plan, without asking (the plan was reviewed), and only while it still holds: when the pins
or the config changed, when the platform shows other versions for any runtime or released pack the plan was
made from, or when planning again now would send other requests, it says "the saved plan is stale", names
what moved, sends nothing and exits 1.
--target is taken from the plan.

Examples:
  atomsync apply --config examples/atomsync.yaml --yes --wait
  atomsync plan --config atomsync.yaml --out plan.json && atomsync apply --config atomsync.yaml plan.json
  atomsync apply --config atomsync.yaml --target acme-dev --timeout 30m`,
    )
    .action(async (planFile: string | undefined, flags: ApplyFlags, command: Command) => {
      const saved = planFile !== undefined ? await readSavedPlan(planFile) : undefined;
      if (saved && flags.target.length === 0) flags.target = saved.inputs.target;
      await runPlanned('apply', flags, verbosityFlag(command), (run) => apply(run, flags, saved));
    });
}

async function apply(run: PlannedRun, flags: ApplyFlags, saved: SavedPlan | undefined): Promise<void> {
  let notifier: Notifier | undefined;
  try {
    if (saved) {
      await refuseStale(run, saved);
      run = {
        ...run,
        plan: { ...run.plan, changes: saved.changes },
        releasePlan: { ...run.releasePlan, changes: saved.releases },
      };
      flags = { ...flags, yes: true };
    }
    notifier = await openCliNotifier(run.platform.config);
    await applyPlan(run, flags, notifier);
  } finally {
    await finishNotifier(notifier);
  }
}

async function applyPlan(run: PlannedRun, flags: ApplyFlags, notifier: Notifier | undefined): Promise<void> {
  const { plan, platform, verbosity } = run;
  const aliases = accountBookOf(platform.config).aliases();
  // To stdout: coloured on a terminal, or as FORCE_COLOR / NO_COLOR / --no-color say (report/ansi.ts).
  if (verbosity !== 'quiet') process.stdout.write(renderPlan(plan, 'text', aliases, true));
  const keys = run.desired.map((doc) => doc.key);
  await notifyPlan(notifier, keys, plan);
  if (verbosity !== 'quiet') process.stdout.write(renderReleasesText(run.releasePlan, aliases));
  const releases = run.releasePlan.changes.length;
  const followsSlots = flags.wait === true && plan.pins.some((pin) => pin.outcome === 'Scheduled');
  if (plan.changes.length === 0 && releases === 0 && !followsSlots) {
    process.stdout.write(`${verbosity === 'quiet' ? '' : '\n'}Nothing to apply.\n`);
    return;
  }
  const requests = plan.changes.length + releases;
  if (requests > 0 && !flags.yes && !(await confirm(requests))) {
    process.stdout.write('Apply cancelled; nothing was sent.\n');
    process.exitCode = 1;
    return;
  }
  const releasesOk = !(await applyReleases(run, aliases));
  process.exitCode = releasesOk ? 0 : 1;
  let ok = (plan.changes.length === 0 || (await send(run, plan, flags, notifier))) && releasesOk;
  process.exitCode = ok ? 0 : 1;
  if (ok && followsSlots) {
    const final = await followScheduledPins(run, plan, {
      write: (line) => process.stdout.write(`${line}\n`),
      send: async (next) => {
        if (verbosity !== 'quiet') process.stdout.write(renderPlan(next, 'text', aliases, true));
        ok = (await send(run, next, flags, notifier)) && ok;
      },
    });
    await notifyPlan(notifier, keys, final);
    process.stdout.write(`\nAfter waiting: ${summaryLine(final.summary)}\n`);
    process.exitCode = ok ? 0 : 1;
  }
}

/** Sends a plan's requests in waves (following the last one with --wait); false when any failed or timed out. */
async function send(
  run: PlannedRun,
  plan: Plan,
  flags: ApplyFlags,
  notifier: Notifier | undefined,
): Promise<boolean> {
  const { verbosity } = run;
  const tty = process.stdout.isTTY === true;
  const progress = verbosity === 'quiet' ? undefined : new ProgressDisplay(process.stdout, tty);
  const result = await executeRequests(run.platform.targets, plan.changes, {
    waitForLastWave: flags.wait === true,
    deadline: run.deadline.expiresAt,
    pollMs: 500,
    onEvent: (event: ExecutionEvent) => progress?.update(event),
    restartsInProgress: restartsInProgress(run.snapshot),
    onWaiting: (message) => process.stdout.write(`${message}\n`),
  });
  progress?.finish();
  process.stdout.write(`${verbosity === 'quiet' ? '' : '\n'}${result.summary}\n`);
  await notifyExecution(notifier, result);
  const ok = result.failed === 0 && result.timedOut === 0;
  process.exitCode = ok ? 0 : 1;
  return ok;
}

/**
 * Asks on stdout and reads the answer from stdin: a terminal, or a pipe (`echo no | atomsync apply`).
 * Only 'yes' applies; any other answer cancels (exit 1). No answer at all (stdin closed: CI, cron) is an
 * error that says to pass --yes.
 */
async function confirm(requests: number): Promise<boolean> {
  process.stdout.write(`\nSend ${requests} request(s) to the platform? Only 'yes' is accepted: `);
  const answer = await firstLine(process.stdin);
  if (answer === undefined) {
    process.stdout.write('\n');
    throw new CliError(
      'apply needs confirmation: run it on a terminal, answer on stdin, or pass --yes to apply without asking',
    );
  }
  return answer.trim() === 'yes';
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  const lines = createInterface({ input, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
    input.pause();
  }
}

/**
 * A saved plan is applied only while it still describes the world (docs/plan-format.md): same pins and
 * config, same versions for every runtime it was made from, and the same requests when planned now; its
 * releases, planned again, the same changes from the same publisher versions (docs/publisher.md).
 */
async function refuseStale(run: PlannedRun, saved: SavedPlan): Promise<void> {
  const inputs = await planInputs(run.platform.config, run.desired, saved.inputs.target);
  const moved = [
    ...inputChanges(saved.inputs, inputs),
    ...platformChanges(saved.observed, observedRuntimes(run.plan, run.snapshot)),
  ];
  if (moved.length === 0) moved.push(...requestChanges(saved.changes, run.plan.changes));
  moved.push(...releaseStaleness(saved.releases, run.releasePlan));
  if (moved.length === 0) return;
  throw new CliError(
    `the saved plan is stale: ${saved.file} (made ${saved.generatedAt}) no longer describes what runs or ` +
      `what is pinned; nothing was sent:\n${moved.map((line) => `  - ${line}`).join('\n')}\n` +
      `Review a new plan: atomsync plan --out ${saved.file}`,
  );
}
