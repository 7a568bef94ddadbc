import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { accountBookOf } from '../config/account-book.js';
import type { Plan } from '../domain/types.js';
import { executeRequests, type ExecutionEvent } from '../pipeline/execute-requests.js';
import { observeAndPlan } from '../pipeline/observe-and-plan.js';
import { loadDesired, openPlatform } from './context.js';
import type { Notifier } from '../notify/notifier.js';
import { durationFlag } from './duration-flag.js';
import { CliError } from './errors.js';
import { finishNotifier, notifyExecution, notifyPlan, openCliNotifier } from './notify-edge.js';
import { ProgressDisplay } from './progress.js';
import { planningOptions } from '../pipeline/planning-options.js';
import { collect } from './plan-options.js';
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
      const waitLimitMs = durationFlag('--timeout', flags.timeout);
      const platform = await openPlatform(flags.config);
      let notifier: Notifier | undefined;
      try {
        const desired = await loadDesired(platform.config, flags.dir);
        notifier = await openCliNotifier(platform.config);
        const { plan } = await observeAndPlan(platform.targets, desired, planningOptions(platform.config));
        const tty = process.stdout.isTTY === true;
        process.stdout.write(renderPlan(plan, 'text', accountBookOf(platform.config).aliases(), tty));
        await notifyPlan(
          notifier,
          desired.map((doc) => doc.key),
          plan,
        );
        if (plan.changes.length === 0) {
          process.stdout.write('\nNothing to apply.\n');
          return;
        }
        if (!flags.yes && !(await confirm(plan))) {
          process.stdout.write('Apply cancelled; nothing was sent.\n');
          return;
        }
        const progress = new ProgressDisplay(process.stdout, tty);
        const result = await executeRequests(platform.targets, plan.changes, {
          waitForLastWave: flags.wait === true,
          deadline: Date.now() + waitLimitMs,
          pollMs: 500,
          onEvent: (event: ExecutionEvent) => progress.update(event),
        });
        progress.finish();
        process.stdout.write(`\n${result.summary}\n`);
        await notifyExecution(notifier, result);
        process.exitCode = result.failed > 0 || result.timedOut > 0 ? 1 : 0;
      } finally {
        await finishNotifier(notifier);
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
