import type { Command } from 'commander';
import { StateLock } from './state-lock.js';
import { loadConfig } from '../config/load-config.js';
import { resolveServerToken, resolveWebhookSecret } from '../config/credentials.js';
import type { AtomsyncConfig } from '../config/types.js';
import type { ReleaseCalendar } from '../domain/types.js';
import type { KubeIntegration } from '../kube/kube-integration.js';
import { createLogger, type LogFormat, type Logger } from '../log/logger.js';
import type { SecretScrubber } from '../log/secret-scrubber.js';
import { createAccountTargets } from '../platform/account-targets.js';
import { createSources } from '../reconciler/config-sources.js';
import { ReconcileLoop, DEFAULT_POLL_MS } from '../reconciler/reconcile-loop.js';
import { ControllerMetrics } from '../reconciler/metrics.js';
import { withSuspension } from '../reconciler/suspensions.js';
import { Notifier, NotifyConfigError } from '../notify/notifier.js';
import { startHttpServer, type ControllerApi } from '../server/http-server.js';
import type { ReleaseReconciler } from '../reconciler/release-reconciler.js';
import type { AccountTarget } from '../platform/observe.js';
import { FleetFeed } from '../ui/fleet-feed.js';
import { AuditTrail } from '../ui/audit-trail.js';
import { observeFleet } from '../ui/observe-fleet.js';
import { createUiRoutes, type UiHandler } from '../ui/ui-routes.js';
import { openPlatform, releaseCalendarSource } from './context.js';
import { accountBookOf } from '../config/account-book.js';
import { planningOptions } from '../pipeline/planning-options.js';
import { CliError } from './errors.js';
import { durationFlag } from './duration-flag.js';
import { openRunReleases } from './run-releases.js';

interface RunFlags {
  config: string;
  listen?: string;
  resync: string;
  pollInterval: string;
  logLevel: string;
  logFormat: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run the GitOps controller: watch the sources, reconcile, serve health, metrics and status')
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .option(
      '-l, --listen <host:port>',
      'address of /healthz, /readyz, /metrics, the status API and webhooks (default: server.listen)',
    )
    .option(
      '--resync <duration>',
      'look at every AtomVersion again this often (drift made outside git)',
      '5m',
    )
    .option(
      '--poll-interval <duration>',
      'how often a request in flight is checked (e.g. 2s, 500ms)',
      `${DEFAULT_POLL_MS / 1000}s`,
    )
    .option('--log-level <level>', 'trace | debug | info | warn | error', 'info')
    .option('--log-format <format>', 'json | pretty | auto (pretty on a terminal)', 'auto')
    .addHelpText(
      'after',
      `
Stops on SIGTERM or SIGINT: sources stop, passes in progress finish, state is saved, exit 0.
With a \`kind: kubernetes\` source, replicas elect a leader (Lease); only the leader reconciles.

Examples:
  atomsync run --config examples/atomsync.yaml
  atomsync run --config atomsync.yaml --listen 0.0.0.0:8080 --resync 10m --log-format json`,
    )
    .action(async (flags: RunFlags) => {
      await runController(flags);
    });
}

/** Shutdown steps, run newest first. */
type Cleanup = () => Promise<void>;

