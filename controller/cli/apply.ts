import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { parseDuration } from '../domain/duration.js';
import type { Plan } from '../domain/types.js';
import { planCycle } from '../reconciler/plan-cycle.js';
import { executePlan } from '../reconciler/execute-plan.js';
import { restartsInProgress } from '../reconciler/platform-restarts.js';
import type { ExecutionEvent } from '../reconciler/execute-plan.js';
import { aliasesOf, loadDesired, openPlatform } from './context.js';
import { CliError } from './errors.js';
import { ProgressDisplay } from './progress.js';
import { collect, planOptions } from './plan-options.js';
import { renderPlan } from './render-plan.js';

interface ApplyFlags {
  config: string;
  dir: string[];
  yes?: boolean;
  wait?: boolean;
  timeout: string;
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('Plan, then send the planned requests to the platform (TEST before PROD, in waves)')
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .option(
      '-d, --dir <dir>',
      'pin directory (repeatable; default: the config’s directory sources)',
      collect,
      [],
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option('-w, --wait', 'follow every request to COMPLETE or FAILED')
    .option('--timeout <duration>', 'give up waiting after this long (e.g. 90s, 10m)', '10m')
    .addHelpText(
      'after',
      `
Waves always wait for the previous wave to finish, so no more than maxConcurrentRestarts runtimes restart
at once; --wait also follows the last wave to the end.

Examples:
  atomsync apply --config examples/atomsync.yaml --yes --wait
  atomsync apply --config atomsync.yaml --timeout 30m`,
    )
    .action(async (flags: ApplyFlags) => {
      const waitLimitMs = timeoutMs(flags.timeout);
      const platform = await openPlatform(flags.config);
      try {
        const desired = await loadDesired(platform.config, flags.dir);
        const { plan, snapshot } = await planCycle(platform.targets, desired, planOptions(platform.config));
        const tty = process.stdout.isTTY === true;
        process.stdout.write(renderPlan(plan, 'text', aliasesOf(platform.config), tty));
        if (plan.changes.length === 0) {
          process.stdout.write('\nNothing to apply.\n');
          return;
        }
        if (!flags.yes && !(await confirm(plan))) {
          process.stdout.write('Apply cancelled; nothing was sent.\n');
          return;
        }
        const progress = new ProgressDisplay(process.stdout, tty);
        const result = await executePlan(platform.targets, plan, {
          waitForLastWave: flags.wait === true,
          deadline: Date.now() + waitLimitMs,
          pollMs: 500,
          onEvent: (event: ExecutionEvent) => progress.update(event),
          restartsInProgress: restartsInProgress(snapshot),
          onWaiting: (message) => process.stdout.write(`${message}\n`),
        });
        progress.finish();
        process.stdout.write(`\n${result.summary}\n`);
        process.exitCode = result.failed > 0 || result.timedOut > 0 ? 1 : 0;
      } finally {
        await platform.close();
      }
    });
}

async function confirm(plan: Plan): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      'apply needs confirmation: run it on a terminal, or pass --yes to apply without asking',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(
      `\nSend ${plan.changes.length} request(s) to the platform? Only 'yes' is accepted: `,
    );
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

function timeoutMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new CliError(`--timeout must be a duration such as 90s, 10m or 1h30m (got "${value}")`);
  }
  return ms;
}
