// The controller's latency and cost, against the simulator over HTTP (rate limit off):
//   1. webhook → first platform write: p50/p99 over N commits to a real bare git repository;
//   2. an idle resync of 1,000 AtomVersions with no drift: platform calls, beside the lower bound of
//      controller/platform/observe.ts (2 + ceil(N/100) + ceil(P/100) + ceil(K/100) + ceil(S/100) per
//      account; every pin declares a release schedule, so S = P: one RuntimeReleaseSchedule bulk per 100);
//   3. RSS with 10,000 AtomVersions loaded and reconciled once.
// Prints JSON and a table. Run: npm run build && node dist/bench/latency.js
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { DesiredAtomVersion } from '../controller/domain/types.js';
import { AtomSphereClient, RequestCounter } from '../controller/platform/index.js';
import type { RequestEvent } from '../controller/platform/index.js';
import type { AccountTarget } from '../controller/platform/observe.js';
import { ReconcileLoop } from '../controller/reconciler/reconcile-loop.js';
import { StateStore } from '../controller/reconciler/state-store.js';
import { loadAverage } from './support/measure.js';
import { findCondition } from '../controller/domain/status.js';
import { startHttpServer } from '../controller/server/http-server.js';
import { githubSignature } from '../controller/server/webhook-auth.js';
import { GitSource } from '../controller/sources/git-source.js';
import { startSimulator, type RunningSimulator } from '../simulator/start.js';
import { StaticSource } from './support/static-source.js';
import { git } from './support/git.js';

export interface LatencyBenchResult {
  name: 'controller-latency';
  webhookToFirstWrite: { commits: number; p50Ms: number; p99Ms: number; maxMs: number };
  idleResync: {
    atomVersions: number;
    platformCalls: number;
    lowerBound: number;
    byObject: Record<string, number>;
    durationMs: number;
  };
  memory: {
    atomVersions: number;
    rssBeforeMb: number;
    rssAfterMb: number;
    rssDeltaMb: number;
    heapUsedDeltaMb: number;
    firstReconcileMs: number;
    /**
     * The state writes of that first reconcile on their own: the statuses it produced put into a fresh
     * state store at once, until every one is in the journal and fsync'd (flush). The issue's target:
     * within 1 s beyond the planning itself.
     */
    stateWritesMs: number;
    /** Appends (batches) those writes took. */
    stateWriteBatches: number;
    loadAverage1m: number;
  };
}

export interface LatencyBenchOptions {
  commits?: number;
  resyncAtomVersions?: number;
  memoryAtomVersions?: number;
}

const ACCOUNT = 'bench-account-000001';
const ADMIN = { userId: 'admin@bench.atomsync', token: 'bench-admin-token' };
const USERNAME = `BOOMI_TOKEN.${ADMIN.userId}`;
const WEBHOOK_SECRET = 'bench-webhook-secret';

export async function runLatencyBench(options: LatencyBenchOptions = {}): Promise<LatencyBenchResult> {
  const webhookToFirstWrite = await webhookLatency(options.commits ?? 100);
  const idleResync = await idleResyncCost(options.resyncAtomVersions ?? 1000);
  const memory = await memoryWith(options.memoryAtomVersions ?? 10_000);
  return { name: 'controller-latency', webhookToFirstWrite, idleResync, memory };
}

// ---- 1. webhook → first platform write ------------------------------------------------------------

