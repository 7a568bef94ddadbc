// Writes issue 14's figures table in docs/benchmarks.md from the benchmarks' JSON (bench/results/
// converge.json, growth.json, latency.json, as `npm run bench` leaves them), between the markers
// `<!-- scale-figures:start -->` and `<!-- scale-figures:end -->`. Every row carries the 1-minute load
// average recorded when that figure's measurement started, so a figure taken on a busy machine says so.
// Run after a bench run: npm run bench:docs   (= npm run build --silent && node dist/bench/docs-table.js)
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { ConvergeBenchResult } from './converge.js';
import { CALLS_TARGET_RATIO, PARALLEL_TARGET_RATIO } from './converge.js';
import type { GrowthBenchResult } from './growth.js';
import { PR_TO_DIR_TARGET } from './growth.js';
import type { LatencyBenchResult } from './latency.js';
import { isMain, resultsDir } from './support/results.js';

const START = '<!-- scale-figures:start -->';
const END = '<!-- scale-figures:end -->';
/** Cost per unit at the largest size within this factor of the smallest size's: linear growth. */
export const LINEAR_TARGET = 1.5;
const FIRST_RECONCILE_WRITES_TARGET_MS = 1000;

interface Row {
  figure: string;
  measured: string;
  target: string;
  result: string;
  load: number | undefined;
}

export interface ScaleResults {
  converge?: ConvergeBenchResult;
  growth?: GrowthBenchResult;
  latency?: LatencyBenchResult;
}

export function scaleRows(results: ScaleResults): Row[] {
  return [...convergeRows(results.converge), ...growthRows(results.growth), ...latencyRows(results.latency)];
}

function convergeRows(result: ConvergeBenchResult | undefined): Row[] {
  if (!Array.isArray(result?.runs)) return [missing('converge')];
  return (result as ConvergeBenchResult).runs.flatMap((run) => {
    const size = `${run.accounts} × ${run.runtimesPerAccount}`;
    const converged = run.converged === run.of;
    const rows: Row[] = [
      {
        figure: `converge ${size}: calls until the requests are complete vs lower bound (${run.rateLimited} answered 503; ${run.passesPerAtomVersion} passes per AtomVersion)`,
        measured: `${run.callsUntilRequestsComplete ?? run.calls} / ${run.lowerBound} = ${run.ratioToLowerBound}×${converged ? '' : ` (${run.converged}/${run.of} converged)`}`,
        target: `≤ ${CALLS_TARGET_RATIO}×, all converge`,
        result: verdict(converged && run.ratioToLowerBound <= CALLS_TARGET_RATIO),
        load: run.loadAverage1m,
      },
    ];
    if (run.allCallsRatio !== undefined)
      rows.push({
        figure: `converge ${size}: calls until the last Ready (with the observation that confirms the new versions)`,
        measured: `${run.calls} / ${run.lowerBound} = ${run.allCallsRatio}×`,
        target: '',
        result: '',
        load: run.loadAverage1m,
      });
    const alone = (result as ConvergeBenchResult).runs.find(
      (other) => other.accounts === 1 && other.runtimesPerAccount === run.runtimesPerAccount,
    );
    rows.push({
      figure: `converge ${size}: time to the last Ready (platform limit alone: ${run.secondsAtPlatformLimit} s)`,
      measured: seconds(run.wallMs),
      target: '',
      result: '',
      load: run.loadAverage1m,
    });
    if (run.accounts > 1 && run.slowestAccountMs !== undefined)
      rows.push({
        figure: `converge ${size}: accounts in parallel: that time vs the slowest account's own (its first call to its last Ready)`,
        measured: `${seconds(run.wallMs)} vs ${seconds(run.slowestAccountMs)} = ${run.parallelRatio}×`,
        target: `≤ ${PARALLEL_TARGET_RATIO}×`,
        result: verdict(converged && run.parallelRatio <= PARALLEL_TARGET_RATIO),
        load: run.loadAverage1m,
      });
    if (run.accounts > 1 && alone) {
      const ratio = Math.round((run.wallMs / alone.wallMs) * 100) / 100;
      rows.push({
        figure: `converge ${size}: that time vs one account of ${run.runtimesPerAccount} alone (adds sharing this machine's 2 cores)`,
        measured: `${seconds(run.wallMs)} vs ${seconds(alone.wallMs)} = ${ratio}×`,
        target: '',
        result: '',
        load: run.loadAverage1m,
      });
    }
    if (run.controllerCpuMs !== undefined)
      rows.push({
        figure: `converge ${size}: CPU of the controller (its event loop busy) and of the platform's own process`,
        measured: `${seconds(run.controllerCpuMs)} (${run.eventLoopUtilization}); ${seconds(run.platformCpuMs)}`,
        target: '',
        result: '',
        load: run.loadAverage1m,
      });
    return rows;
  });
}

