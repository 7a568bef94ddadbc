// A whole convergence: the controller against the simulator with the platform's rate limit on (10
// requests/s per account, R16), every runtime pinned to the pending version, the simulator's clock
// fast-forwarded (a pump advances it 60 s every 250 ms) so restarts do not take real minutes. Counted:
// every platform call from the first observe until every AtomVersion is Ready, per account and in all,
// beside the lower bound (observe + one write per runtime + the request statuses read in bulk) and the
// time the rate limit alone needs for that bound. "Accounts progress in parallel" is judged within each
// run: the time to the last Ready over the slowest account's own time (its first call to its last Ready);
// accounts served one after another would make it the number of accounts. Each size is also set beside
// one account alone (same runtimes per account), which adds what sharing this machine's CPU costs. Sizes
// side by side in one run: by default 1 x 20, 5 x 20, 1 x 100, 10 x 100 and 100 x 100 (the targets are
// judged on the largest); --quick 1 x 20 and 5 x 20 only.
// Run: npm run build && node dist/bench/converge.js [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DesiredAtomVersion } from '../controller/domain/types.js';
import { AtomSphereClient, RequestCounter, type RequestEvent } from '../controller/platform/index.js';
import type { AccountTarget } from '../controller/platform/observe.js';
import { ReconcileLoop } from '../controller/reconciler/reconcile-loop.js';
import { findCondition, type AtomVersionStatus } from '../controller/domain/status.js';
import { loadAverage, round } from './support/measure.js';
import type { Benchmark, BenchOutcome, BenchRow } from './support/results.js';
import { isMain, runStandalone } from './support/results.js';
import { StaticSource } from './support/static-source.js';
import { accountId, ADMIN, PENDING, runtimeName, startPlatform } from './support/converge-platform.js';

export const CALLS_TARGET_RATIO = 1.1;
export const PARALLEL_TARGET_RATIO = 1.2;
const RATE_PER_SECOND = 10;
const PAGE = 100;
const USERNAME = `BOOMI_TOKEN.${ADMIN.userId}`;

export interface ConvergeOptions {
  accounts?: number;
  runtimesPerAccount?: number;
  /** AtomVersions of one account reconciled at once by the controller (all accounts: this × accounts). */
  concurrency?: number;
  /** Give up after this long (the result says how many converged). */
  timeoutMs?: number;
}

export interface ConvergeRun {
  accounts: number;
  runtimesPerAccount: number;
  converged: number;
  of: number;
  wallMs: number;
  /** Every call from the first observe until the last Ready (the confirming observation included). */
  calls: number;
  /**
   * The count: every call of each account from its first observe until its last request is
   * complete (its last bulk read of request statuses, the one that sees that request end). Left out: the
   * observation that then confirms the new versions.
   */
  callsUntilRequestsComplete: number;
  callsByObject: Record<string, number>;
  /** Every call by verb and object, e.g. `BULK AtomVersionUpdateRequest` (request statuses in bulk). */
  callsByVerbAndObject: Record<string, number>;
  /**
   * Reconcile passes per AtomVersion (statuses the controller reported): a key waiting on its request is
   * woken by its account's poll loop when the request ends, not passed again every poll.
   */
  passesPerAtomVersion: number;
  /** Requests the platform accepted (one per runtime when nothing is sent twice). */
  writes: number;
  /** Every account's first request was sent before any account's last: accounts wrote at the same time. */
  accountsWroteInParallel: boolean;
  rateLimited: number;
  lowerBound: number;
  /** callsUntilRequestsComplete / lowerBound (judged against CALLS_TARGET_RATIO). */
  ratioToLowerBound: number;
  /** calls / lowerBound. */
  allCallsRatio: number;
  /** The lower bound's calls of one account at 10/s: accounts run in parallel on the platform. */
  secondsAtPlatformLimit: number;
  /** The 1-minute load average when this size started. */
  loadAverage1m: number;
  /** CPU (user + system, GC threads included) of the controller's process from start to the last Ready. */
  controllerCpuMs: number;
  /** How busy the controller's event loop was from start to the last Ready (1 = never idle). */
  eventLoopUtilization: number;
  /** CPU of the platform's own process (bench/support/sim-host.ts), its start-up included. */
  platformCpuMs: number;
  /** Where the simulators ran: a process of their own (the bench), or this one (tests on the sources). */
  platformRunsIn: 'separate' | 'in-process';
  /** When each account's last AtomVersion became Ready, from the start (ms). */
  accountDoneMs: { min: number; median: number; max: number };
  /** The longest an account took from its first call to its last Ready (ms). */
  slowestAccountMs: number;
  /** wallMs / slowestAccountMs: 1 when every account ran the whole time, N when N ran one after another. */
  parallelRatio: number;
}