async function runController(flags: RunFlags): Promise<void> {
  const resyncMs = durationFlag('--resync', flags.resync);
  const pollMs = durationFlag('--poll-interval', flags.pollInterval);
  const { logger, scrubber } = createLogger({ level: flags.logLevel, format: logFormat(flags.logFormat) });
  const signal = waitForSignal(logger);
  const lock = await StateLock.acquire((await loadConfig(flags.config)).stateDir, 'run');
  const platform = await openPlatform(flags.config).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  const cleanups: Cleanup[] = [() => platform.close(), () => lock.release()];
  let exitCode = 0;
  try {
    const { config } = platform;
    const kube = await kubernetesParts(config, logger);
    if (kube) cleanups.unshift(() => kube.integration.elector.stop());
    const metrics = new ControllerMetrics();
    if (kube) metrics.bindLeader(() => kube.integration.elector.isLeader());
    const holder: { controller?: ReconcileLoop } = {};
    const releaseCalendar = releaseCalendarSource(platform);
    const notifier = await openRunNotifier(config, logger, scrubber);
    if (notifier) cleanups.unshift(() => notifier.close());
    const targets = createAccountTargets(config, platform.baseUrl, {
      onRequest: (event) => {
        metrics.recordPlatformRequest(event);
        holder.controller?.onPlatformRequest(event);
      },
      onSecret: (username, token) => scrubber.addBasicAuth(username, token),
      ...(kube ? { credentials: kube.integration.credentials } : {}),
    });
    const releases = await openRunReleases({
      config,
      targets,
      resyncMs,
      pollMs,
      logger,
      isSuspended: (key) => holder.controller?.suspensions().has(key) ?? false,
      ...(kube ? { kube: kube.integration } : {}),
    });
    const controller = new ReconcileLoop({
      targets,
      alsoSuspendable: (key) => releases.reconciler.has(key),
      sources: releases.tap(
        createSources(config, {
          onSecret: (secret) => scrubber.add(secret),
          ...(kube ? { createOther: kube.hooks.kubeSourceFactory(kube.integration) } : {}),
        }),
      ),
      stateDir: config.stateDir,
      concurrency: config.concurrency,
      maxConcurrentRestarts: config.maxConcurrentRestarts,
      defaultWindows: config.defaultWindows,
      ...(config.tenancy ? { tenancy: config.tenancy } : {}),
      releaseCalendar,
      resyncMs,
      pollMs,
      logger,
      metrics,
      ...(notifier ? { notifier } : {}),
      auditLog: true,
      ...(kube
        ? {
            waitForLeadership: () => Promise.race([kube.leading, signal]).then(() => undefined),
            onStatus: kube.hooks.kubeStatusListener(kube.integration, {
              shouldWrite: () => kube.integration.elector.isLeader(),
              onError: (message) => logger.warn(message),
            }),
          }
        : {}),
    });
    holder.controller = controller;
    const token = resolveServerToken(config.server);
    if (token !== undefined) scrubber.add(token);
    const dashboard = controllerDashboard(config, targets, controller, releaseCalendar, logger);
    const server = await startHttpServer({
      listen: flags.listen ?? config.server.listen,
      api: withReleases(controller, releases.reconciler),
      metrics,
      webhookSecret: webhookSecretReader(config, scrubber, logger),
      logger,
      ui: dashboard.routes,
      ...(token !== undefined ? { token } : {}),
    });
    cleanups.unshift(() => server.close());
    dashboard.feed.start();
    cleanups.unshift(async () => dashboard.feed.stop());
    logger.info(
      { url: server.url, platform: config.platform.embedded ? 'embedded simulator' : platform.baseUrl },
      'listening',
    );
    cleanups.unshift(() => releases.stop());
    cleanups.unshift(() => controller.stop());
    kube?.integration.elector.start();
    const lost = kube ? kube.lost.then(() => 'lost' as const) : new Promise<never>(() => undefined);
    const ended = await Promise.race([
      controller
        .start()
        .then(() => releases.start())
        .then(() => Promise.race([signal, lost])),
      signal,
      lost,
    ]);
    if (ended === 'lost') {
      logger.error('lost the leader Lease: stopping so that a restart rejoins as a standby');
      exitCode = 1;
    }
  } finally {
    for (const cleanup of cleanups)
      await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
  }
  logger.info('atomsync stopped');
  process.exitCode = exitCode;
}

/** The status API of the AtomVersion loop, plus the IntegrationPackReleases'. */
function withReleases(controller: ReconcileLoop, releases: ReleaseReconciler): ControllerApi {
  // A release suspended or resumed is reconciled at once, as an AtomVersion is.
  const afterRelease = (done: boolean, key: string): boolean => {
    if (done && releases.has(key)) void releases.reconcileNow();
    return done;
  };
  return {
    readiness: () => controller.readiness(),
    statuses: () => controller.statuses(),
    status: (key) => controller.status(key),
    sourceStates: () => controller.sourceStates(),
    requestReconcile: (namespace, name) => controller.requestReconcile(namespace, name),
    triggerGitSources: () => controller.triggerGitSources(),
    suspend: async (namespace, name, by) =>
      afterRelease(await controller.suspend(namespace, name, by), `${namespace}/${name}`),
    resume: async (namespace, name) =>
      afterRelease(await controller.resume(namespace, name), `${namespace}/${name}`),
    releases,
  };
}

