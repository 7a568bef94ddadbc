// Finding a benchmark module by name and turning it into a Benchmark. Modules are imported dynamically:
// one that is absent is skipped with a note. A module takes part by exporting `benchmark: Benchmark`
// (support/results.ts); a module without it but with exactly one `run…Bench()` function is run through
// that, with every number of its result as a table row.
import path from 'node:path';
import { clientOverheadRows } from '../sim-throughput.js';
import type { ClientOverheadResult } from '../client-overhead.js';
import type { Benchmark, BenchOutcome, BenchRow } from './results.js';

export interface Entry {
  /** bench/<name>.ts */
  name: string;
  /** Builds the benchmark from the loaded module; defaults to its `benchmark` export. */
  adapt?: (loaded: Record<string, unknown>) => Benchmark | undefined;
}

export const ENTRIES: Entry[] = [
  { name: 'plan' },
  { name: 'client-overhead', adapt: clientOverheadBenchmark },
  // run-all runs client-overhead on its own, so sim-throughput skips its copy.
  { name: 'sim-throughput', adapt: simThroughputWithoutClientOverhead },
  { name: 'latency' },
  { name: 'kube' },
  { name: 'dashboard' },
  { name: 'converge' },
  { name: 'growth' },
];

export async function loadBenchmark(entry: Entry): Promise<{ benchmark: Benchmark } | { note: string }> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(`../${entry.name}.js`)) as Record<string, unknown>;
  } catch (err) {
    if (isModuleMissing(err, entry.name)) return { note: `bench/${entry.name}.ts does not exist yet` };
    return { note: `could not be loaded: ${err instanceof Error ? err.message : String(err)}` };
  }
  const benchmark = entry.adapt
    ? entry.adapt(loaded)
    : (asBenchmark(loaded) ?? fromRunFunction(entry, loaded));
  if (benchmark) return { benchmark };
  return { note: 'exports neither `benchmark` nor a single run…Bench() function' };
}

/** The module itself is missing (not something it imports). */
function isModuleMissing(err: unknown, name: string): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  const file = `${path.sep}bench${path.sep}${name}.js`;
  return code === 'ERR_MODULE_NOT_FOUND' && err instanceof Error && err.message.includes(file);
}

function asBenchmark(loaded: Record<string, unknown>): Benchmark | undefined {
  const candidate = loaded['benchmark'] as Partial<Benchmark> | undefined;
  return typeof candidate?.run === 'function' ? (candidate as Benchmark) : undefined;
}

/** A module in client-overhead.ts's style: `export async function runXBench(): Promise<result>`. */
function fromRunFunction(entry: Entry, loaded: Record<string, unknown>): Benchmark | undefined {
  const runners = Object.entries(loaded).filter(
    ([name, value]) => /^run\w*Bench$/.test(name) && typeof value === 'function',
  );
  const runner = runners.length === 1 ? runners[0]?.[1] : undefined;
  if (typeof runner !== 'function') return undefined;
  return {
    name: entry.name,
    async run(): Promise<BenchOutcome> {
      const result = (await (runner as () => Promise<object>)()) ?? {};
      return { name: entry.name, result, rows: numericRows(entry.name, result) };
    },
  };
}

/** Every number in the result, nested ones under a dotted path (`memory.rssAfterMb`). */
function numericRows(benchmark: string, result: object, prefix = ''): BenchRow[] {
  return Object.entries(result).flatMap(([key, value]): BenchRow[] => {
    const metric = `${prefix}${key}`;
    if (typeof value === 'number') return [{ benchmark, metric, value, unit: '' }];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return numericRows(benchmark, value as object, `${metric}.`);
    }
    return [];
  });
}

function clientOverheadBenchmark(loaded: Record<string, unknown>): Benchmark | undefined {
  const run = loaded['runClientOverheadBench'];
  if (typeof run !== 'function') return undefined;
  return {
    name: 'client-overhead',
    async run(): Promise<BenchOutcome> {
      const result = (await (run as () => Promise<ClientOverheadResult>)()) as ClientOverheadResult;
      return { name: 'client-overhead', result, rows: clientOverheadRows(result) };
    },
  };
}

function simThroughputWithoutClientOverhead(loaded: Record<string, unknown>): Benchmark | undefined {
  const run = loaded['runSimThroughputBench'];
  const rowsOf = loaded['simThroughputRows'];
  if (typeof run !== 'function' || typeof rowsOf !== 'function') return asBenchmark(loaded);
  return {
    name: 'sim-throughput',
    async run(): Promise<BenchOutcome> {
      const result = (await (run as (o: object) => Promise<object>)({ clientOverhead: false })) as object;
      return { name: 'sim-throughput', result, rows: (rowsOf as (r: object) => BenchRow[])(result) };
    },
  };
}