export interface ConvergeBenchResult {
  name: 'converge';
  date: string;
  loadAverage1m: number;
  settings: Required<ConvergeOptions>;
  lowerBoundFormula: string;
  /** Every size, smallest first; the first is one account alone. */
  runs: (ConvergeRun & { vsOneAccountAlone: number })[];
  /** The largest size. */
  all: ConvergeRun;
  singleAccount: ConvergeRun;
  /** The largest size's parallelRatio (judged against PARALLEL_TARGET_RATIO). */
  parallelRatio: number;
  pass: { calls: boolean; parallel: boolean };
}

/** `--quick`: small enough to finish in well under a minute. */
const QUICK: Required<ConvergeOptions> = {
  accounts: 5,
  runtimesPerAccount: 20,
  concurrency: 4,
  timeoutMs: 4 * 60_000,
};
/** The default: the 100 accounts x 100 runtimes, after 1 x 100 alone and 10 x 100. */
const FULL: Required<ConvergeOptions> = {
  ...QUICK,
  accounts: 100,
  runtimesPerAccount: 100,
  timeoutMs: 8 * 60_000,
};

export async function runConvergeBench(
  options: ConvergeOptions = {},
  middleAccounts: number[] = [],
): Promise<ConvergeBenchResult> {
  const settings = { ...QUICK, ...options };
  const loadAverage1m = loadAverage();
  const single = await converge({ ...settings, accounts: 1 });
  const runs: ConvergeBenchResult['runs'] = [{ ...single, vsOneAccountAlone: 1 }];
  for (const accounts of [...middleAccounts, settings.accounts]) {
    const run = await converge({ ...settings, accounts });
    runs.push({ ...run, vsOneAccountAlone: round(run.wallMs / single.wallMs, 2) });
  }
  const all = runs.at(-1) as ConvergeBenchResult['runs'][number];
  return {
    name: 'converge',
    date: new Date().toISOString(),
    loadAverage1m,
    settings,
    lowerBoundFormula:
      'per account: 2 (AccountUserRole query + Role bulk) + 3*ceil(N/100) (Atom query, AtomVersions bulk, IntegrationPackVersions bulk) + N (one AtomVersionUpdateRequest per runtime) + ceil(N/100) (request statuses, one bulk read per 100)',
    runs,
    all,
    singleAccount: single,
    parallelRatio: all.parallelRatio,
    pass: {
      calls: all.ratioToLowerBound <= CALLS_TARGET_RATIO && all.converged === all.of,
      parallel: all.parallelRatio <= PARALLEL_TARGET_RATIO,
    },
  };
}

/** 1 x 20 and 5 x 20 (the small sizes, where fixed reads weigh most), then 1 x 100, 10 x 100, 100 x 100. */
async function runSizes(): Promise<ConvergeBenchResult> {
  const small = await runConvergeBench(QUICK);
  const large = await runConvergeBench(FULL, [10]);
  return { ...large, runs: [...small.runs, ...large.runs], loadAverage1m: small.loadAverage1m };
}

function lowerBoundPerAccount(runtimes: number): number {
  const pages = Math.ceil(runtimes / PAGE);
  return 2 + 3 * pages + runtimes + pages;
}