/** The dashboard at /ui: plans what the controller's sources want while someone watches it. */
function controllerDashboard(
  config: AtomsyncConfig,
  targets: AccountTarget[],
  controller: ReconcileLoop,
  releaseCalendar: () => Promise<ReleaseCalendar | undefined>,
  logger: Logger,
): { feed: FleetFeed; routes: UiHandler } {
  const audit = new AuditTrail();
  const feed = new FleetFeed({
    intervalMs: DASHBOARD_INTERVAL_MS,
    onlyWhileWatched: true,
    observe: async () => {
      const calendar = await releaseCalendar();
      return observeFleet({
        audit,
        targets,
        desired: controller.desired
          .entries()
          .map((entry) => withSuspension(entry.doc, controller.suspensions().get(entry.doc.key))),
        suspensions: controller.suspensions(),
        options: { ...planningOptions(config), ...(calendar ? { releaseCalendar: calendar } : {}) },
        aliases: accountBookOf(config).aliases(),
        mode: 'controller',
        statuses: controller.statuses(),
      });
    },
    onError: (message) => logger.warn(`dashboard: ${message}`),
  });
  const actions = {
    reconcile: (namespace: string, name: string) => controller.requestReconcile(namespace, name),
    suspend: (namespace: string, name: string, by: string) => controller.suspend(namespace, name, by),
    resume: (namespace: string, name: string) => controller.resume(namespace, name),
  };
  return { feed, routes: createUiRoutes({ feed, actions }) };
}

/** How often an open dashboard observes and plans again. */
const DASHBOARD_INTERVAL_MS = 5_000;

/** The `notify:` receivers; a missing receiver secret stops the start (exit 1) with the variable's name. */
async function openRunNotifier(
  config: AtomsyncConfig,
  logger: Logger,
  scrubber: SecretScrubber,
): Promise<Notifier | undefined> {
  if (!config.notify || config.notify.receivers.length === 0) return undefined;
  try {
    return await Notifier.open(config.notify, config.stateDir, {
      onProblem: (message) => logger.warn(message),
      onSecret: (secret) => scrubber.add(secret),
    });
  } catch (error) {
    if (error instanceof NotifyConfigError) throw new CliError(`${config.configFile}: ${error.message}`);
    throw error;
  }
}

interface KubernetesParts {
  integration: KubeIntegration;
  hooks: typeof import('../kube/controller-hooks.js');
  leading: Promise<void>;
  lost: Promise<void>;
}

/** Leader election, the AtomVersion source, Secrets and the status writer, when a kubernetes source is configured. */
async function kubernetesParts(config: AtomsyncConfig, logger: Logger): Promise<KubernetesParts | undefined> {
  if (!config.sources.some((source) => source.kind === 'kubernetes')) return undefined;
  // Loaded on demand: @kubernetes/client-node alone takes ~0.75 s to import, which every other verb
  // (and every `run` without a kubernetes source) would otherwise pay at start.
  const { createKubeIntegration } = await import('../kube/kube-integration.js');
  const hooks = await import('../kube/controller-hooks.js');
  let leading = (): void => undefined;
  let lost = (): void => undefined;
  const parts = {
    leading: new Promise<void>((resolve) => (leading = resolve)),
    lost: new Promise<void>((resolve) => (lost = resolve)),
  };
  const integration = createKubeIntegration({
    config,
    onError: (message) => logger.warn(message),
    onStartedLeading: () => {
      logger.info('leading: this replica reconciles');
      leading();
    },
    onStoppedLeading: () => lost(),
  });
  logger.info({ namespace: integration.namespace, identity: integration.identity }, 'leader election');
  return { integration, hooks, ...parts };
}

/** Resolves on the first SIGTERM/SIGINT; a second one ends the process at once. */
function waitForSignal(logger: Logger): Promise<'signal'> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping: finishing passes in progress');
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolve('signal');
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

/** Reads the webhook secret on every request (rotation); logs once when it is not available. */
function webhookSecretReader(
  config: AtomsyncConfig,
  scrubber: SecretScrubber,
  logger: Logger,
): () => string | undefined {
  const webhook = config.webhook;
  if (!webhook) return () => undefined;
  let warned = false;
  const read = (): string | undefined => {
    try {
      const secret = resolveWebhookSecret(webhook);
      scrubber.add(secret);
      return secret;
    } catch (error) {
      if (!warned)
        logger.warn(`webhooks are refused: ${error instanceof Error ? error.message : String(error)}`);
      warned = true;
      return undefined;
    }
  };
  read();
  return read;
}

function logFormat(value: string): LogFormat {
  if (value === 'json' || value === 'pretty' || value === 'auto') return value;
  throw new CliError(`--log-format must be json, pretty or auto (got "${value}")`);
}
