// Renders docs/benchmarks-growth.svg from bench/results/growth.json with vega-lite (compiled to a vega
// spec, rendered headless to SVG: pure JS, no canvas). Both axes are logarithmic, so linear growth is a
// straight line of slope 1 (ten times the size, ten times the cost).
// Run: npm run build && node dist/bench/chart.js   (npm run bench renders it after the benchmarks)
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { GrowthBenchResult } from './growth.js';
import { isMain, resultsDir } from './support/results.js';

interface Point {
  series: string;
  size: number;
  value: number;
}

export function growthPoints(result: GrowthBenchResult): Point[] {
  const points: Point[] = [];
  for (const p of result.plan) {
    points.push({ series: 'plan CPU (ms)', size: p.runtimes, value: p.cpuMs });
    points.push({ series: 'plan RSS (MB)', size: p.runtimes, value: p.rssMb });
  }
  for (const g of result.git) {
    points.push({ series: 'pins from a folder (ms)', size: g.files, value: g.dirMs });
    points.push({ series: 'PR report pins, base + head (ms)', size: g.files, value: g.prMs });
    points.push({ series: 'git source first read (ms)', size: g.files, value: g.gitSourceMs });
  }
  return points;
}

export async function renderGrowthSvg(result: GrowthBenchResult): Promise<string> {
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `atomsync growth (${result.date.slice(0, 10)}, load average ${result.loadAverage1m})`,
    data: { values: growthPoints(result) },
    facet: { column: { field: 'kind', title: null } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'size', type: 'quantitative', scale: { type: 'log' }, title: 'runtimes / pin files' },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'ms or MB (log)' },
        color: { field: 'series', type: 'nominal', legend: { orient: 'bottom', columns: 2 } },
      },
    },
    transform: [
      {
        calculate: "indexof(datum.series, 'plan') === 0 ? 'plan' : 'reading pins'",
        as: 'kind',
      },
    ],
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export async function writeGrowthChart(): Promise<string> {
  const file = path.join(resultsDir(), 'growth.json');
  const result = JSON.parse(await readFile(file, 'utf8')) as GrowthBenchResult;
  const out = path.join(resultsDir(), '..', '..', 'docs', 'benchmarks-growth.svg');
  await writeFile(out, await renderGrowthSvg(result));
  return out;
}

if (isMain(import.meta.url))
  console.log(`written: ${path.relative(process.cwd(), await writeGrowthChart())}`);
