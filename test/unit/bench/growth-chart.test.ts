// Smoke test of the bench's chart code (not a benchmark): the growth JSON renders to an SVG with one
// point per figure, through vega-lite and vega, without a canvas.
import { describe, expect, it } from 'vitest';
import { growthPoints, renderGrowthSvg } from '../../../bench/chart.js';
import type { GrowthBenchResult } from '../../../bench/growth.js';

const result: GrowthBenchResult = {
  name: 'growth',
  date: '2026-12-04T16:00:00.000Z',
  node: 'v20',
  loadAverage1m: 0.5,
  full: false,
  plan: [
    {
      runtimes: 1000,
      pins: 20000,
      cpuMs: 20,
      wallMs: 21,
      rssMb: 100,
      heapUsedMb: 10,
      cpuMsPer1000Runtimes: 20,
      loadAverage1m: 0.5,
    },
    {
      runtimes: 10000,
      pins: 200000,
      cpuMs: 200,
      wallMs: 210,
      rssMb: 300,
      heapUsedMb: 90,
      cpuMsPer1000Runtimes: 20,
      loadAverage1m: 0.5,
    },
  ],
  git: [
    { files: 1000, dirMs: 300, prMs: 350, prToDir: 1.17, gitSourceMs: 400, pass: true, loadAverage1m: 0.5 },
    { files: 3000, dirMs: 900, prMs: 1000, prToDir: 1.11, gitSourceMs: 1100, pass: true, loadAverage1m: 0.6 },
  ],
};

describe('growth chart', () => {
  it('renders every figure of the growth JSON as a point of an SVG', async () => {
    expect(growthPoints(result)).toHaveLength(4 + 6);
    const svg = await renderGrowthSvg(result);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('plan CPU (ms)');
    expect(svg).toContain('PR report pins, base + head (ms)');
    expect(svg.match(/mark-line role-mark/g)).toHaveLength(5); // one line per series
  });
});
