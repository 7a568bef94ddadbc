// The trials of the chaos campaign (issue 16): each starts a fresh demo world behind the chaos proxy,
// runs the real CLI through faults and kill -9s, and judges the outcome from the platform's side.
//   baseline          — one fault-free `apply --yes --wait` (the time the others are compared with);
//   storm             — `apply --yes --wait` with 503s, resets, latency and lost write answers;
//   kill-apply        — `apply` killed with SIGKILL at a random moment, or (targeted) just after the
//                       platform accepted its first PROD write, whose answer is then lost; rerun;
//   kill-run          — the same for `run`, rerun on the same state folder;
//   failover-run      — `run` killed at the targeted point, a second `run` on its own state folder.
// Reruns go on (at most 3) until the platform has converged.
import {
  ChaosWorld,
  mostAtOnce,
  prodBeforeTest,
  MAX_CONCURRENT_RESTARTS,
  type RunningCli,
} from './chaos-world.js';
import { duplicateWrites, type ChaosFaults } from './chaos-proxy.js';

export type TrialKind = 'baseline' | 'storm' | 'kill-apply' | 'kill-run' | 'failover-run';
export type KillPoint = 'random' | 'targeted';

export interface TrialSpec {
  kind: TrialKind;
  /** For the kill trials. */
  killAt?: KillPoint;
  /** Faults for every CLI run of the trial (none by default). */
  faults?: ChaosFaults;
  /** Upper bound of a random kill's moment; about one fault-free apply. */
  randomKillWithinMs?: number;
}

export interface TrialResult {
  kind: TrialKind;
  killAt?: KillPoint;
  /** Wall time from the first CLI start until the platform converged. */
  ms: number;
  cliRuns: number;
  killed: boolean;
  /** Writes that reached the platform, and how many of them repeated an earlier one. */
  writes: number;
  duplicates: number;
  duplicateWrites: string[];
  mostRestartsAtOnce: number;
  prodBeforeTest: string[];
  restarts: number;
  converged: boolean;
  injected: Record<string, number>;
  exitCodes: (number | null)[];
}

export const STORM: ChaosFaults = {
  error503: 0.3,
  reset: 0.05,
  latencyMs: 15,
  dropWrites: 0.35,
  holdThenDropWrites: 0.15,
  holdMs: 400,
};

const CONVERGE_TIMEOUT_MS = 90_000;
const MAX_RERUNS = 3;

export async function runTrial(spec: TrialSpec, random: () => number): Promise<TrialResult> {
  const world = await ChaosWorld.start(random);
  try {
    return await trialIn(world, spec, random);
  } finally {
    await world.close();
  }
}

async function trialIn(world: ChaosWorld, spec: TrialSpec, random: () => number): Promise<TrialResult> {
  const prodIds = await world.prodRuntimeIds();
  world.proxy.faults = spec.faults ?? {};
  world.startClock();
  const started = Date.now();
  const exitCodes: (number | null)[] = [];
  let killed = false;
  const isRun = spec.kind === 'kill-run' || spec.kind === 'failover-run';
  const start = (stateDir?: string) => (isRun ? world.run(stateDir) : world.apply(stateDir));

  let current: RunningCli = await start();
  if (spec.killAt === 'targeted') {
    world.proxy.onWrite = async (write) => {
      if (killed || !write.body.includes('"atomId"')) return 'pass';
      const atomId = (JSON.parse(write.body) as { atomId?: string }).atomId ?? '';
      if (!prodIds.has(atomId)) return 'pass';
      killed = true;
      current.kill();
      await current.done;
      return 'drop';
    };
  } else if (spec.killAt === 'random') {
    const at = random() * (spec.randomKillWithinMs ?? 4_000);
    const victim = current;
    setTimeout(() => {
      if (victim.child.exitCode === null && victim.child.signalCode === null) {
        killed = true;
        victim.kill();
      }
    }, at);
  }

  let converged = false;
  if (isRun) {
    if (spec.killAt !== undefined) {
      await waitFor(() => killed, CONVERGE_TIMEOUT_MS);
      exitCodes.push((await current.done).code);
      current = await start(spec.kind === 'failover-run' ? 'replica-b' : undefined);
    }
    converged = await waitFor(() => world.converged(), CONVERGE_TIMEOUT_MS);
    current.kill();
    exitCodes.push((await current.done).code);
  } else {
    exitCodes.push((await current.done).code);
    for (let rerun = 0; rerun <= MAX_RERUNS; rerun += 1) {
      converged = await world.converged();
      if (converged || rerun === MAX_RERUNS) break;
      current = await start();
      exitCodes.push((await current.done).code);
    }
  }
  const ms = Date.now() - started;
  world.stopClock();
  const restarts = await world.restarts();
  const duplicates = duplicateWrites(world.proxy.writes);
  return {
    kind: spec.kind,
    ...(spec.killAt && { killAt: spec.killAt }),
    ms,
    cliRuns: exitCodes.length,
    killed,
    writes: world.proxy.writes.length,
    duplicates: duplicates.length,
    duplicateWrites: duplicates.map((write) => `${write.method} ${write.path} ${write.body}`),
    mostRestartsAtOnce: mostAtOnce(restarts),
    prodBeforeTest: prodBeforeTest(restarts).map((restart) => restart.runtime),
    restarts: restarts.length,
    converged,
    injected: { ...world.proxy.injected },
    exitCodes,
  };
}

/** True when the condition held before the timeout. */
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** A small seeded generator (mulberry32): the same seed gives the same faults and kill moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export { MAX_CONCURRENT_RESTARTS };
