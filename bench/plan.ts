// The planner at scale and the cost of observing.
// 1. plan(desired, snapshot, options) for 10,000 runtimes × 20 pins (runtime + 15 connectors + 4 packs)
//    over 100 accounts of 100 runtimes, built directly as objects (support/plan-fixture.ts): CPU ms of
//    the call (process.cpuUsage, median of RUNS after WARMUPS), RSS and heap after.
// 2. API calls of a full observe (observeAndPlan against the simulator, 1,000 runtimes all pinned) beside the
//    lower bound and a naive observe (support/observe-calls.ts).
// Run: npm run build && node dist/bench/plan.js
import v8 from 'node:v8';
import vm from 'node:vm';
import { plan } from '../controller/domain/plan.js';
import type { Plan, PlanSummary } from '../controller/domain/types.js';
import { loadAverage, megabytes, median, round } from './support/measure.js';
import { measureObserveCalls, OBSERVE_TARGET_RATIO } from './support/observe-calls.js';
import type { ObserveCallsResult } from './support/observe-calls.js';
import {
  buildPlanFixture,
  CONNECTORS,
  PACKS,
  PINS_PER_RUNTIME,
  type PlanFixture,
} from './support/plan-fixture.js';
import type { Benchmark, BenchOutcome, BenchRow } from './support/results.js';
import { isMain, runStandalone } from './support/results.js';

export const PLAN_CPU_TARGET_MS = 250;
export const PLAN_RSS_TARGET_MB = 300;

export interface PlanBenchOptions {
  accounts?: number;
  runtimesPerAccount?: number;
  warmups?: number;
  runs?: number;
  /** Runtimes in the simulator for the observe part. */
  observeRuntimes?: number;
}

export interface PlanCpuResult {
  accounts: number;
  runtimes: number;
  pinsPerRuntime: string;
  pins: number;
  warmups: number;
  runs: number;
  cpuMs: { median: number; min: number; max: number; all: number[] };
  wallMsMedian: number;
  memoryMb: {
    /** Before the input was built. */
    rssBefore: number;
    heapUsedBefore: number;
    /** After the runs, with the input and the last plan still referenced, after a full GC. */
    rssAfter: number;
    heapUsedAfter: number;
    /** Of which the input (snapshot + desired) alone. */
    heapUsedByInput: number;
    /** Highest RSS of the process so far. */
    peakRss: number;
  };
  summary: PlanSummary;
  outcomes: Record<string, number>;
  targets: { cpuMs: number; rssMb: number };
  pass: { cpu: boolean; rss: boolean };
}

export interface PlanBenchResult {
  name: 'plan';
  date: string;
  node: string;
  /** 1-minute load average when the benchmark started (2 cores: above ~0.5 the figures are skewed). */
  loadAverage1m: number;
  plan: PlanCpuResult;
  observe: ObserveCallsResult;
}

const DEFAULTS: Required<PlanBenchOptions> = {
  accounts: 100,
  runtimesPerAccount: 100,
  warmups: 2,
  runs: 9,
  observeRuntimes: 1000,
};

export async function runPlanBench(options: PlanBenchOptions = {}): Promise<PlanBenchResult> {
  const settings = { ...DEFAULTS, ...options };
  const loadAverage1m = loadAverage();
  // Memory first, before the simulator and its HTTP traffic share the heap.
  const planResult = measurePlan(settings);
  const observe = await measureObserveCalls(settings.observeRuntimes);
  const date = new Date().toISOString();
  return { name: 'plan', date, node: process.version, loadAverage1m, plan: planResult, observe };
}