async function webhookLatency(commits: number): Promise<LatencyBenchResult['webhookToFirstWrite']> {
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-bench-git-'));
  const sim = await startSimulator({
    scenario: scenario(1),
    listen: '127.0.0.1:0',
    clock: 'manual',
    rateLimitPerSecond: 0,
  });
  const writes: ((at: number) => void)[] = [];
  const onRequest = (event: RequestEvent) => {
    if (event.verb === 'CREATE' && event.outcome === 'ok') writes.shift()?.(performance.now());
  };
  const repo = await GitRepo.create(dir);
  await repo.commit('pins/bench.yaml', pinYaml('bench-0000', `Atom ${pad(0)}`, '26.11.0'));
  const controller = new ReconcileLoop({
    targets: targets(sim.url, onRequest),
    sources: [
      new GitSource({
        url: `file://${repo.remote}`,
        branch: 'main',
        path: 'pins',
        intervalSeconds: 3600,
        stateDir: join(dir, 'state'),
      }),
    ],
    stateDir: join(dir, 'state'),
    resyncMs: 3_600_000,
    pollMs: 20,
  });
  const server = await startHttpServer({
    listen: '127.0.0.1:0',
    api: controller,
    webhookSecret: () => WEBHOOK_SECRET,
  });
  const latencies: number[] = [];
  try {
    await controller.start();
    await waitFor(() => ready(controller, 'bench/bench-0000'));
    for (let i = 0; i < commits; i++) {
      const version = i % 2 === 0 ? '26.12.0' : '26.11.0';
      await repo.commit('pins/bench.yaml', pinYaml('bench-0000', `Atom ${pad(0)}`, version));
      const written = new Promise<number>((resolve) => writes.push(resolve));
      const body = JSON.stringify({ ref: 'refs/heads/main' });
      const sent = performance.now();
      const response = await fetch(`${server.url}/hooks/git`, {
        method: 'POST',
        body,
        headers: { 'X-Hub-Signature-256': githubSignature(body, WEBHOOK_SECRET) },
      });
      if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
      latencies.push((await written) - sent);
      await waitFor(() => reconciling(controller, 'bench/bench-0000'));
      await advance(sim, '60s');
      await waitFor(() => ready(controller, 'bench/bench-0000'));
    }
  } finally {
    await controller.stop();
    await server.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    commits,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

// ---- 2. idle resync ---------------------------------------------------------------------------------

async function idleResyncCost(count: number): Promise<LatencyBenchResult['idleResync']> {
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-bench-resync-'));
  const sim = await startSimulator({
    scenario: scenario(count),
    listen: '127.0.0.1:0',
    clock: 'manual',
    rateLimitPerSecond: 0,
  });
  const counter = new RequestCounter();
  const controller = new ReconcileLoop({
    targets: targets(sim.url, undefined, counter),
    sources: [new StaticSource(desiredSet(count))],
    stateDir: dir,
    resyncMs: 3_600_000,
    concurrency: 4,
  });
  try {
    await controller.start();
    await controller.idle(5);
    counter.reset();
    const started = performance.now();
    await controller.resync();
    await controller.idle(5);
    const durationMs = performance.now() - started;
    const stats = counter.snapshot();
    const pages = Math.ceil(count / 100);
    return {
      atomVersions: count,
      platformCalls: stats.total,
      lowerBound: 2 + pages + pages + pages,
      byObject: stats.byObject,
      durationMs: round(durationMs),
    };
  } finally {
    await controller.stop();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- 3. memory --------------------------------------------------------------------------------------

async function memoryWith(count: number): Promise<LatencyBenchResult['memory']> {
  const loadAverage1m = loadAverage();
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-bench-memory-'));
  const sim = await startSimulator({
    scenario: scenario(count),
    listen: '127.0.0.1:0',
    clock: 'manual',
    rateLimitPerSecond: 0,
  });
  const desired = desiredSet(count);
  collectGarbage();
  const before = process.memoryUsage();
  const controller = new ReconcileLoop({
    targets: targets(sim.url),
    sources: [new StaticSource(desired)],
    stateDir: dir,
    resyncMs: 3_600_000,
    concurrency: 8,
  });
  try {
    const started = performance.now();
    await controller.start();
    await controller.idle(20);
    const firstReconcileMs = performance.now() - started;
    collectGarbage();
    const after = process.memoryUsage();
    const writes = await timeStateWrites(controller, join(dir, 'fresh-state'));
    const mb = (bytes: number) => round(bytes / 1024 / 1024);
    return {
      atomVersions: count,
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      rssDeltaMb: mb(after.rss - before.rss),
      heapUsedDeltaMb: mb(after.heapUsed - before.heapUsed),
      firstReconcileMs: round(firstReconcileMs),
      stateWritesMs: round(writes.ms),
      stateWriteBatches: writes.batches,
      loadAverage1m,
    };
  } finally {
    await controller.stop();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Puts every status the controller holds into a fresh state store at once; ms until all are durable. */
async function timeStateWrites(
  controller: ReconcileLoop,
  stateDir: string,
): Promise<{ ms: number; batches: number }> {
  const statuses = controller.statuses();
  const store = await StateStore.open(stateDir);
  try {
    const before = store.writes;
    const started = performance.now();
    await Promise.all(statuses.map((status) => store.put(status)));
    await store.flush();
    return { ms: performance.now() - started, batches: store.writes - before };
  } finally {
    await store.close();
  }
}

// ---- helpers ----------------------------------------------------------------------------------------

function desiredSet(count: number): DesiredAtomVersion[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `bench-${pad(i)}`;
    return {
      key: `bench/${name}`,
      name,
      namespace: 'bench',
      generation: `g-${i}`,
      spec: {
        account: ACCOUNT,
        runtime: { name: `Atom ${pad(i)}` },
        channel: 'released',
        releaseSchedule: { week: 'never' },
        connectors: [],
        integrationPacks: [],
        policy: {
          mode: 'enforce',
          suspend: false,
          allowRollback: true,
          allowPackReattach: false,
          windows: [],
        },
      },
      origin: { source: 'file' },
    };
  });
}

function scenario(runtimes: number): unknown {
  return {
    clock: { start: '2026-11-23T08:00:00Z', mode: 'manual' },
    timing: { inactivityWaitSeconds: 1, restartSecondsPerNode: 1 },
    rateLimitPerSecond: 0,
    calendar: {
      platformRelease: '2026-12-05T02:00:00Z',
      components: [{ name: 'Atom', released: '26.11.0', pending: '26.12.0', source: 'RUNTIME_RELEASE' }],
    },
    roles: [{ name: 'Admin', privileges: ['API', 'ATOM_MANAGEMENT'] }],
    users: [{ ...ADMIN, roles: ['Admin'] }],
    accounts: [
      {
        id: ACCOUNT,
        environments: [{ name: 'Test', classification: 'TEST' }],
        runtimes: Array.from({ length: runtimes }, (_, i) => ({
          name: `Atom ${pad(i)}`,
          type: 'ATOM',
          environment: 'Test',
        })),
      },
    ],
  };
}

function targets(
  baseUrl: string,
  onRequest?: (event: RequestEvent) => void,
  counter = new RequestCounter(),
): AccountTarget[] {
  const client = new AtomSphereClient({
    baseUrl,
    accountId: ACCOUNT,
    username: USERNAME,
    token: ADMIN.token,
    requestsPerSecond: 0,
    counter,
    ...(onRequest ? { onRequest } : {}),
  });
  return [{ accountId: ACCOUNT, client }];
}

function pinYaml(name: string, runtime: string, version: string): string {
  return `apiVersion: atomsync.io/v1alpha1\nkind: AtomVersion\nmetadata: { name: ${name}, namespace: bench }\nspec:\n  account: ${ACCOUNT}\n  runtime: { name: ${runtime} }\n  version: ${version}\n`;
}

class GitRepo {
  private constructor(
    readonly remote: string,
    private readonly work: string,
  ) {}

  static async create(dir: string): Promise<GitRepo> {
    const repo = new GitRepo(join(dir, 'remote.git'), join(dir, 'work'));
    await git(dir, 'init', '--bare', '--initial-branch=main', repo.remote);
    await git(dir, 'init', '--initial-branch=main', repo.work);
    return repo;
  }

  async commit(path: string, content: string): Promise<void> {
    const file = join(this.work, path);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, content);
    await git(this.work, 'add', '-A');
    await git(this.work, 'commit', '-q', '--allow-empty', '-m', 'bench');
    await git(this.work, 'push', '-q', this.remote, 'HEAD:refs/heads/main');
  }
}

async function advance(sim: RunningSimulator, by: string): Promise<void> {
  const auth = `Basic ${Buffer.from(`${USERNAME}:${ADMIN.token}`).toString('base64')}`;
  const response = await fetch(`${sim.url}/_sim/clock`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance: by }),
  });
  if (!response.ok) throw new Error(`/_sim/clock answered ${response.status}`);
}

function ready(controller: ReconcileLoop, key: string): boolean {
  return findCondition(controller.status(key)?.conditions ?? [], 'Ready')?.status === 'True';
}

function reconciling(controller: ReconcileLoop, key: string): boolean {
  return findCondition(controller.status(key)?.conditions ?? [], 'Reconciling')?.status === 'True';
}

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: timed out waiting for the controller');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function pad(i: number): string {
  return String(i).padStart(5, '0');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function printTable(result: LatencyBenchResult): void {
  const { webhookToFirstWrite: w, idleResync: r, memory: m } = result;
  const rows: [string, string][] = [
    [
      `webhook → first write (${w.commits} commits)`,
      `p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms, max ${w.maxMs} ms`,
    ],
    [
      `idle resync of ${r.atomVersions} AtomVersions`,
      `${r.platformCalls} platform calls (lower bound ${r.lowerBound}), ${r.durationMs} ms`,
    ],
    [
      `${m.atomVersions} AtomVersions loaded`,
      `RSS +${m.rssDeltaMb} MB (${m.rssBeforeMb} → ${m.rssAfterMb} MB, simulator included), heap +${m.heapUsedDeltaMb} MB, first reconcile ${m.firstReconcileMs} ms`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLatencyBench();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
}