function growthRows(result: GrowthBenchResult | undefined): Row[] {
  if (!result || !Array.isArray(result.plan) || !Array.isArray(result.git)) return [missing('growth')];
  const rows: Row[] = [];
  const smallest = result.plan[0];
  for (const point of result.plan) {
    const growth = smallest ? point.cpuMsPer1000Runtimes / smallest.cpuMsPer1000Runtimes : 1;
    rows.push({
      figure: `plan CPU, ${thousands(point.runtimes)} runtimes × 20 pins (per 1,000 runtimes: ${point.cpuMsPer1000Runtimes} ms)`,
      measured: `${thousands(Math.round(point.cpuMs))} ms`,
      target: point === smallest ? 'linear' : `per 1,000 ≤ ${LINEAR_TARGET}× the smallest's`,
      result: point === smallest ? '' : verdict(growth <= LINEAR_TARGET),
      load: point.loadAverage1m ?? result.loadAverage1m,
    });
    rows.push({
      figure: `plan RSS after, ${thousands(point.runtimes)} runtimes (input and plan retained)`,
      measured: `${thousands(Math.round(point.rssMb))} MB`,
      target: '',
      result: '',
      load: point.loadAverage1m ?? result.loadAverage1m,
    });
  }
  for (const point of result.git) {
    rows.push({
      figure: `PR report pins (base + head) vs the same files from a folder (\`plan --dir\`), ${thousands(point.files)} files`,
      measured: `${thousands(point.prMs)} vs ${thousands(point.dirMs)} ms = ${point.prToDir}×`,
      target: `≤ ${PR_TO_DIR_TARGET}×`,
      result: verdict(point.prToDir <= PR_TO_DIR_TARGET),
      load: point.loadAverage1m ?? result.loadAverage1m,
    });
    rows.push({
      figure: `git source first read (fetch into a fresh mirror + read), ${thousands(point.files)} files`,
      measured: `${thousands(point.gitSourceMs)} ms`,
      target: '',
      result: '',
      load: point.loadAverage1m ?? result.loadAverage1m,
    });
  }
  return rows;
}

function latencyRows(result: LatencyBenchResult | undefined): Row[] {
  if (result?.memory?.stateWritesMs === undefined) return [missing('latency')];
  const memory = (result as LatencyBenchResult).memory;
  return [
    {
      figure: `first reconcile of ${thousands(memory.atomVersions)} AtomVersions, start to idle (planning, simulator in-process)`,
      measured: `${thousands(Math.round(memory.firstReconcileMs))} ms`,
      target: '',
      result: '',
      load: memory.loadAverage1m,
    },
    {
      figure: `… its state writes on their own (${thousands(memory.atomVersions)} statuses, ${memory.stateWriteBatches} appends, fsync'd)`,
      measured: `${thousands(Math.round(memory.stateWritesMs))} ms`,
      target: `≤ ${thousands(FIRST_RECONCILE_WRITES_TARGET_MS)} ms`,
      result: verdict(memory.stateWritesMs <= FIRST_RECONCILE_WRITES_TARGET_MS),
      load: memory.loadAverage1m,
    },
  ];
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['Figure', 'Measured', 'Target', 'Result', 'Load avg (1 min)'];
  const lines = rows.map((row) => [
    row.figure,
    row.measured,
    row.target,
    row.result,
    row.load === undefined ? '' : String(row.load),
  ]);
  const cells = [header, header.map(() => '---'), ...lines];
  return cells
    .map((cells) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`)
    .join('\n');
}

/** Replaces what is between the markers; refuses a document without them. */
export function replaceSection(document: string, table: string, source: string): string {
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/benchmarks.md has no ${START} … ${END} section to write the table into`);
  const body = `${START}\n\n${source}\n\n${table}\n\n`;
  return document.slice(0, start) + body + document.slice(end);
}

async function readResult<T>(name: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path.join(resultsDir(), `${name}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function missing(name: string): Row {
  return {
    figure: `${name}: no bench/results/${name}.json of this version (run \`npm run bench\`)`,
    measured: '—',
    target: '',
    result: '',
    load: undefined,
  };
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

/** Writes the table into docs/benchmarks.md from the JSON in bench/results/. */
export async function writeScaleTable(): Promise<void> {
  const results: ScaleResults = {};
  const converge = await readResult<ConvergeBenchResult>('converge');
  const growth = await readResult<GrowthBenchResult>('growth');
  const latency = await readResult<LatencyBenchResult>('latency');
  if (converge) results.converge = converge;
  if (growth) results.growth = growth;
  if (latency) results.latency = latency;
  const dates = [converge?.date, growth?.date].filter((date): date is string => date !== undefined);
  const source = `Generated by \`npm run bench:docs\` from \`bench/results/\` (converge, growth, latency) of the run started ${dates.sort()[0] ?? 'never'}; do not edit by hand.`;
  const docs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'benchmarks.md');
  const table = renderTable(scaleRows(results));
  const text = replaceSection(await readFile(docs, 'utf8'), table, source);
  // Aligned as the repository's prettier check wants it (npm run lint).
  const options = (await prettier.resolveConfig(docs)) ?? {};
  await writeFile(docs, await prettier.format(text, { ...options, filepath: docs }));
  console.log(`written: ${path.relative(process.cwd(), docs)}`);
}

if (isMain(import.meta.url)) await writeScaleTable();
