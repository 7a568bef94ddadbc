// Child process of run-all: runs one benchmark in a fresh process (clean heap and RSS, no JIT or GC state
// from the others) and writes what happened as JSON to the file run-all named.
// Usage: node dist/bench/support/run-one.js <name> <out-file>
import { writeFile } from 'node:fs/promises';
import { ENTRIES, loadBenchmark } from './bench-loader.js';
import type { BenchOutcome } from './results.js';

export type OneResult =
  | { status: 'ok'; outcome: BenchOutcome }
  | { status: 'skipped'; note: string }
  | { status: 'failed'; note: string };

async function runOne(name: string): Promise<OneResult> {
  const entry = ENTRIES.find((candidate) => candidate.name === name);
  if (!entry) return { status: 'failed', note: `no benchmark named "${name}"` };
  const loaded = await loadBenchmark(entry);
  if ('note' in loaded) return { status: 'skipped', note: loaded.note };
  try {
    return { status: 'ok', outcome: await loaded.benchmark.run() };
  } catch (err) {
    return { status: 'failed', note: err instanceof Error ? err.message : String(err) };
  }
}

const [name, outFile] = process.argv.slice(2);
if (name === undefined || outFile === undefined) {
  console.error('usage: node dist/bench/support/run-one.js <name> <out-file>');
  process.exitCode = 2;
} else {
  await writeFile(outFile, JSON.stringify(await runOne(name)));
  // Benchmarks may leave timers or sockets behind (a kubectl, a keep-alive agent): do not wait for them.
  process.exit(0);
}
