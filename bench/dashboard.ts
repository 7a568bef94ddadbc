// The dashboard at 10,000 runtimes × 20 pins (support/plan-fixture.ts, planned by the real planner):
// 1. server: ms to answer GET /ui (first page of 50 rows), a filtered page, a runtime page and the
//    waves page (median of RUNS after a warm-up), and the bytes of each;
// 2. browser: the page load of /ui and of /ui/waves in headless Chromium (navigation start → load event,
//    median of RUNS), when Debian's chromium is installed (CHROMIUM_PATH overrides); else not measured.
// Both pages are paged on the server (50 runtimes, 100 planned requests a page): the figure does not grow
// with the fleet. Target: each page loads in under 1 s. Run: npm run build && node dist/bench/dashboard.js
import { access } from 'node:fs/promises';
import { plan } from '../controller/domain/plan.js';
import { startHttpServer } from '../controller/server/http-server.js';
import { FleetFeed } from '../controller/ui/fleet-feed.js';
import { buildFleetView } from '../controller/ui/fleet-view.js';
import { createUiRoutes } from '../controller/ui/ui-routes.js';
import { loadAverage, median, round } from './support/measure.js';
import { buildPlanFixture } from './support/plan-fixture.js';
import type { Benchmark, BenchOutcome, BenchRow } from './support/results.js';
import { isMain, runStandalone } from './support/results.js';

export const PAGE_LOAD_TARGET_MS = 1000;
const RUNS = 7;

interface BrowserLoad {
  path: string;
  loadMsMedian: number;
  all: number[];
}

interface Timed {
  path: string;
  msMedian: number;
  bytes: number;
}

export interface DashboardBenchResult {
  name: 'dashboard';
  date: string;
  loadAverage1m: number;
  runtimes: number;
  pins: number;
  buildViewMs: number;
  server: Timed[];
  browser: BrowserLoad[] | { skipped: string };
  target: { pageLoadMs: number };
  pass: boolean;
}

export async function runDashboardBench(): Promise<DashboardBenchResult> {
  const loadAtStart = loadAverage();
  const fixture = buildPlanFixture(100, 100);
  const planned = plan(fixture.desired, fixture.snapshot, {
    now: fixture.now,
    maxConcurrentRestarts: 2,
    defaultWindows: [],
  });
  const started = performance.now();
  const view = buildFleetView({
    desired: fixture.desired,
    snapshot: fixture.snapshot,
    plan: planned,
    mode: 'plan-only',
    aliases: {},
  });
  const buildViewMs = performance.now() - started;
  const feed = new FleetFeed({ intervalMs: 3_600_000, observe: () => Promise.resolve(view) });
  await feed.refresh();
  const server = await startHttpServer({
    listen: '127.0.0.1:0',
    api: noController(),
    ui: createUiRoutes({ feed }),
  });
  try {
    const someKey = view.rows[view.rows.length - 1]?.key ?? '';
    const paths = [
      '/ui',
      '/ui?state=blocked&page=3',
      `/ui/runtime/${someKey}`,
      '/ui/waves',
      '/ui/waves?page=20',
    ];
    const timed: Timed[] = [];
    for (const path of paths) timed.push(await timeGet(`${server.url}${path}`, path));
    const browser = await browserLoads(server.url, ['/ui', '/ui/waves']);
    const pageLoad = Array.isArray(browser)
      ? Math.max(...browser.map((load) => load.loadMsMedian))
      : Math.max(...timed.map((t) => t.msMedian));
    return {
      name: 'dashboard',
      date: new Date().toISOString(),
      loadAverage1m: loadAtStart,
      runtimes: fixture.runtimes,
      pins: fixture.pins,
      buildViewMs: round(buildViewMs, 1),
      server: timed,
      browser,
      target: { pageLoadMs: PAGE_LOAD_TARGET_MS },
      pass: pageLoad < PAGE_LOAD_TARGET_MS,
    };
  } finally {
    await server.close();
  }
}

async function timeGet(url: string, path: string): Promise<Timed> {
  let bytes = 0;
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const start = performance.now();
    const response = await fetch(url);
    const body = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    if (run > 0) times.push(performance.now() - start);
    bytes = Buffer.byteLength(body);
  }
  return { path, msMedian: round(median(times), 1), bytes };
}

async function browserLoads(base: string, paths: string[]): Promise<DashboardBenchResult['browser']> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (
    !(await access(executablePath).then(
      () => true,
      () => false,
    ))
  )
    return { skipped: `no Chromium at ${executablePath} (apt-get install -y chromium)` };
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    const loads: BrowserLoad[] = [];
    for (const path of paths) {
      const all: number[] = [];
      for (let run = 0; run <= RUNS; run++) {
        await page.goto(`${base}${path}`, { waitUntil: 'load' });
        const load = (await page.evaluate(
          "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()",
        )) as number;
        if (run > 0) all.push(round(load, 1));
      }
      loads.push({ path, loadMsMedian: round(median(all), 1), all });
    }
    return loads;
  } finally {
    await browser.close();
  }
}

function noController(): Parameters<typeof startHttpServer>[0]['api'] {
  return {
    readiness: () => ({ ready: true, checks: [] }),
    statuses: () => [],
    status: () => undefined,
    sourceStates: () => [],
    requestReconcile: () => false,
    triggerGitSources: () => 0,
  };
}

export function dashboardRows(result: DashboardBenchResult): BenchRow[] {
  const rows: BenchRow[] = [
    {
      benchmark: 'dashboard',
      metric: '1-minute load average at the start (every time below follows it)',
      value: result.loadAverage1m,
      unit: '',
    },
    {
      benchmark: 'dashboard',
      metric: `build the view (${result.runtimes} runtimes)`,
      value: result.buildViewMs,
      unit: 'ms',
    },
    ...result.server.map((t) => ({
      benchmark: 'dashboard',
      metric: `GET ${t.path} (${Math.round(t.bytes / 1024)} KB)`,
      value: t.msMedian,
      unit: 'ms',
    })),
  ];
  if (Array.isArray(result.browser))
    for (const load of result.browser)
      rows.push({
        benchmark: 'dashboard',
        metric: `Chromium page load of ${load.path} (${result.runtimes} runtimes, load average ${result.loadAverage1m})`,
        value: load.loadMsMedian,
        unit: 'ms',
        target: `< ${PAGE_LOAD_TARGET_MS}`,
        pass: load.loadMsMedian < PAGE_LOAD_TARGET_MS,
      });
  else
    rows.push({
      benchmark: 'dashboard',
      metric: 'Chromium page load',
      value: result.browser.skipped,
      unit: '',
    });
  return rows;
}

export const benchmark: Benchmark = {
  name: 'dashboard',
  async run(): Promise<BenchOutcome> {
    const result = await runDashboardBench();
    return { name: result.name, result, rows: dashboardRows(result) };
  },
};

if (isMain(import.meta.url)) await runStandalone(benchmark);
