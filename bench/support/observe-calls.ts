// API calls of a full observe: observeAndPlan (observe → plan → environments of changing runtimes → plan)
// against the simulator with N runtimes in one account, all pinned (runtime, 3 connectors, 2 packs),
// counted with a RequestCounter. Set beside the lower bound of the observe protocol (docs/benchmarks.md)
// and a naive observe that GETs every object of every runtime one by one.
import type { DesiredAtomVersion, Plan, Policy } from '../../controller/domain/types.js';
import { AtomSphereClient, readPrincipal, RequestCounter } from '../../controller/platform/index.js';
import type { AccountTarget } from '../../controller/platform/observe.js';
import type { RequestStats } from '../../controller/platform/index.js';
import { observeAndPlan } from '../../controller/pipeline/observe-and-plan.js';
import { startSimulator } from '../../simulator/start.js';
import type { RunningSimulator } from '../../simulator/start.js';
import { LARGE, largeScenario, runtimeId, runtimeName, writeScenarioFile } from './large-scenario.js';
import { round } from './measure.js';

export const OBSERVE_TARGET_RATIO = 1.1;
/** The platform's default rate limit (R16): what the call counts cost in time on a real account. */
const PLATFORM_REQUESTS_PER_SECOND = 10;
const PAGE = 100;
const NAIVE_CONCURRENCY = 8;

export interface ObserveCase {
  case: string;
  description: string;
  runtimesChanging: number;
  calls: number;
  callsByObject: Record<string, number>;
  lowerBound: number;
  ratioToLowerBound: number;
  /**
   * The lower bound plus the environment reads a plan with changes needs (restart waves, reattach):
   * ceil(C/100) EnvironmentAtomAttachment query pages for C changing runtimes + 1 Environment query.
   */
  lowerBoundWithEnvironments: number;
  ratioToLowerBoundWithEnvironments: number;
  /** How the calls compare with the naive observe (naive / these). */
  naiveToThese: number;
  secondsAtPlatformRate: number;
  wallMs: number;
  plan: { pins: number; inSync: number; toChange: number; blocked: number; requests: number };
  target: string;
  pass: boolean;
}

export interface ObserveCallsResult {
  runtimes: number;
  pinnedRuntimes: number;
  pinsPerRuntime: number;
  lowerBoundFormula: string;
  lowerBound: number;
  naive: {
    description: string;
    calls: number;
    callsByObject: Record<string, number>;
    ratioToLowerBound: number;
    secondsAtPlatformRate: number;
    wallMs: number;
  };
  cases: ObserveCase[];
}

export async function measureObserveCalls(runtimes = 1000): Promise<ObserveCallsResult> {
  const scenario = await writeScenarioFile(largeScenario(runtimes));
  let simulator: RunningSimulator | undefined;
  try {
    simulator = await startSimulator({
      scenarioFile: scenario.file,
      listen: '127.0.0.1:0',
      clock: 'manual',
      rateLimitPerSecond: 0,
    });
    const counter = new RequestCounter();
    const client = new AtomSphereClient({
      baseUrl: simulator.url,
      accountId: LARGE.accountId,
      username: `BOOMI_TOKEN.${LARGE.admin.userId}`,
      token: LARGE.admin.token,
      requestsPerSecond: 0,
      counter,
    });
    const now = simulator.model.now();
    const lowerBound = 3 * Math.ceil(runtimes / PAGE) + 2;
    const naive = await measureNaive(client, counter, runtimes, lowerBound);
    const cases: ObserveCase[] = [];
    for (const changing of [0, Math.ceil(runtimes / 10), runtimes]) {
      const desired = pinsFor(runtimes, changing);
      counter.reset();
      const started = performance.now();
      const { plan } = await observeAndPlan([target(client)], desired, {
        now,
        maxConcurrentRestarts: 2,
        defaultWindows: [],
      });
      const wallMs = performance.now() - started;
      requireChanges(plan, changing);
      cases.push(observeCase(changing, runtimes, counter.snapshot(), plan, lowerBound, naive.calls, wallMs));
    }
    return {
      runtimes,
      pinnedRuntimes: runtimes,
      pinsPerRuntime: PINS.length,
      lowerBoundFormula:
        'ceil(N/100) Atom query pages + ceil(N/100) AtomVersions bulk + ceil(N/100) IntegrationPackVersions bulk + 2 (AccountUserRole query + Role bulk)',
      lowerBound,
      naive,
      cases,
    };
  } finally {
    await simulator?.close();
    await scenario.remove();
  }
}

