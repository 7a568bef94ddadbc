// How cost grows with size, to show it is linear:
// 1. plan(desired, snapshot) CPU and memory at 1,000 / 10,000 / 100,000 (--quick: 1,000 / 10,000) runtimes × 20 pins
//    (the plan benchmark's fixture, 100 runtimes per account), sizes in ascending order in one process;
// 2. reading pins from git at 1,000 / 10,000 (--quick: 1,000 / 3,000) pin files, one per runtime, side by side in
//    one run: the PR report's read of base and head (readPinsAtRefs: two commits, the head changing one
//    file), the git source's first read of a fresh mirror (fetch + read), and loading the same files
//    from a folder as `plan --dir` does (loadPins).
// Each point records the 1-minute load average when it started.
// Run: npm run build && node dist/bench/growth.js [--quick]; the chart: node dist/bench/chart.js
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GitRepository } from '../controller/pr/git-repository.js';
import { readPinsAtRefs } from '../controller/pr/pr-report.js';
import { GitSource } from '../controller/sources/git-source.js';
import { loadPins } from '../controller/sources/load-pins.js';
import type { SourceSnapshot } from '../controller/sources/source.js';
import { loadAverage, median, megabytes, round } from './support/measure.js';
import { exposeGc, timePlans } from './plan.js';
import { git } from './support/git.js';
import { buildPlanFixture, PINS_PER_RUNTIME } from './support/plan-fixture.js';
import type { Benchmark, BenchOutcome, BenchRow } from './support/results.js';
import { isMain, runStandalone } from './support/results.js';

export const PR_TO_DIR_TARGET = 1.5;

export interface PlanPoint {
  runtimes: number;
  pins: number;
  cpuMs: number;
  wallMs: number;
  rssMb: number;
  heapUsedMb: number;
  cpuMsPer1000Runtimes: number;
  loadAverage1m: number;
}

export interface GitPoint {
  files: number;
  /** loadPins on a folder of the files (what `plan --dir` reads). */
  dirMs: number;
  /** readPinsAtRefs: base and head read from git objects (what `plan --base --head` reads). */
  prMs: number;
  prToDir: number;
  /** GitSource: fetch into a fresh bare mirror and read the pins of the commit. */
  gitSourceMs: number;
  pass: boolean;
  loadAverage1m: number;
}

export interface GrowthBenchResult {
  name: 'growth';
  date: string;
  node: string;
  loadAverage1m: number;
  full: boolean;
  plan: PlanPoint[];
  git: GitPoint[];
}

export async function runGrowthBench(full = false): Promise<GrowthBenchResult> {
  const loadAverage1m = loadAverage();
  const planSizes = full ? [1_000, 10_000, 100_000] : [1_000, 10_000];
  const fileSizes = full ? [1_000, 10_000] : [1_000, 3_000];
  const planPoints = planSizes.map(measurePlan);
  const git: GitPoint[] = [];
  for (const files of fileSizes) git.push(await measureGit(files));
  return {
    name: 'growth',
    date: new Date().toISOString(),
    node: process.version,
    loadAverage1m,
    full,
    plan: planPoints,
    git,
  };
}

// ---- plan -----------------------------------------------------------------------------------------

function measurePlan(runtimes: number): PlanPoint {
  const loadAverage1m = loadAverage();
  const gc = exposeGc();
  const fixture = buildPlanFixture(Math.ceil(runtimes / 100), 100);
  const { cpu, wall } = timePlans(fixture, 1, runtimes >= 100_000 ? 3 : 5);
  gc();
  const memory = process.memoryUsage();
  const cpuMs = median(cpu);
  return {
    runtimes: fixture.runtimes,
    pins: fixture.pins,
    cpuMs: round(cpuMs, 1),
    wallMs: round(median(wall), 1),
    rssMb: megabytes(memory.rss),
    heapUsedMb: megabytes(memory.heapUsed),
    cpuMsPer1000Runtimes: round((cpuMs / fixture.runtimes) * 1000, 2),
    loadAverage1m,
  };
}

// ---- git ------------------------------------------------------------------------------------------

