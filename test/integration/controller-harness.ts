// The controller against the real simulator over HTTP (127.0.0.1, ephemeral ports), with its HTTP server,
// a captured log and helpers to drive the simulator through /_sim/ and read its audit log.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GithubReceiverConfig, TenancyConfig } from '../../controller/config/types.js';
import { createLogger } from '../../controller/log/logger.js';
import { AtomSphereClient, RequestCounter } from '../../controller/platform/index.js';
import type { RequestEvent } from '../../controller/platform/request-counter.js';
import type { AccountTarget } from '../../controller/platform/observe.js';
import { ReconcileLoop } from '../../controller/reconciler/reconcile-loop.js';
import type { NotifyHook } from '../../controller/reconciler/key-reconciler.js';
import { ControllerMetrics } from '../../controller/reconciler/metrics.js';
import { startHttpServer, type RunningHttpServer } from '../../controller/server/http-server.js';
import type { AtomVersionStatusView, StatusListView } from '../../controller/server/status-view.js';
import type { Source } from '../../controller/sources/source.js';
import { startSimulator, type RunningSimulator } from '../../simulator/start.js';

export const DEMO_SCENARIO = fileURLToPath(new URL('../../examples/sim/demo.yaml', import.meta.url));
export const ADMIN_TOKEN = 'demo-admin-token';
export const VIEWER_TOKEN = 'demo-viewer-token';
const ADMIN_USER = 'BOOMI_TOKEN.admin@demo.atomsync';
const VIEWER_USER = 'BOOMI_TOKEN.viewer@demo.atomsync';
const ADMIN_AUTH = `Basic ${Buffer.from(`${ADMIN_USER}:${ADMIN_TOKEN}`).toString('base64')}`;