/** The call counts mean something only if the plan changed exactly the runtimes the case pins differently. */
function requireChanges(plan: Plan, changing: number): void {
  const { toChange, inSync, pins, blocked } = plan.summary;
  if (toChange === changing && inSync + toChange === pins) return;
  throw new Error(
    `observe case with ${changing} changing runtimes planned ${toChange} changes, ${inSync} in sync and ${blocked} blocked of ${pins} pins: the benchmark's pins no longer match the simulator scenario`,
  );
}

function target(client: AtomSphereClient): AccountTarget {
  return { accountId: LARGE.accountId, alias: 'bench', client };
}

/** The user's roles, then GET Atom, AtomVersions and IntegrationPackVersions per runtime (8 at a time). */
async function measureNaive(
  client: AtomSphereClient,
  counter: RequestCounter,
  runtimes: number,
  lowerBound: number,
): Promise<ObserveCallsResult['naive']> {
  // The naive observer is granted its runtime ids for free (no Atom query).
  const ids = Array.from({ length: runtimes }, (_, index) => runtimeId(index));
  counter.reset();
  const started = performance.now();
  await readPrincipal(client);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < ids.length; index = next++) {
      const id = ids[index] ?? '';
      await client.get('Atom', id);
      await client.get('AtomVersions', id);
      await client.get('IntegrationPackVersions', id);
    }
  };
  await Promise.all(Array.from({ length: NAIVE_CONCURRENCY }, worker));
  const stats = counter.snapshot();
  return {
    description:
      'AccountUserRole query + Role bulk, then GET Atom/{id}, AtomVersions/{id}, IntegrationPackVersions/{id} per runtime (ids known beforehand)',
    calls: stats.total,
    callsByObject: stats.byObject,
    ratioToLowerBound: round(stats.total / lowerBound, 2),
    secondsAtPlatformRate: round(stats.total / PLATFORM_REQUESTS_PER_SECOND, 1),
    wallMs: round(performance.now() - started, 1),
  };
}

function observeCase(
  changing: number,
  runtimes: number,
  stats: RequestStats,
  plan: Plan,
  lowerBound: number,
  naiveCalls: number,
  wallMs: number,
): ObserveCase {
  const ratio = stats.total / lowerBound;
  const withEnvironments = changing === 0 ? lowerBound : lowerBound + Math.ceil(changing / PAGE) + 1;
  return {
    case: changing === 0 ? 'no-change' : `changes-${changing}`,
    description:
      changing === 0
        ? `all ${runtimes} runtimes pinned to what they run`
        : `${changing} of ${runtimes} runtimes pinned to the pending runtime version`,
    runtimesChanging: changing,
    calls: stats.total,
    callsByObject: stats.byObject,
    lowerBound,
    ratioToLowerBound: round(ratio, 3),
    lowerBoundWithEnvironments: withEnvironments,
    ratioToLowerBoundWithEnvironments: round(stats.total / withEnvironments, 3),
    naiveToThese: round(naiveCalls / stats.total, 1),
    secondsAtPlatformRate: round(stats.total / PLATFORM_REQUESTS_PER_SECOND, 1),
    wallMs: round(wallMs, 1),
    plan: {
      pins: plan.summary.pins,
      inSync: plan.summary.inSync,
      toChange: plan.summary.toChange,
      blocked: plan.summary.blocked,
      requests: plan.summary.requests,
    },
    target: `<= ${OBSERVE_TARGET_RATIO} x lower bound`,
    pass: ratio <= OBSERVE_TARGET_RATIO && stats.rateLimited === 0,
  };
}

const PINS = ['Atom', 'HTTP Client', 'Database', 'Salesforce', LARGE.packs.steady, LARGE.packs.pending];

const POLICY: Policy = {
  mode: 'enforce',
  suspend: false,
  allowRollback: true,
  allowPackReattach: false,
  windows: [],
};

/** One AtomVersion per runtime, pinned to what it runs; the first `changing` ask for the pending Atom. */
function pinsFor(runtimes: number, changing: number): DesiredAtomVersion[] {
  return Array.from({ length: runtimes }, (_, index) => {
    const name = `bench-${String(index).padStart(5, '0')}`;
    return {
      key: `bench/${name}`,
      name,
      namespace: 'bench',
      generation: '1',
      origin: { source: 'file' as const, file: `pins/${name}.yaml` },
      spec: {
        account: 'bench',
        runtime: { name: runtimeName(index) },
        version: index < changing ? LARGE.atomPending : LARGE.atomReleased,
        connectors: [
          { name: 'HTTP Client', channel: 'released' as const },
          { name: 'Database', channel: 'released' as const },
          { name: 'Salesforce', channel: 'released' as const },
        ],
        integrationPacks: [
          { name: LARGE.packs.steady, version: LARGE.installedPackVersion },
          { name: LARGE.packs.pending, version: LARGE.installedPackVersion },
        ],
        policy: { ...POLICY, windows: [] },
      },
    };
  });
}
