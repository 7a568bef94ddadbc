// Keep the campaign (issue 16, Deliver 6): the real CLI against the demo platform behind a recording
// chaos proxy — lost write answers, answers held then lost, 503s, resets, latency — and kill -9 of `apply`
// and `run` at random moments and just after the platform accepted a PROD write (the answer then lost).
// Every trial must end with zero duplicate writes, never more than maxConcurrentRestarts runtimes
// restarting at once, never a PROD restart before the TEST ones ended, and a converged platform.
//
// `npm test` runs one trial of each kind. `npm run chaos` runs the campaign (ATOMSYNC_CHAOS=campaign):
// more trials, seeded (ATOMSYNC_CHAOS_SEED), the figures written as JSON (bench/results/chaos.json) and
// summed up in docs/operations.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../e2e/support/build.js';
import { REPO_ROOT } from '../e2e/support/repo.js';
import {
  MAX_CONCURRENT_RESTARTS,
  runTrial,
  seededRandom,
  STORM,
  type TrialResult,
  type TrialSpec,
} from './support/trials.js';

const CAMPAIGN = process.env.ATOMSYNC_CHAOS === 'campaign';
const SEED = Number(process.env.ATOMSYNC_CHAOS_SEED ?? 16);
const OUT = process.env.ATOMSYNC_CHAOS_OUT ?? join(REPO_ROOT, 'bench', 'results', 'chaos.json');

/** Trials per kind: one each in `npm test`, more in the campaign. */
const PLAN: { spec: TrialSpec; trials: number }[] = [
  { spec: { kind: 'storm', faults: STORM }, trials: CAMPAIGN ? 8 : 1 },
  { spec: { kind: 'kill-apply', killAt: 'targeted' }, trials: CAMPAIGN ? 4 : 1 },
  { spec: { kind: 'kill-apply', killAt: 'random' }, trials: CAMPAIGN ? 12 : 1 },
  { spec: { kind: 'kill-apply', killAt: 'random', faults: STORM }, trials: CAMPAIGN ? 4 : 0 },
  { spec: { kind: 'kill-run', killAt: 'targeted' }, trials: CAMPAIGN ? 3 : 1 },
  { spec: { kind: 'kill-run', killAt: 'random' }, trials: CAMPAIGN ? 6 : 0 },
  { spec: { kind: 'failover-run', killAt: 'targeted' }, trials: CAMPAIGN ? 3 : 1 },
];

const random = seededRandom(SEED);
const results: TrialResult[] = [];
let baseline: TrialResult;

beforeAll(async () => {
  await ensureBuilt();
  baseline = await runTrial({ kind: 'baseline' }, random);
}, 180_000);

afterAll(async () => {
  if (!CAMPAIGN) return;
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, `${JSON.stringify(campaignReport(), null, 2)}\n`);
  console.info(`chaos: ${results.length} trials written to ${OUT}`);
});

function expectSafe(result: TrialResult): void {
  expect(result.duplicateWrites).toEqual([]);
  expect(result.mostRestartsAtOnce).toBeLessThanOrEqual(MAX_CONCURRENT_RESTARTS);
  expect(result.prodBeforeTest).toEqual([]);
  expect(result.converged).toBe(true);
}

describe('chaos: the fault-free baseline', () => {
  it('applies the demo pins once each, within the limits, and converges', () => {
    expectSafe(baseline);
    expect(baseline.exitCodes).toEqual([0]);
    expect(baseline.writes).toBeGreaterThan(3);
    expect(baseline.restarts).toBeGreaterThan(2);
  });
});

describe.each(PLAN.filter((entry) => entry.trials > 0))(
  'chaos: $spec.kind $spec.killAt',
  ({ spec, trials }) => {
    it(
      `${trials} trial(s): zero duplicate writes, never over the restart limit, never PROD before TEST, converged`,
      async () => {
        for (let trial = 0; trial < trials; trial += 1) {
          const result = await runTrial({ ...spec, randomKillWithinMs: baseline.ms }, random);
          results.push(result);
          expectSafe(result);
          if (spec.killAt === 'targeted') expect(result.killed).toBe(true);
          if (spec.faults)
            expect(Object.values(result.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        }
      },
      (CAMPAIGN ? 600 : 120) * 1000,
    );
  },
);

function campaignReport() {
  const total = (pick: (r: TrialResult) => number) => results.reduce((sum, r) => sum + pick(r), 0);
  const kinds = [...new Set(results.map((r) => `${r.kind}${r.killAt ? `/${r.killAt}` : ''}`))];
  return {
    seed: SEED,
    baselineMs: baseline.ms,
    baselineWrites: baseline.writes,
    trials: results.length,
    writes: total((r) => r.writes),
    duplicates: total((r) => r.duplicates),
    restartLimitBreaches: results.filter((r) => r.mostRestartsAtOnce > MAX_CONCURRENT_RESTARTS).length,
    prodBeforeTest: results.filter((r) => r.prodBeforeTest.length > 0).length,
    converged: results.filter((r) => r.converged).length,
    killed: results.filter((r) => r.killed).length,
    byKind: kinds.map((kind) => {
      const own = results.filter((r) => `${r.kind}${r.killAt ? `/${r.killAt}` : ''}` === kind);
      const ratios = own.map((r) => r.ms / baseline.ms).sort((a, b) => a - b);
      return {
        kind,
        trials: own.length,
        writes: own.reduce((sum, r) => sum + r.writes, 0),
        duplicates: own.reduce((sum, r) => sum + r.duplicates, 0),
        converged: own.filter((r) => r.converged).length,
        cliRuns: own.reduce((sum, r) => sum + r.cliRuns, 0),
        medianTimeRatio: Number((ratios[Math.floor(ratios.length / 2)] ?? 0).toFixed(2)),
        injected: own.reduce<Record<string, number>>((sum, r) => {
          for (const [mode, count] of Object.entries(r.injected)) sum[mode] = (sum[mode] ?? 0) + count;
          return sum;
        }, {}),
      };
    }),
    results,
  };
}
