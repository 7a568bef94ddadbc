import type { Command } from 'commander';
import { resolveServerToken } from '../config/credentials.js';
import { startHttpServer } from '../server/http-server.js';
import { FleetFeed } from '../ui/fleet-feed.js';
import { AuditTrail } from '../ui/audit-trail.js';
import { observeFleet } from '../ui/observe-fleet.js';
import { createUiRoutes } from '../ui/ui-routes.js';
import { loadDesired, openPlatform } from './context.js';
import { accountBookOf } from '../config/account-book.js';
import { planningOptions } from '../pipeline/planning-options.js';
import { collect } from './plan-options.js';
import { durationFlag } from './duration-flag.js';

interface UiFlags {
  config: string;
  dir: string[];
  listen: string;
  interval: string;
}

const DEFAULT_UI_LISTEN = '127.0.0.1:8081';

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('Serve the fleet dashboard, plan-only: observes and plans on an interval, never writes')
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .option(
      '-d, --dir <dir>',
      'pin directory (repeatable; default: the config’s directory sources)',
      collect,
      [],
    )
    .option('-l, --listen <host:port>', 'address of the dashboard', DEFAULT_UI_LISTEN)
    .option('--interval <duration>', 'observe and plan again this often (e.g. 10s, 1m, 500ms)', '10s')
    .addHelpText(
      'after',
      `
The dashboard is at http://HOST:PORT/ui: the fleet matrix (accounts, environments, runtimes; the runtime,
connector and pack versions), each runtime's pins, plan, manual steps, requests and the waves of the plan.
It updates live. Pins are read again on every pass, so an edited pin shows on the next one. Off loopback
the dashboard needs the token of server.tokenEnv or server.tokenFile. \`atomsync run\` serves the same
dashboard at /ui, with "reconcile now" for a logged-in user.

Examples:
  atomsync ui --config examples/atomsync.yaml          # then open http://127.0.0.1:8081/ui
  atomsync ui --config atomsync.yaml --listen 0.0.0.0:8081 --interval 30s`,
    )
    .action(async (flags: UiFlags) => {
      await serveDashboard(flags);
    });
}

async function serveDashboard(flags: UiFlags): Promise<void> {
  const intervalMs = durationFlag('--interval', flags.interval);
  const platform = await openPlatform(flags.config);
  try {
    const { config } = platform;
    const token = resolveServerToken(config.server);
    const audit = new AuditTrail();
    const feed = new FleetFeed({
      intervalMs,
      observe: async () =>
        observeFleet({
          audit,
          targets: platform.targets,
          desired: await loadDesired(config, flags.dir),
          options: planningOptions(config),
          aliases: accountBookOf(config).aliases(),
          mode: 'plan-only',
        }),
      onError: (message) => process.stderr.write(`atomsync ui: ${message}\n`),
    });
    const server = await startHttpServer({
      listen: flags.listen,
      api: planOnlyApi(feed),
      ui: createUiRoutes({ feed }),
      ...(token !== undefined ? { token } : {}),
    });
    feed.start();
    process.stdout.write(`atomsync dashboard (plan-only) at ${server.url}/ui — Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    feed.stop();
    await server.close();
  } finally {
    await platform.close();
  }
}

/** The controller endpoints of a server that runs no controller: ready once the first plan is made. */
function planOnlyApi(feed: FleetFeed): Parameters<typeof startHttpServer>[0]['api'] {
  return {
    readiness: () => {
      const ok = feed.current() !== undefined;
      return {
        ready: ok,
        checks: [{ name: 'plan', ok, message: ok ? 'planned' : (feed.error ?? 'observing the platform') }],
      };
    },
    statuses: () => [],
    status: () => undefined,
    sourceStates: () => [],
    requestReconcile: () => false,
    triggerGitSources: () => 0,
  };
}
