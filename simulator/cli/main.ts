// `atomsync sim` and `atomsync sim reset`: the simulator's own command line. bin/atomsync.js hands the `sim`
// verb here, so the simulator runs as a program of its own; the controller's embedded mode starts it the
// same way, as a child process (`--child`), and never imports simulator code.
import { rm } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { startSimulator } from '../start.js';
import { stateFileOfConfig } from './config-state-file.js';

interface ServeFlags {
  scenario: string;
  state?: string;
  listen: string;
  clock: string;
  rateLimit?: string;
  child?: boolean;
}

export function buildSimProgram(): Command {
  const program = new Command('atomsync').exitOverride().showHelpAfterError();
  const sim = program
    .command('sim')
    .description('Serve the platform simulator (an AtomSphere-style API) from a scenario file')
    .option('-s, --scenario <file>', 'scenario YAML', 'examples/sim/demo.yaml')
    .option('--state <file>', 'persist the world here (atomic writes); resumed on the next start')
    .option('-l, --listen <host:port>', 'address to listen on', '127.0.0.1:9090')
    .option('--clock <mode>', 'realtime | manual (move it with POST /_sim/clock)', 'realtime')
    .option(
      '--rate-limit <perSecond>',
      'requests per second per account (0 = off); default from the scenario',
    )
    .option(
      '--child',
      'run as a child process: print {"url":…} as one JSON line once listening, stop when stdin closes',
    )
    .addHelpText(
      'after',
      `
Examples:
  atomsync sim --scenario examples/sim/demo.yaml
  atomsync sim --scenario examples/sim/demo.yaml --state /tmp/world.json --listen 127.0.0.1:9191
  atomsync sim reset --config examples/atomsync.yaml`,
    )
    .action(serve);
  sim
    .command('reset')
    .description('Forget the embedded platform’s state; the next command starts from the scenario again')
    .option(
      '-c, --config <file>',
      'atomsync config (its stateDir holds simulator-state.json)',
      'atomsync.yaml',
    )
    .option('--state <file>', 'the state file to forget (instead of the one under the config’s stateDir)')
    .addHelpText(
      'after',
      `
Only the embedded platform's state file (<stateDir>/simulator-state.json) is removed; pins, config and
the controller's status are left alone.

Examples:
  atomsync sim reset --config examples/atomsync.yaml
  atomsync sim reset --state /tmp/world.json`,
    )
    .action(async (flags: { config: string; state?: string }) => {
      const file = flags.state ?? (await stateFileOfConfig(flags.config));
      await rm(file, { force: true });
      process.stdout.write(`Embedded platform reset (${file} removed).\n`);
    });
  for (const command of [sim, ...sim.commands]) command.exitOverride();
  return program;
}

async function serve(flags: ServeFlags): Promise<void> {
  if (flags.clock !== 'realtime' && flags.clock !== 'manual') {
    throw new Error(`--clock must be realtime or manual, not "${flags.clock}".`);
  }
  const running = await startSimulator({
    scenarioFile: flags.scenario,
    ...(flags.state ? { stateFile: flags.state } : {}),
    listen: flags.listen,
    clock: flags.clock,
    ...(flags.rateLimit !== undefined ? { rateLimitPerSecond: Number(flags.rateLimit) } : {}),
  });
  if (flags.child) {
    process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  } else {
    process.stdout.write(
      `atomsync simulator serving ${running.url}/api/rest/v1/{accountId} (Ctrl-C to stop)\n`,
    );
  }
  await untilStopped(flags.child === true);
  await running.close();
}

/** Ctrl-C or SIGTERM stop the simulator; a child also stops when its parent closes stdin (or dies). */
function untilStopped(watchStdin: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (!watchStdin) return;
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
    process.stdin.resume();
  });
}

/** Runs `atomsync sim …`; resolves to the exit code. Errors print one line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildSimProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    process.stderr.write(`atomsync sim: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