function measurePlan(settings: Required<PlanBenchOptions>): PlanCpuResult {
  const gc = exposeGc();
  gc();
  const before = process.memoryUsage();
  const fixture = buildPlanFixture(settings.accounts, settings.runtimesPerAccount);
  gc();
  const heapWithInput = process.memoryUsage().heapUsed;
  const { cpu, wall, last } = timePlans(fixture, settings.warmups, settings.runs);
  gc();
  const after = process.memoryUsage();
  const cpuMedian = median(cpu);
  const rssAfter = megabytes(after.rss);
  return {
    accounts: settings.accounts,
    runtimes: fixture.runtimes,
    pinsPerRuntime: `${PINS_PER_RUNTIME} (runtime + ${CONNECTORS} connectors + ${PACKS} packs)`,
    pins: fixture.pins,
    warmups: settings.warmups,
    runs: settings.runs,
    cpuMs: {
      median: round(cpuMedian, 1),
      min: round(Math.min(...cpu), 1),
      max: round(Math.max(...cpu), 1),
      all: cpu.map((ms) => round(ms, 1)),
    },
    wallMsMedian: round(median(wall), 1),
    memoryMb: {
      rssBefore: megabytes(before.rss),
      heapUsedBefore: megabytes(before.heapUsed),
      rssAfter,
      heapUsedAfter: megabytes(after.heapUsed),
      heapUsedByInput: megabytes(heapWithInput - before.heapUsed),
      peakRss: megabytes(process.resourceUsage().maxRSS * 1024),
    },
    summary: last.summary,
    outcomes: countOutcomes(last),
    targets: { cpuMs: PLAN_CPU_TARGET_MS, rssMb: PLAN_RSS_TARGET_MB },
    pass: { cpu: cpuMedian <= PLAN_CPU_TARGET_MS, rss: rssAfter <= PLAN_RSS_TARGET_MB },
  };
}

/** Outcome (and Blocked reason) → pins, to show the input exercises every path. */
function countOutcomes(result: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pin of result.pins) {
    const key = pin.reason ? `${pin.outcome}:${pin.reason}` : pin.outcome;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** CPU and wall ms of `runs` plan calls after `warmups`, and the last plan. */
export function timePlans(
  fixture: PlanFixture,
  warmups: number,
  runs: number,
): { cpu: number[]; wall: number[]; last: Plan } {
  const options = { now: fixture.now, maxConcurrentRestarts: 5, defaultWindows: [] };
  let last: Plan | undefined;
  for (let i = 0; i < warmups; i++) last = plan(fixture.desired, fixture.snapshot, options);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Steady state, as in a controller that plans every cycle: the heap is already sized, and the previous
    // plan is garbage that the collector may reclaim during this run (counted: GC threads are this process).
    last = undefined;
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    last = plan(fixture.desired, fixture.snapshot, options);
    wall.push(performance.now() - wallStart);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  if (!last) throw new Error('no plan was made: runs must be at least 1');
  return { cpu, wall, last };
}

/** A full GC between phases so heap figures are what is retained, not what awaits collection. */
export function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export function planRows(result: PlanBenchResult): BenchRow[] {
  const p = result.plan;
  const label = `${p.runtimes} runtimes x ${PINS_PER_RUNTIME} pins, ${p.accounts} accounts`;
  const rows: BenchRow[] = [
    {
      benchmark: 'plan',
      metric: `CPU, median of ${p.runs} (${label})`,
      value: p.cpuMs.median,
      unit: 'ms',
      target: `<= ${p.targets.cpuMs}`,
      pass: p.pass.cpu,
    },
    {
      benchmark: 'plan',
      metric: 'RSS after (input + plan retained)',
      value: p.memoryMb.rssAfter,
      unit: 'MB',
      target: `<= ${p.targets.rssMb}`,
      pass: p.pass.rss,
    },
    { benchmark: 'plan', metric: 'heap used after', value: p.memoryMb.heapUsedAfter, unit: 'MB' },
  ];
  const o = result.observe;
  rows.push({
    benchmark: 'observe',
    metric: `lower bound (${o.runtimes} runtimes, all pinned)`,
    value: o.lowerBound,
    unit: 'calls',
  });
  for (const c of o.cases) {
    rows.push({
      benchmark: 'observe',
      metric:
        c.runtimesChanging === 0
          ? `observeAndPlan ${c.case}: ${c.calls} calls`
          : `observeAndPlan ${c.case}: ${c.calls} calls (${c.ratioToLowerBoundWithEnvironments}x of ${c.lowerBoundWithEnvironments} incl. environment reads)`,
      value: `${c.ratioToLowerBound}x`,
      unit: 'of lower bound',
      target: `<= ${OBSERVE_TARGET_RATIO}x`,
      pass: c.pass,
    });
  }
  rows.push({
    benchmark: 'observe',
    metric: `naive (one GET per runtime per object): ${o.naive.calls} calls`,
    value: `${o.naive.ratioToLowerBound}x`,
    unit: 'of lower bound',
  });
  return rows;
}

export const benchmark: Benchmark = {
  name: 'plan',
  async run(): Promise<BenchOutcome> {
    const result = await runPlanBench();
    return { name: result.name, result, rows: planRows(result) };
  },
};

if (isMain(import.meta.url)) await runStandalone(benchmark);
