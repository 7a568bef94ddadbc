// Requests per second the simulator serves on loopback with its rate limit off, for the two calls a
// snapshot is made of: Atom query pages (POST /Atom/query, then queryMore through 1,000+ runtimes) and
// AtomVersions bulk GETs of 100 ids. The simulator runs on the main thread; the load generator in a
// worker thread (its own event loop and core), with `concurrency` requests in flight on keep-alive
// connections, for at most `maxRequests` requests or `maxMs` per workload. Also reports the platform
// client's own overhead per call (client-overhead.ts).
// Run: npm run build && node dist/bench/sim-throughput.js
import { Worker } from 'node:worker_threads';
import { startSimulator } from '../simulator/start.js';
import type { RunningSimulator } from '../simulator/start.js';
import { runClientOverheadBench } from './client-overhead.js';
import type { ClientOverheadResult } from './client-overhead.js';
import { LARGE, largeScenario, runtimeId, writeScenarioFile } from './support/large-scenario.js';
import type { LoadReport, LoadSpec, Workload } from './support/load-worker.js';
import { loadAverage, percentile, round } from './support/measure.js';
import type { Benchmark, BenchOutcome, BenchRow } from './support/results.js';
import { isMain, runStandalone } from './support/results.js';

export const THROUGHPUT_TARGET_PER_SECOND = 2000;

export interface SimThroughputOptions {
  runtimes?: number;
  concurrency?: number;
  maxRequests?: number;
  maxMs?: number;
  warmupRequests?: number;
  workloads?: Workload[];
  /** Also run client-overhead.ts (run-all runs it on its own). */
  clientOverhead?: boolean;
}

export interface WorkloadResult {
  workload: Workload;
  description: string;
  requests: number;
  failed: number;
  seconds: number;
  requestsPerSecond: number;
  itemsPerSecond: number;
  /** Mean response body size. */
  responseKb: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Share of wall time the simulator's event loop was busy: near 1 means the simulator is the limit. */
  serverEventLoopUtilization: number;
  clientEventLoopUtilization: number;
  /** Absent for atom-get, a reference for the per-request cost without a payload. */
  targetPerSecond?: number;
  pass?: boolean;
  firstError?: string;
}

export interface SimThroughputResult {
  name: 'sim-throughput';
  date: string;
  node: string;
  /** 1-minute load average when the benchmark started (2 cores: above ~0.5 the figures are skewed). */
  loadAverage1m: number;
  runtimes: number;
  concurrency: number;
  rateLimit: 'off';
  simulatorStartMs: number;
  workloads: WorkloadResult[];
  clientOverhead?: ClientOverheadResult;
}

const DEFAULTS: Required<SimThroughputOptions> = {
  runtimes: 1000,
  concurrency: 8,
  maxRequests: 20_000,
  maxMs: 5_000,
  warmupRequests: 400,
  workloads: ['atom-query', 'atom-versions-bulk', 'atom-get'],
  clientOverhead: true,
};

const BULK_SIZE = 100;

const DESCRIPTIONS: Record<Workload, (runtimes: number) => string> = {
  'atom-query': (runtimes) => `POST Atom/query + queryMore, pages of 100 over ${runtimes} runtimes`,
  'atom-versions-bulk': () => `POST AtomVersions/bulk of ${BULK_SIZE} ids`,
  'atom-get': () => 'GET Atom/{id} (reference: one small object per request)',
};

export async function runSimThroughputBench(
  options: SimThroughputOptions = {},
): Promise<SimThroughputResult> {
  const settings = { ...DEFAULTS, ...options };
  const loadAverage1m = loadAverage();
  const { simulatorStartMs, workloads } = await measureSimulator(settings);
  const result: SimThroughputResult = {
    name: 'sim-throughput',
    date: new Date().toISOString(),
    node: process.version,
    loadAverage1m,
    runtimes: settings.runtimes,
    concurrency: settings.concurrency,
    rateLimit: 'off',
    simulatorStartMs,
    workloads,
  };
  if (settings.clientOverhead) result.clientOverhead = await runClientOverheadBench();
  return result;
}

/** Starts the simulator on a generated scenario file, runs each workload against it, cleans up. */
async function measureSimulator(
  settings: Required<SimThroughputOptions>,
): Promise<{ simulatorStartMs: number; workloads: WorkloadResult[] }> {
  const scenario = await writeScenarioFile(largeScenario(settings.runtimes));
  let simulator: RunningSimulator | undefined;
  try {
    const started = performance.now();
    simulator = await startSimulator({
      scenarioFile: scenario.file,
      listen: '127.0.0.1:0',
      clock: 'manual',
      rateLimitPerSecond: 0,
    });
    const simulatorStartMs = round(performance.now() - started, 1);
    const ids = Array.from({ length: settings.runtimes }, (_, index) => runtimeId(index));
    const workloads: WorkloadResult[] = [];
    for (const workload of settings.workloads) {
      workloads.push(await measureWorkload(simulator.url, workload, ids, settings));
    }
    return { simulatorStartMs, workloads };
  } finally {
    await simulator?.close();
    await scenario.remove();
  }
}

