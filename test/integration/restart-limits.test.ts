// Why 2 (issue 16): restart limits survive a crash. The killed run's restarts are on the platform, not in
// the new run's memory or journal: a rerun of `apply`, and a controller whose journal was deleted, must
// count what the platform shows in progress — never more than maxConcurrentRestarts at once, never a
// PROD runtime before the TEST one of the killed wave has finished. Judged from the platform's own audit
// log (RESTARTING → COMPLETE per runtime), with the simulator's clock moved on while the run works.
// The same for `run`: a run killed while its TEST restart is in progress, followed by a run on the same
// state folder with the journal deleted, or by another replica on its own state folder (a failover).
import { mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, equals, type AuditLog } from '../../controller/platform/index.js';
import { sendPlannedRequest } from '../../controller/platform/execute.js';
import { executeRequests } from '../../controller/pipeline/execute-requests.js';
import { observeAndPlan } from '../../controller/pipeline/observe-and-plan.js';
import { restartsInProgress } from '../../controller/pipeline/platform-restarts.js';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import { loadPins } from '../../controller/sources/load-pins.js';
import { ControllerUnderTest, eventually, removeDir, tempDir } from './controller-harness.js';
import { DEMO_ADMIN, PROD } from './platform/support/demo-world.js';
import { Simulators, type Platform } from './platform/support/simulators.js';

const PINS = fileURLToPath(new URL('../../examples/pins/acme-prod.yaml', import.meta.url));
const CLASS: Record<string, 'TEST' | 'PROD'> = {
  'Staging Atom': 'TEST',
  'Prod East Molecule': 'PROD',
  'Prod West Atom': 'PROD',
};
/** One at a time: the killed run's TEST restart and the rerun's PROD one must not overlap. */
const CAP = 1;

const sims = new Simulators();
let platform: Platform;
let dir: string | undefined;
let ticking: ReturnType<typeof setInterval> | undefined;

beforeEach(async () => {
  platform = await sims.demo();
});
afterEach(async () => {
  if (ticking) clearInterval(ticking);
  ticking = undefined;
  await sims.closeAll();
  await removeDir(dir);
  dir = undefined;
});

/** The platform's clock runs on (30 s every 50 ms) so waits for inactivity and restarts pass. */
function runClock(): void {
  ticking = setInterval(() => void platform.control.advance('30s').catch(() => undefined), 50);
}

function target() {
  return {
    accountId: PROD,
    alias: 'acme-prod',
    client: platform.client(PROD, DEMO_ADMIN, { maxRetries: 2 }),
  };
}

async function desired() {
  const { desired: docs } = await loadPins(PINS);
  return docs.filter((doc) => Object.keys(CLASS).includes(doc.spec.runtime.name ?? ''));
}

/** The killed run: the TEST wave was sent, then the process died before following it. */
async function killedMidWave(): Promise<void> {
  const { plan } = await observeAndPlan([target()], await desired(), {
    maxConcurrentRestarts: CAP,
    defaultWindows: [],
  });
  const firstWave = plan.changes.filter(
    (change) => change.wave === Math.min(...plan.changes.map((c) => c.wave)),
  );
  expect(firstWave.map((change) => change.runtimeName)).toEqual(['Staging Atom', 'Staging Atom']);
  for (const change of firstWave) await sendPlannedRequest(target().client, change);
}

interface Restart {
  runtime: string;
  from: number;
  to: number;
}

/** Each runtime's restarts from the audit log: RESTARTING until COMPLETE or FAILED. */
async function restarts(): Promise<Restart[]> {
  const admin = platform.client(PROD, DEMO_ADMIN);
  const names = new Map(
    (await admin.queryAll<{ id: string; name: string }>('Atom')).map((atom) => [atom.id, atom.name] as const),
  );
  const records = await admin.queryAll<AuditLog>(
    'AuditLog',
    and(equals('type', 'as.atom.version'), equals('action', 'STATUS')),
  );
  const open = new Map<string, number>();
  const found: Restart[] = [];
  for (const record of [...records].sort((a, b) => Date.parse(a.date) - Date.parse(b.date))) {
    const runtime = names.get(record.containerId ?? '') ?? '?';
    const at = Date.parse(record.date);
    if (record.modifier === 'RESTARTING' && !open.has(runtime)) open.set(runtime, at);
    if ((record.modifier === 'COMPLETE' || record.modifier === 'FAILED') && open.has(runtime)) {
      found.push({ runtime, from: open.get(runtime)!, to: at });
      open.delete(runtime);
    }
  }
  return found;
}

function mostAtOnce(list: Restart[]): number {
  return Math.max(0, ...list.map((r) => list.filter((o) => o.from <= r.from && r.from < o.to).length));
}

