// Where benchmark figures go: printed as one JSON line, written to bench/results/<name>.json (git-ignored)
// and shown as a table.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

/** One line of a benchmark's human table. */
export interface BenchRow {
  benchmark: string;
  metric: string;
  value: number | string;
  unit: string;
  /** e.g. `>= 2000`; absent when the figure has no target. */
  target?: string;
  /** Set when the figure has a target. */
  pass?: boolean;
}

/** What every benchmark module hands to run-all: its figures (JSON) and its table rows. */
export interface BenchOutcome {
  name: string;
  result: object;
  rows: BenchRow[];
}

/** The contract run-all expects from a benchmark module: `export const benchmark: Benchmark`. */
export interface Benchmark {
  name: string;
  run(): Promise<BenchOutcome>;
}

/** bench/results/ of the repository, whether running from bench/ or dist/bench/. */
export function resultsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repoRoot = here.includes(`${path.sep}dist${path.sep}`)
    ? path.resolve(here, '..', '..', '..')
    : path.resolve(here, '..', '..');
  return path.join(repoRoot, 'bench', 'results');
}

export async function writeResult(name: string, data: object): Promise<string> {
  const dir = resultsDir();
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

export function printTable(rows: readonly BenchRow[]): void {
  const header = ['benchmark', 'metric', 'value', 'unit', 'target', 'pass'];
  const lines = rows.map((row) => [
    row.benchmark,
    row.metric,
    String(row.value),
    row.unit,
    row.target ?? '',
    row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(format(header));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const line of lines) console.log(format(line));
}

/** Prints the JSON line and the table, and writes bench/results/<name>.json. */
async function report(outcome: BenchOutcome): Promise<void> {
  console.log(JSON.stringify(outcome.result));
  printTable(outcome.rows);
  const file = await writeResult(outcome.name, outcome.result);
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
}

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(path.resolve(script)).href;
}

/** Runs one benchmark as a script: prints and writes its figures; exit code 1 when it throws. */
export async function runStandalone(benchmark: Benchmark): Promise<void> {
  try {
    await report(await benchmark.run());
  } catch (err) {
    console.error(`benchmark ${benchmark.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