async function measureWorkload(
  baseUrl: string,
  workload: Workload,
  ids: string[],
  settings: Required<SimThroughputOptions>,
): Promise<WorkloadResult> {
  const spec: LoadSpec = {
    baseUrl,
    accountId: LARGE.accountId,
    authorization: basicAuth(`BOOMI_TOKEN.${LARGE.admin.userId}`, LARGE.admin.token),
    workload,
    ids,
    bulkSize: BULK_SIZE,
    concurrency: settings.concurrency,
    warmupRequests: settings.warmupRequests,
    maxRequests: settings.maxRequests,
    maxMs: settings.maxMs,
  };
  const elu = performance.eventLoopUtilization();
  const load = await runLoadWorker(spec);
  // Includes the worker's warm-up, which ran at the same rate: a fair share of the busy time.
  const serverElu = performance.eventLoopUtilization(elu).utilization;
  return summarize(load, serverElu, ids.length);
}

function summarize(load: LoadReport, serverElu: number, runtimes: number): WorkloadResult {
  const seconds = load.elapsedMs / 1000;
  const requestsPerSecond = seconds > 0 ? load.requests / seconds : 0;
  const result: WorkloadResult = {
    workload: load.workload,
    description: DESCRIPTIONS[load.workload](runtimes),
    requests: load.requests,
    failed: load.failed,
    seconds: round(seconds, 2),
    requestsPerSecond: Math.round(requestsPerSecond),
    itemsPerSecond: Math.round(seconds > 0 ? load.items / seconds : 0),
    responseKb: round(load.requests > 0 ? load.bytes / load.requests / 1024 : 0, 1),
    latencyMs: {
      p50: round(percentile(load.latenciesMs, 50), 2),
      p90: round(percentile(load.latenciesMs, 90), 2),
      p99: round(percentile(load.latenciesMs, 99), 2),
      max: round(percentile(load.latenciesMs, 100), 2),
    },
    serverEventLoopUtilization: round(serverElu, 2),
    clientEventLoopUtilization: round(load.clientEventLoopUtilization, 2),
  };
  if (load.workload !== 'atom-get') {
    result.targetPerSecond = THROUGHPUT_TARGET_PER_SECOND;
    result.pass = load.failed === 0 && requestsPerSecond >= THROUGHPUT_TARGET_PER_SECOND;
  }
  if (load.firstError !== undefined) result.firstError = load.firstError;
  return result;
}

function runLoadWorker(spec: LoadSpec): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./support/load-worker.js', import.meta.url), { workerData: spec });
    let settled = false;
    worker.once('message', (message: { ok: true; report: LoadReport } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.report);
      else reject(new Error(`load generator failed: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code} before reporting`));
    });
  });
}

function basicAuth(username: string, token: string): string {
  return `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;
}

export function simThroughputRows(result: SimThroughputResult): BenchRow[] {
  const rows: BenchRow[] = result.workloads.map((workload) => {
    const row: BenchRow = {
      benchmark: 'sim-throughput',
      metric: `${workload.workload} (${result.concurrency} in flight${workload.failed ? `, ${workload.failed} failed` : ''})`,
      value: workload.requestsPerSecond,
      unit: 'requests/s',
    };
    if (workload.targetPerSecond !== undefined) row.target = `>= ${workload.targetPerSecond}`;
    if (workload.pass !== undefined) row.pass = workload.pass;
    return row;
  });
  for (const workload of result.workloads) {
    rows.push({
      benchmark: 'sim-throughput',
      metric: `${workload.workload} latency p50 / p99`,
      value: `${workload.latencyMs.p50} / ${workload.latencyMs.p99}`,
      unit: 'ms',
    });
  }
  if (result.clientOverhead) rows.push(...clientOverheadRows(result.clientOverhead));
  return rows;
}

export function clientOverheadRows(result: ClientOverheadResult): BenchRow[] {
  return [
    {
      benchmark: 'client-overhead',
      metric: 'bare fetch per request',
      value: result.rawFetchMsPerRequest,
      unit: 'ms',
    },
    {
      benchmark: 'client-overhead',
      metric: 'bare node:http (keep-alive) per request',
      value: result.rawHttpMsPerRequest,
      unit: 'ms',
    },
    {
      benchmark: 'client-overhead',
      metric: 'AtomSphereClient per request',
      value: result.clientMsPerRequest,
      unit: 'ms',
    },
    {
      benchmark: 'client-overhead',
      metric: 'client overhead per request',
      value: result.overheadMsPerRequest,
      unit: 'ms',
    },
  ];
}

export const benchmark: Benchmark = {
  name: 'sim-throughput',
  async run(): Promise<BenchOutcome> {
    const result = await runSimThroughputBench();
    return { name: result.name, result, rows: simThroughputRows(result) };
  },
};

if (isMain(import.meta.url)) await runStandalone(benchmark);