export async function converge(settings: Required<ConvergeOptions>): Promise<ConvergeRun> {
  const { accounts, runtimesPerAccount: perAccount } = settings;
  const loadAverage1m = loadAverage();
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-bench-converge-'));
  const platform = await startPlatform({
    accounts,
    runtimesPerAccount: perAccount,
    rateLimitPerSecond: RATE_PER_SECOND,
    pumpEveryMs: 250,
    advanceMs: 60_000,
  });
  const counters = Array.from({ length: accounts }, () => new RequestCounter());
  const byVerbAndObject: Record<string, number> = {};
  const seen = new Map<string, AccountCalls>();
  let sequence = 0;
  const onRequest = (event: RequestEvent) => {
    let account = seen.get(event.accountId);
    if (!account) {
      account = { firstCallMs: performance.now() - progress.started, calls: 0, callsAtLastStatusRead: 0 };
      seen.set(event.accountId, account);
    }
    account.calls += 1;
    if (event.verb === 'BULK' && event.object === 'AtomVersionUpdateRequest')
      account.callsAtLastStatusRead = account.calls;
    const name = `${event.verb} ${event.object}`;
    byVerbAndObject[name] = (byVerbAndObject[name] ?? 0) + 1;
    if (event.verb !== 'CREATE' || event.outcome !== 'ok') return;
    sequence += 1;
    account.firstWrite ??= sequence;
    account.lastWrite = sequence;
  };
  const desired = Array.from({ length: accounts }, (_, a) => pins(a, perAccount)).flat();
  const progress = new Progress(accounts, perAccount);
  const controller = new ReconcileLoop({
    targets: counters.map((counter, a) => target(platform.urls[a] as string, a, counter, onRequest)),
    sources: [new StaticSource(desired)],
    stateDir: dir,
    resyncMs: 3_600_000,
    pollMs: 500,
    concurrency: settings.concurrency * accounts,
    concurrencyPerAccount: settings.concurrency,
    maxConcurrentRestarts: accounts * perAccount,
    onStatus: (key, status) => progress.update(key, status),
  });
  const started = performance.now();
  progress.started = started;
  const doneAt = progress.doneAt;
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  let controllerCpuMs = 0;
  let eventLoopUtilization = 0;
  let platformCpuMs = 0;
  try {
    await controller.start();
    const deadline = started + settings.timeoutMs;
    while (doneAt.some((at) => at === undefined) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpu = process.cpuUsage(cpuBefore);
    controllerCpuMs = (cpu.user + cpu.system) / 1000;
    eventLoopUtilization = performance.eventLoopUtilization(loopBefore).utilization;
    progress.report();
  } finally {
    await controller.stop();
    platformCpuMs = (await platform.close()).cpuMs;
    await rm(dir, { recursive: true, force: true });
  }
  const wallMs = Math.max(...doneAt.map((at) => at ?? settings.timeoutMs));
  const calls = counters.reduce((sum, counter) => sum + counter.snapshot().total, 0);
  const callsUntilRequestsComplete = [...seen.values()].reduce((sum, a) => sum + a.callsAtLastStatusRead, 0);
  const lowerBound = accounts * lowerBoundPerAccount(perAccount);
  const times = doneAt.map((at) => at ?? settings.timeoutMs).sort((a, b) => a - b);
  const spans = doneAt.map(
    (at, a) => (at ?? settings.timeoutMs) - (seen.get(accountId(a))?.firstCallMs ?? 0),
  );
  const slowestAccountMs = Math.max(...spans);
  const writers = [...seen.values()].filter((a) => a.firstWrite !== undefined);
  return {
    accounts,
    runtimesPerAccount: perAccount,
    converged: doneAt.filter((at) => at !== undefined).length * perAccount,
    of: accounts * perAccount,
    wallMs: round(wallMs, 0),
    calls,
    callsByObject: mergeByObject(counters),
    callsByVerbAndObject: byVerbAndObject,
    loadAverage1m,
    controllerCpuMs: round(controllerCpuMs, 0),
    eventLoopUtilization: round(eventLoopUtilization, 2),
    platformCpuMs,
    platformRunsIn: platform.runsIn,
    passesPerAtomVersion: round(progress.passes / (accounts * perAccount), 2),
    writes: sequence,
    accountsWroteInParallel:
      writers.length === accounts &&
      Math.max(...writers.map((a) => a.firstWrite as number)) <
        Math.min(...writers.map((a) => a.lastWrite as number)),
    rateLimited: counters.reduce((sum, counter) => sum + counter.snapshot().rateLimited, 0),
    lowerBound,
    callsUntilRequestsComplete,
    ratioToLowerBound: round(callsUntilRequestsComplete / lowerBound, 3),
    allCallsRatio: round(calls / lowerBound, 3),
    secondsAtPlatformLimit: round(lowerBoundPerAccount(perAccount) / RATE_PER_SECOND, 1),
    accountDoneMs: {
      min: round(times[0] ?? 0, 0),
      median: round(times[Math.floor(times.length / 2)] ?? 0, 0),
      max: round(times.at(-1) ?? 0, 0),
    },
    slowestAccountMs: round(slowestAccountMs, 0),
    parallelRatio: round(wallMs / slowestAccountMs, 2),
  };
}

/** One account's calls as they went (sequence numbers count accepted writes across all accounts). */
interface AccountCalls {
  firstCallMs: number;
  calls: number;
  /** `calls` when its latest bulk read of request statuses went: the last one sees its last request end. */
  callsAtLastStatusRead: number;
  firstWrite?: number;
  lastWrite?: number;
}

/** Which AtomVersions are Ready on the new version, per account, from the statuses as they are stored. */
class Progress {
  readonly doneAt: (number | undefined)[];
  started = 0;
  private readonly ready: Set<string>[];
  private readonly reasons = new Map<string, string>();

  constructor(
    accounts: number,
    private readonly perAccount: number,
  ) {
    this.doneAt = new Array<number | undefined>(accounts).fill(undefined);
    this.ready = Array.from({ length: accounts }, () => new Set<string>());
  }

  passes = 0;

  update(key: string, status: AtomVersionStatus | undefined): void {
    this.passes += 1;
    const a = Number(/^bench\/a(\d+)-/.exec(key)?.[1]);
    const ready = this.ready[a];
    if (!ready || this.doneAt[a] !== undefined) return;
    const converged =
      findCondition(status?.conditions ?? [], 'Ready')?.status === 'True' &&
      !status?.pins.some((pin) => pin.kind === 'runtime' && pin.current !== PENDING);
    if (converged) ready.add(key);
    else ready.delete(key);
    const condition = findCondition(status?.conditions ?? [], 'Ready');
    this.reasons.set(key, `${condition?.status ?? 'none'} ${condition?.reason ?? ''}`);
    if (ready.size === this.perAccount) this.doneAt[a] = performance.now() - this.started;
  }

  /** Unconverged AtomVersions' last Ready reasons, on stderr (why a run timed out). */
  report(): void {
    const stuck = this.doneAt.filter((at) => at === undefined).length;
    if (stuck === 0) return;
    const counts = new Map<string, number>();
    this.doneAt.forEach((at, a) => {
      if (at !== undefined) return;
      for (const [key, reason] of this.reasons)
        if (key.startsWith(`bench/a${String(a).padStart(3, '0')}-`) && !this.ready[a]?.has(key))
          counts.set(reason, (counts.get(reason) ?? 0) + 1);
    });
    const why = [...counts].map(([reason, count]) => `${count} ${reason}`).join(', ');
    process.stderr.write(`converge: ${stuck} account(s) did not converge in time (not Ready: ${why})\n`);
  }
}

function mergeByObject(counters: readonly RequestCounter[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const counter of counters) {
    for (const [object, count] of Object.entries(counter.snapshot().byObject)) {
      merged[object] = (merged[object] ?? 0) + count;
    }
  }
  return merged;
}

function keyName(a: number, r: number): string {
  return `a${String(a).padStart(3, '0')}-rt${String(r).padStart(3, '0')}`;
}

function target(
  baseUrl: string,
  a: number,
  counter: RequestCounter,
  onRequest: (event: RequestEvent) => void,
): AccountTarget {
  const client = new AtomSphereClient({
    baseUrl,
    accountId: accountId(a),
    username: USERNAME,
    token: ADMIN.token,
    requestsPerSecond: RATE_PER_SECOND,
    counter,
    onRequest,
  });
  return { accountId: accountId(a), client };
}

function pins(a: number, perAccount: number): DesiredAtomVersion[] {
  return Array.from({ length: perAccount }, (_, r) => ({
    key: `bench/${keyName(a, r)}`,
    name: keyName(a, r),
    namespace: 'bench',
    generation: '1',
    spec: {
      account: accountId(a),
      runtime: { name: runtimeName(r) },
      version: PENDING,
      connectors: [],
      integrationPacks: [],
      policy: { mode: 'enforce', suspend: false, allowRollback: true, allowPackReattach: false, windows: [] },
    },
    origin: { source: 'file' },
  }));
}

export function convergeRows(result: ConvergeBenchResult): BenchRow[] {
  return result.runs.flatMap((run) => {
    const label = `${run.accounts} x ${run.runtimesPerAccount}`;
    const rows: BenchRow[] = [
      {
        benchmark: 'converge',
        metric: `${label}: calls until the requests are complete (lower bound ${run.lowerBound}; ${run.converged}/${run.of} converged, ${run.rateLimited} answered 503)`,
        value: `${run.callsUntilRequestsComplete} = ${run.ratioToLowerBound}x`,
        unit: '',
        target: `<= ${CALLS_TARGET_RATIO}x`,
        pass: run.ratioToLowerBound <= CALLS_TARGET_RATIO && run.converged === run.of,
      },
      {
        benchmark: 'converge',
        metric: `${label}: calls until the last Ready (the confirming observation too)`,
        value: `${run.calls} = ${run.allCallsRatio}x`,
        unit: '',
      },
      {
        benchmark: 'converge',
        metric: `${label}: time to the last Ready (platform limit alone: ${run.secondsAtPlatformLimit} s)`,
        value: round(run.wallMs / 1000, 1),
        unit: 's',
      },
    ];
    if (run.accounts > 1)
      rows.push(
        {
          benchmark: 'converge',
          metric: `${label}: time / the slowest account's own (first call to last Ready)`,
          value: `${run.parallelRatio}x`,
          unit: '',
          target: `<= ${PARALLEL_TARGET_RATIO}x`,
          pass: run.parallelRatio <= PARALLEL_TARGET_RATIO,
        },
        {
          benchmark: 'converge',
          metric: `${label}: time / one account alone (adds sharing this machine's CPU)`,
          value: `${run.vsOneAccountAlone}x`,
          unit: '',
        },
      );
    return rows;
  });
}

export const benchmark: Benchmark = {
  name: 'converge',
  async run(): Promise<BenchOutcome> {
    const quick = process.argv.includes('--quick');
    const result = quick ? await runConvergeBench(QUICK) : await runSizes();
    return { name: result.name, result, rows: convergeRows(result) };
  },
};

if (isMain(import.meta.url)) await runStandalone(benchmark);