export const ACME_PROD = 'acme-prod-D4E5F6';
export const ACME_DEV = 'acme-dev-G7H8I9';
export const ACME_EU = 'acme-eu-J1K2L3';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `atomsync-${prefix}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** The demo world on Boomi's own API (`platform: { extensions: false }`), as a scenario file in `dir`. */
export async function boomiApiScenario(dir: string): Promise<string> {
  const scenario = join(dir, 'boomi-api.yaml');
  await writeFile(scenario, `${await readFile(DEMO_SCENARIO, 'utf8')}\nplatform:\n  extensions: false\n`);
  return scenario;
}

/** The token a FakeGithubApi of these tests accepts, and the environment that hands it to the receiver. */
export const GITHUB_TOKEN = 'gh-token';
export const GITHUB_ENV = { GH_TOKEN: GITHUB_TOKEN };

/** A GitHub issues receiver for manual tasks in acme/ops, at a FakeGithubApi. */
export function githubTasks(apiUrl: string): GithubReceiverConfig {
  return {
    kind: 'github',
    name: 'tasks',
    repository: 'acme/ops',
    tokenEnv: 'GH_TOKEN',
    apiUrl,
    labels: ['atomsync'],
  };
}

/** The simulator with the demo world, driven over HTTP. */
export class SimHandle {
  private constructor(readonly running: RunningSimulator) {}

  static async start(
    options: { clock?: 'manual' | 'realtime'; stateFile?: string; scenarioFile?: string } = {},
  ): Promise<SimHandle> {
    const running = await startSimulator({
      scenarioFile: options.scenarioFile ?? DEMO_SCENARIO,
      listen: '127.0.0.1:0',
      clock: options.clock ?? 'manual',
      rateLimitPerSecond: 0,
      ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    });
    return new SimHandle(running);
  }

  get url(): string {
    return this.running.url;
  }

  close(): Promise<void> {
    return this.running.close();
  }

  /** POST /_sim/clock {advance} — e.g. "30s", "2h". */
  async advance(duration: string): Promise<void> {
    await this.call('POST', '/_sim/clock', { advance: duration });
  }

  async setClock(now: string): Promise<void> {
    await this.call('POST', '/_sim/clock', { now });
  }

  async setActivity(accountId: string, atomId: string, runningExecutions: number): Promise<void> {
    await this.call('POST', '/_sim/activity', { accountId, atomId, runningExecutions });
  }

  /** The runtime's id by name (QUERY Atom). */
  async atomId(accountId: string, name: string): Promise<string> {
    const body = await this.call('POST', `/api/rest/v1/${accountId}/Atom/query`, {
      QueryFilter: { expression: { property: 'name', operator: 'EQUALS', argument: [name] } },
    });
    const id = (body as { result?: { id: string }[] }).result?.[0]?.id;
    if (!id) throw new Error(`no runtime ${name} in ${accountId}`);
    return id;
  }

  /** Current version of a component of a runtime (AtomVersions extension). */
  async version(accountId: string, atomId: string, component = 'Atom'): Promise<string | undefined> {
    const body = (await this.call('GET', `/api/rest/v1/${accountId}/AtomVersions/${atomId}`)) as {
      AtomVersion: { name: string; version: string }[];
    };
    return body.AtomVersion.find((entry) => entry.name === component)?.version;
  }

  /** AtomVersionUpdateRequests created in the account by the admin user (from the audit log). */
  async versionRequestsCreated(accountId: string, atomId?: string): Promise<number> {
    const expressions = [
      { property: 'type', operator: 'EQUALS', argument: ['as.atom.version'] },
      { property: 'modifier', operator: 'EQUALS', argument: ['ACCEPTED'] },
      { property: 'userId', operator: 'EQUALS', argument: ['admin@demo.atomsync'] },
      ...(atomId ? [{ property: 'containerId', operator: 'EQUALS', argument: [atomId] }] : []),
    ];
    const body = (await this.call('POST', `/api/rest/v1/${accountId}/AuditLog/query`, {
      QueryFilter: { expression: { operator: 'and', nestedExpression: expressions } },
    })) as { numberOfResults?: number; result?: unknown[] };
    return body.result?.length ?? 0;
  }

  /** ReleaseIntegrationPack CREATE/UPDATE calls the publisher account saw (its AuditLog). */
  async packReleasesSent(accountId: string): Promise<number> {
    const body = (await this.call('POST', `/api/rest/v1/${accountId}/AuditLog/query`, {
      QueryFilter: {
        expression: { property: 'type', operator: 'EQUALS', argument: ['as.integrationpack.release'] },
      },
    })) as { result?: unknown[] };
    return body.result?.length ?? 0;
  }

  /** Audit records of writes by the admin user in the account (any object). */
  async writesBy(accountId: string, containerId: string): Promise<number> {
    const body = (await this.call('POST', `/api/rest/v1/${accountId}/AuditLog/query`, {
      QueryFilter: {
        expression: {
          operator: 'and',
          nestedExpression: [
            { property: 'userId', operator: 'EQUALS', argument: ['admin@demo.atomsync'] },
            { property: 'containerId', operator: 'EQUALS', argument: [containerId] },
          ],
        },
      },
    })) as { result?: unknown[] };
    return body.result?.length ?? 0;
  }

  async call(method: string, path: string, json?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: ADMIN_AUTH,
        Accept: 'application/json',
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }
}

/** Clients for the three demo accounts (acme-eu with the read-only viewer), rate limit off. */
export function demoTargets(
  baseUrl: string,
  onRequest?: AtomSphereClientHook,
  counter = new RequestCounter(),
): AccountTarget[] {
  const make = (accountId: string, alias: string, username: string, token: string): AccountTarget => ({
    accountId,
    alias,
    client: new AtomSphereClient({
      baseUrl,
      accountId,
      username,
      token,
      requestsPerSecond: 0,
      counter,
      retryBaseMs: 20,
      retryMaxMs: 100,
      maxRetries: 2,
      timeoutMs: 5_000,
      ...(onRequest ? { onRequest } : {}),
    }),
  });
  return [
    make(ACME_PROD, 'acme-prod', ADMIN_USER, ADMIN_TOKEN),
    make(ACME_DEV, 'acme-dev', ADMIN_USER, ADMIN_TOKEN),
    make(ACME_EU, 'acme-eu', VIEWER_USER, VIEWER_TOKEN),
  ];
}

type AtomSphereClientHook = ConstructorParameters<typeof AtomSphereClient>[0]['onRequest'];

export interface ControllerOptions {
  simUrl: string;
  sources: Source[];
  stateDir: string;
  resyncMs?: number;
  pollMs?: number;
  webhookSecret?: string;
  tenancy?: TenancyConfig;
  maxConcurrentRestarts?: number;
  now?: () => Date;
  notifier?: NotifyHook;
  auditLog?: boolean;
  /** Sees every platform request the controller makes (with its account). */
  onPlatformRequest?: (event: RequestEvent) => void;
}

/** A controller with its HTTP server, logging into `logs`. */
export class ControllerUnderTest {
  readonly logs: string[] = [];

  private constructor(
    readonly controller: ReconcileLoop,
    readonly server: RunningHttpServer,
    logs: string[],
    /** Every platform call the controller made. */
    readonly counter: RequestCounter,
  ) {
    this.logs = logs;
  }

  static async start(options: ControllerOptions): Promise<ControllerUnderTest> {
    const logs: string[] = [];
    const { logger, scrubber } = createLogger({
      level: 'debug',
      format: 'json',
      destination: { write: (line: string) => logs.push(line) },
    });
    scrubber.addBasicAuth(ADMIN_USER, ADMIN_TOKEN);
    scrubber.addBasicAuth(VIEWER_USER, VIEWER_TOKEN);
    if (options.webhookSecret) scrubber.add(options.webhookSecret);
    const metrics = new ControllerMetrics({ processMetrics: false });
    const holder: { controller?: ReconcileLoop } = {};
    const counter = new RequestCounter();
    const controller = new ReconcileLoop({
      targets: demoTargets(
        options.simUrl,
        (event) => {
          metrics.recordPlatformRequest(event);
          holder.controller?.onPlatformRequest(event);
          options.onPlatformRequest?.(event);
        },
        counter,
      ),
      sources: options.sources,
      stateDir: options.stateDir,
      concurrency: 4,
      maxConcurrentRestarts: options.maxConcurrentRestarts ?? 2,
      resyncMs: options.resyncMs ?? 3_600_000,
      pollMs: options.pollMs ?? 100,
      failedRequestBackoffMs: 200,
      queueBackoff: { baseMs: 100, capMs: 1_000 },
      ...(options.tenancy ? { tenancy: options.tenancy } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.notifier ? { notifier: options.notifier } : {}),
      ...(options.auditLog ? { auditLog: true } : {}),
      logger,
      metrics,
    });
    holder.controller = controller;
    const server = await startHttpServer({
      listen: '127.0.0.1:0',
      api: controller,
      metrics,
      webhookSecret: () => options.webhookSecret,
      logger,
    });
    await controller.start();
    return new ControllerUnderTest(controller, server, logs, counter);
  }

  async stop(): Promise<void> {
    await this.controller.stop();
    await this.server.close();
  }

  async list(): Promise<StatusListView> {
    const response = await fetch(`${this.server.url}/api/v1/atomversions`);
    return (await response.json()) as StatusListView;
  }

  async status(key: string): Promise<AtomVersionStatusView | undefined> {
    const response = await fetch(`${this.server.url}/api/v1/atomversions/${key}`);
    if (response.status === 404) return undefined;
    return (await response.json()) as AtomVersionStatusView;
  }

  /** Waits until the key's status satisfies the check; fails with the last status seen. */
  async waitForStatus(
    key: string,
    check: (status: AtomVersionStatusView) => boolean,
    what: string,
  ): Promise<AtomVersionStatusView> {
    let last: AtomVersionStatusView | undefined;
    return eventually(
      async () => {
        last = await this.status(key);
        return last && check(last) ? last : undefined;
      },
      () => `${key}: ${what}; last status: ${JSON.stringify(last?.conditions ?? 'none')}`,
    );
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.server.url}/metrics`)).text();
  }

  post(path: string, body = '', headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.server.url}${path}`, { method: 'POST', body, headers });
  }
}

export function condition(
  status: AtomVersionStatusView | undefined,
  type: 'Ready' | 'Reconciling' | 'Stalled' | 'Drifted',
) {
  return status?.conditions.find((entry) => entry.type === type);
}

/** A clock that starts on the demo's Monday morning and runs at wall speed (keeps windows predictable). */
export function demoClock(start = '2026-11-23T09:00:00Z'): () => Date {
  const origin = Date.now();
  const base = Date.parse(start);
  return () => new Date(base + (Date.now() - origin));
}

/** Polls until the probe returns a value (not undefined/false); throws after the timeout. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const PIN_HEADER = 'apiVersion: atomsync.io/v1alpha1\nkind: AtomVersion\n';

/** One AtomVersion document. */
export function pinYaml(name: string, account: string, runtime: string, body: string): string {
  return `${PIN_HEADER}metadata: { name: ${name}, namespace: integration }\nspec:\n  account: ${account}\n  runtime: { name: ${runtime} }\n${body}`;
}
