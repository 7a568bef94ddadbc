import os from 'node:os';

// Small statistics and rounding helpers shared by the benchmarks.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100); 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function megabytes(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}

/** The 1-minute load average: other work on the machine skews every figure, so results record it. */
export function loadAverage(): number {
  return round(os.loadavg()[0] ?? 0, 2);
}