function prodBeforeTest(list: Restart[]): string[] {
  const testEnd = Math.max(...list.filter((r) => CLASS[r.runtime] === 'TEST').map((r) => r.to));
  return list.filter((r) => CLASS[r.runtime] === 'PROD' && r.from < testEnd).map((r) => r.runtime);
}

describe('Why 2: restart limits survive a crash', () => {
  it('apply killed mid-wave and run again waits for the TEST restart it left behind: never over the cap, never PROD first', async () => {
    await killedMidWave();
    const { plan, snapshot } = await observeAndPlan([target()], await desired(), {
      maxConcurrentRestarts: CAP,
      defaultWindows: [],
    });
    expect(plan.changes.map((change) => change.runtimeName)).toContain('Prod East Molecule');
    const waiting: string[] = [];
    runClock();
    const result = await executeRequests([target()], plan.changes, {
      waitForLastWave: true,
      deadline: Date.now() + 60_000,
      pollMs: 50,
      restartsInProgress: restartsInProgress(snapshot),
      onWaiting: (message) => waiting.push(message),
    });
    expect(waiting).toEqual([
      'waiting for restarts already in progress on the platform to end: Staging Atom',
    ]);
    expect(result.summary).toContain(`${plan.changes.length} complete`);
    const seen = await restarts();
    expect(seen.map((r) => r.runtime)).toEqual(
      expect.arrayContaining(['Prod East Molecule', 'Staging Atom']),
    );
    expect(mostAtOnce(seen)).toBeLessThanOrEqual(CAP);
    expect(prodBeforeTest(seen)).toEqual([]);
  });

  it('run with its request journal deleted counts the restart the platform shows: never over the cap, never PROD first', async () => {
    await killedMidWave();
    dir = await tempDir('restart-limits');
    await mkdir(join(dir, 'pins'));
    await writeFile(join(dir, 'pins', 'acme-prod.yaml'), await readFile(PINS, 'utf8'));
    // The journal is gone: a fresh state folder knows nothing of the killed run's requests.
    const controller = await ControllerUnderTest.start({
      simUrl: platform.url,
      sources: [new DirectorySource({ name: 'pins', path: join(dir, 'pins') })],
      stateDir: join(dir, 'state'),
      maxConcurrentRestarts: CAP,
    });
    try {
      // The PROD key's first pass decides while the TEST restart is still in progress; then time runs.
      const first = await controller.waitForStatus(
        'integration/prod-east-molecule',
        (status) => status.conditions.length > 0,
        'the PROD key was reconciled once',
      );
      expect(JSON.stringify(first.conditions)).toMatch(/WaitingForTestRuntimes|WaitingForRestartSlot/);
      runClock();
      await eventually(
        async () => (await restarts()).some((r) => r.runtime === 'Prod East Molecule'),
        'Prod East Molecule restarted',
        45_000,
      );
    } finally {
      await controller.stop();
    }
    const seen = await restarts();
    expect(mostAtOnce(seen)).toBeLessThanOrEqual(CAP);
    expect(prodBeforeTest(seen)).toEqual([]);
  }, 60_000);
});

/** The pins folder of a run: the three acme-prod runtimes of the demo. */
async function pinsFolder(): Promise<string> {
  dir ??= await tempDir('restart-limits');
  await mkdir(join(dir, 'pins'), { recursive: true });
  await writeFile(join(dir, 'pins', 'acme-prod.yaml'), await readFile(PINS, 'utf8'));
  return join(dir, 'pins');
}

async function startRun(stateDir: string): Promise<ControllerUnderTest> {
  return ControllerUnderTest.start({
    simUrl: platform.url,
    sources: [new DirectorySource({ name: 'pins', path: await pinsFolder() })],
    stateDir,
    maxConcurrentRestarts: CAP,
  });
}

async function atomStatus(name: string): Promise<string | undefined> {
  const admin = platform.client(PROD, DEMO_ADMIN);
  const atoms = await admin.queryAll<{ name: string; statusDetail?: string }>('Atom');
  return atoms.find((atom) => atom.name === name)?.statusDetail;
}

/**
 * A `run` that sent the TEST wave and died while Staging Atom restarts: the clock is moved on until the
 * platform shows it RESTARTING, then the run stops without following it (as a kill -9 leaves it).
 */
async function runKilledWhileTestRestarts(stateDir: string): Promise<void> {
  const first = await startRun(stateDir);
  try {
    await eventually(
      async () => (await restartRequestsOn('Staging Atom')) > 0,
      'the first run sent the TEST wave',
      30_000,
    );
    await eventually(
      async () => {
        if ((await atomStatus('Staging Atom')) === 'RESTARTING') return true;
        await platform.control.advance('1s');
        return false;
      },
      'Staging Atom restarting',
      30_000,
    );
    expect((await restarts()).map((r) => r.runtime)).toEqual([]);
  } finally {
    await first.controller.stop();
    await first.server.close();
  }
}

