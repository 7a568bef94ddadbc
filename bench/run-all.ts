// Runs every benchmark that exists (support/bench-loader.ts: plan, client-overhead, sim-throughput, and
// latency and kube once they exist), each in its own child process so memory figures and JIT/GC state
// are its own, one after the other. Prints one combined JSON line and a table, and writes
// bench/results/all.json plus each benchmark's <name>.json. Absent modules are skipped with a note.
// Run: npm run bench   (= npm run build --silent && node dist/bench/run-all.js)
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGrowthChart } from './chart.js';
import { writeScaleTable } from './docs-table.js';
import { ENTRIES } from './support/bench-loader.js';
import { loadAverage } from './support/measure.js';
import type { BenchRow } from './support/results.js';
import { printTable, writeResult } from './support/results.js';
import type { OneResult } from './support/run-one.js';

/** A benchmark that has not finished by then is stopped and reported as failed. */
const BENCH_TIMEOUT_MS = 10 * 60 * 1000;
/** `--quick` leaves out the large sizes (100,000 runtimes, 10,000 files, 100 x 100 convergence). */
const FLAGS = process.argv.slice(2).filter((flag) => flag === '--quick');
const FULL = FLAGS.length === 0;
const RUN_ONE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'run-one.js');

interface Note {
  name: string;
  note: string;
}

export interface AllResult {
  name: 'all';
  date: string;
  node: string;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryMb: number;
    platform: string;
    /** At the start; other work on the machine skews every figure. */
    loadAverage1m: number;
  };
  results: Record<string, object>;
  skipped: Note[];
  failed: Note[];
}

async function runAll(): Promise<{ result: AllResult; rows: BenchRow[] }> {
  const result: AllResult = {
    name: 'all',
    date: new Date().toISOString(),
    node: process.version,
    machine: machine(),
    results: {},
    skipped: [],
    failed: [],
  };
  const rows: BenchRow[] = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atomsync-bench-all-'));
  try {
    for (const { name } of ENTRIES) {
      const one = await runInChild(name, path.join(dir, `${name}.json`));
      if (one.status === 'skipped') result.skipped.push({ name, note: one.note });
      else if (one.status === 'failed') result.failed.push({ name, note: one.note });
      else {
        result.results[one.outcome.name] = one.outcome.result;
        rows.push(...one.outcome.rows);
        await writeResult(one.outcome.name, one.outcome.result);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { result, rows };
}

/** The child's own output goes to stderr, so stdout carries only the combined JSON and the table. */
async function runInChild(name: string, outFile: string): Promise<OneResult> {
  console.error(`running ${name}…`);
  const child = spawn(process.execPath, [RUN_ONE, name, outFile, ...FLAGS], { stdio: ['ignore', 2, 2] });
  const timer = setTimeout(() => child.kill('SIGKILL'), FULL ? 3 * BENCH_TIMEOUT_MS : BENCH_TIMEOUT_MS);
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  clearTimeout(timer);
  try {
    return JSON.parse(await readFile(outFile, 'utf8')) as OneResult;
  } catch {
    const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
    return { status: 'failed', note: `the benchmark process ${how} before reporting` };
  }
}

function machine(): AllResult['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / (1024 * 1024)),
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: loadAverage(),
  };
}

const { result, rows } = await runAll();
console.log(JSON.stringify(result));
printTable(rows);
for (const skipped of result.skipped) console.log(`skipped ${skipped.name}: ${skipped.note}`);
for (const failed of result.failed) console.log(`FAILED ${failed.name}: ${failed.note}`);
await writeResult('all', result);
console.log('\nwritten: bench/results/all.json');
if (result.results['growth'])
  console.log(`written: ${path.relative(process.cwd(), await writeGrowthChart())}`);
if (result.results['converge'] || result.results['growth'] || result.results['latency'])
  await writeScaleTable();
if (result.failed.length > 0) process.exitCode = 1;
