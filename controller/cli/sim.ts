import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { startSimulator } from '../../simulator/start.js';
import { resetEmbeddedPlatform, embeddedStateFile } from './embedded-platform.js';

interface SimFlags {
  scenario: string;
  state?: string;
  listen: string;
  clock: string;
  rateLimit?: string;
}

export function registerSim(program: Command): void {
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
    .addHelpText(
      'after',
      `
Examples:
  atomsync sim --scenario examples/sim/demo.yaml
  atomsync sim --scenario examples/sim/demo.yaml --state /tmp/world.json --listen 127.0.0.1:9191
  atomsync sim reset --config examples/atomsync.yaml`,
    )
    .action(async (flags: SimFlags) => {
      const running = await startSimulator({
        scenarioFile: flags.scenario,
        ...(flags.state ? { stateFile: flags.state } : {}),
        listen: flags.listen,
        clock: flags.clock === 'manual' ? 'manual' : 'realtime',
        ...(flags.rateLimit !== undefined ? { rateLimitPerSecond: Number(flags.rateLimit) } : {}),
      });
      process.stdout.write(
        `atomsync simulator serving ${running.url}/api/rest/v1/{accountId} (Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
    });
  sim
    .command('reset')
    .description('Forget the embedded platform’s state; the next command starts from the scenario again')
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .addHelpText(
      'after',
      `
Only the embedded platform's state file (<stateDir>/simulator-state.json) is removed; pins, config and
the controller's status are left alone.

Examples:
  atomsync sim reset --config examples/atomsync.yaml`,
    )
    .action(async (flags: { config: string }) => {
      const config = await loadConfig(flags.config);
      await resetEmbeddedPlatform(config);
      process.stdout.write(`Embedded platform reset (${embeddedStateFile(config)} removed).\n`);
    });
}