async function measureGit(files: number): Promise<GitPoint> {
  const loadAverage1m = loadAverage();
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-bench-growth-'));
  try {
    const work = join(dir, 'work');
    await git(dir, 'init', '-q', '--initial-branch=main', work);
    await writePins(work, files, '26.11.0');
    await commit(work, 'base');
    await writeFile(join(work, 'pins', fileName(0)), pinYaml(0, '26.12.0'));
    await commit(work, 'head');

    let started = performance.now();
    const fromDir = await loadPins(join(work, 'pins'));
    const dirMs = performance.now() - started;
    if (fromDir.desired.length !== files) throw new Error(`loadPins read ${fromDir.desired.length} pins`);

    started = performance.now();
    const repository = await GitRepository.open(work);
    const atRefs = await readPinsAtRefs(repository, { base: 'HEAD~1', head: 'HEAD' }, ['pins']);
    const prMs = performance.now() - started;
    if (atRefs.headDesired.length !== files) throw new Error(`the PR read ${atRefs.headDesired.length} pins`);

    const gitSourceMs = await timeGitSource(work, join(dir, 'state'), files);
    const prToDir = round(prMs / dirMs, 2);
    return {
      files,
      dirMs: round(dirMs, 0),
      prMs: round(prMs, 0),
      prToDir,
      gitSourceMs: round(gitSourceMs, 0),
      pass: prToDir <= PR_TO_DIR_TARGET,
      loadAverage1m,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function timeGitSource(work: string, stateDir: string, files: number): Promise<number> {
  let snapshot: SourceSnapshot | undefined;
  const source = new GitSource({ url: `file://${work}`, branch: 'main', path: 'pins', stateDir });
  const started = performance.now();
  await source.start((next) => (snapshot = next));
  const elapsed = performance.now() - started;
  await source.stop();
  if (snapshot?.desired.length !== files)
    throw new Error(`the git source read ${snapshot?.desired.length} pins`);
  return elapsed;
}

function fileName(index: number): string {
  return `rt-${String(index).padStart(5, '0')}.yaml`;
}

function pinYaml(index: number, version: string): string {
  const name = `rt-${String(index).padStart(5, '0')}`;
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    `metadata: { name: ${name}, namespace: bench }`,
    'spec:',
    `  account: bench-account-${String(Math.floor(index / 100)).padStart(4, '0')}`,
    `  runtime: { name: Atom ${String(index).padStart(5, '0')} }`,
    `  version: ${version}`,
    '  connectors:',
    '    - { name: HTTP Client, channel: released }',
    '    - { name: Database, channel: released }',
    '',
  ].join('\n');
}

async function writePins(work: string, files: number, version: string): Promise<void> {
  await mkdir(join(work, 'pins'), { recursive: true });
  for (let start = 0; start < files; start += 200) {
    const batch = Array.from({ length: Math.min(200, files - start) }, (_, i) => start + i);
    await Promise.all(batch.map((i) => writeFile(join(work, 'pins', fileName(i)), pinYaml(i, version))));
  }
}

async function commit(work: string, message: string): Promise<void> {
  await git(work, 'add', '-A');
  await git(work, 'commit', '-q', '-m', message);
}

// ---- rows -----------------------------------------------------------------------------------------

export function growthRows(result: GrowthBenchResult): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const point of result.plan) {
    const label = `${point.runtimes} runtimes x ${PINS_PER_RUNTIME} pins`;
    rows.push({ benchmark: 'growth', metric: `plan CPU, ${label}`, value: point.cpuMs, unit: 'ms' });
    rows.push({ benchmark: 'growth', metric: `plan RSS, ${label}`, value: point.rssMb, unit: 'MB' });
  }
  for (const point of result.git) {
    rows.push({
      benchmark: 'growth',
      metric: `pins from a folder, ${point.files} files`,
      value: point.dirMs,
      unit: 'ms',
    });
    rows.push({
      benchmark: 'growth',
      metric: `PR report pins (base + head), ${point.files} files: ${point.prMs} ms`,
      value: `${point.prToDir}x`,
      unit: 'of folder',
      target: `<= ${PR_TO_DIR_TARGET}x`,
      pass: point.pass,
    });
    rows.push({
      benchmark: 'growth',
      metric: `git source first read (fetch + read), ${point.files} files`,
      value: point.gitSourceMs,
      unit: 'ms',
    });
  }
  return rows;
}

export const benchmark: Benchmark = {
  name: 'growth',
  async run(): Promise<BenchOutcome> {
    const result = await runGrowthBench(!process.argv.includes('--quick'));
    return { name: result.name, result, rows: growthRows(result) };
  },
};

if (isMain(import.meta.url)) await runStandalone(benchmark);