async function restartRequestsOn(name: string): Promise<number> {
  const admin = platform.client(PROD, DEMO_ADMIN);
  const atoms = await admin.queryAll<{ id: string; name: string }>('Atom');
  const id = atoms.find((atom) => atom.name === name)?.id ?? '';
  return (await admin.queryAll('AtomVersionUpdateRequest', equals('atomId', id))).length;
}

/** The next run goes on until the pinned PROD runtime (Prod East Molecule) has restarted, the clock running. */
async function nextRunConverges(stateDir: string): Promise<void> {
  const next = await startRun(stateDir);
  try {
    const prod = await next.waitForStatus(
      'integration/prod-east-molecule',
      (status) => status.conditions.length > 0,
      'the PROD key was reconciled once',
    );
    expect(JSON.stringify(prod.conditions)).toMatch(/WaitingForTestRuntimes|WaitingForRestartSlot/);
    runClock();
    await eventually(
      async () => (await restarts()).some((r) => r.runtime === 'Prod East Molecule'),
      'Prod East Molecule restarted',
      45_000,
    );
  } finally {
    await next.stop();
  }
}

describe('Why 2: restart limits survive a crash of run', () => {
  it('run killed while its TEST restart is in progress, journal deleted, run again: never over the cap, never PROD first', async () => {
    dir = await tempDir('restart-limits');
    const stateDir = join(dir, 'state');
    await runKilledWhileTestRestarts(stateDir);
    // The request journal is requests.json plus the lines appended since in requests.log.
    await rm(join(stateDir, 'requests.json'), { force: true });
    await rm(join(stateDir, 'requests.log'), { force: true });
    await nextRunConverges(stateDir);
    const seen = await restarts();
    expect([...new Set(seen.map((r) => r.runtime))].sort()).toEqual(['Prod East Molecule', 'Staging Atom']);
    expect(mostAtOnce(seen)).toBeLessThanOrEqual(CAP);
    expect(prodBeforeTest(seen)).toEqual([]);
  }, 90_000);

  it('failover: the first replica dies mid-wave, a second on its own state folder takes over: never over the cap, never PROD first', async () => {
    dir = await tempDir('restart-limits');
    await runKilledWhileTestRestarts(join(dir, 'replica-a'));
    await nextRunConverges(join(dir, 'replica-b'));
    const seen = await restarts();
    expect([...new Set(seen.map((r) => r.runtime))].sort()).toEqual(['Prod East Molecule', 'Staging Atom']);
    expect(mostAtOnce(seen)).toBeLessThanOrEqual(CAP);
    expect(prodBeforeTest(seen)).toEqual([]);
  }, 90_000);
});

describe('a restart nobody of ours started', () => {
  it('PROD waits while the platform shows another runtime restarting, and goes once a new read shows the restart over', async () => {
    const admin = platform.client(PROD, DEMO_ADMIN);
    const atoms = await admin.queryAll<{ id: string; name: string }>('Atom');
    const stagingId = atoms.find((atom) => atom.name === 'Staging Atom')?.id ?? '';
    await admin.create('RuntimeRestartRequest', { runtimeId: stagingId });
    expect(await atomStatus('Staging Atom')).toBe('RESTARTING');
    // Only the PROD runtime is pinned: nothing of this run will ever report the Staging restart's end.
    dir = await tempDir('restart-limits');
    await mkdir(join(dir, 'pins'));
    const prodDoc = (await readFile(PINS, 'utf8')).split(/^---$/m)[0] ?? '';
    await writeFile(join(dir, 'pins', 'prod-east.yaml'), prodDoc);
    const run = await ControllerUnderTest.start({
      simUrl: platform.url,
      sources: [new DirectorySource({ name: 'pins', path: join(dir, 'pins') })],
      stateDir: join(dir, 'state'),
      maxConcurrentRestarts: CAP,
    });
    try {
      const waiting = await run.waitForStatus(
        'integration/prod-east-molecule',
        (status) => status.conditions.length > 0,
        'the PROD key was reconciled once',
      );
      expect(JSON.stringify(waiting.conditions)).toMatch(/WaitingForTestRuntimes|WaitingForRestartSlot/);
      await platform.control.advance('1m');
      expect(await atomStatus('Staging Atom')).toBe('ONLINE_RUNNING');
      // Within a few polls, not after the cached observation expires (a minute) or the next resync (an hour).
      await eventually(
        async () => (await restartRequestsOn('Prod East Molecule')) > 0,
        'the PROD request sent after the restart ended',
        10_000,
      );
    } finally {
      await run.stop();
    }
  });
});
