// Issue 12, Deliver 1: pins manage the runtime's release schedule (RuntimeReleaseSchedule) and force-restart
// time (Atom.forceRestartTime) — observed in bulk, shown as drift, planned as requests, applied with the
// documented calls, refused for a read-only credential, on platforms with and without the extension
// objects, never written twice when an answer is lost, and written by `import`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderImport } from '../../../controller/cli/import.js';
import { executeRequests } from '../../../controller/pipeline/execute-requests.js';
import { observeAndPlan } from '../../../controller/pipeline/observe-and-plan.js';
import type { AtomSphereClient } from '../../../controller/platform/index.js';
import { sendPlannedRequest } from '../../../controller/platform/execute.js';
import { observeAccount } from '../../../controller/platform/observe.js';
import { loadPins } from '../../../controller/sources/load-pins.js';
import type { DesiredAtomVersion, Plan } from '../../../controller/domain/types.js';
import type { Scenario } from '../../../simulator/scenario/scenario-types.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { atomVersion } from '../../unit/domain/builders.js';
import { startLossyProxy, type LossyProxy } from './support/lossy-proxy.js';
import { platformClient, Simulators, type Platform } from './support/simulators.js';

const sims = new Simulators();
let proxy: LossyProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await sims.closeAll();
});

const BERLIN_SATURDAY = { week: 'first', day: 'SATURDAY', hour: 2, timeZone: 'Europe/Berlin' } as const;

function scenario(extensions: boolean): Scenario {
  const world = smallScenario();
  world.calendar = { ...world.calendar, runtimeReleaseWindowOpens: '2026-11-21T02:00:00.000Z' };
  const account = world.accounts[0]!;
  account.runtimes = ['Atom One', 'Atom Two', 'Atom Three'].map((name) => ({
    name,
    type: 'ATOM' as const,
    environment: 'Prod',
  }));
  return extensions ? world : { ...world, platform: { extensions: false } };
}

function pins(...names: string[]): DesiredAtomVersion[] {
  return names.map((name) =>
    atomVersion(name.toLowerCase().replace(' ', '-'), {
      account: SMALL.accountId,
      runtime: { name },
      releaseSchedule: { ...BERLIN_SATURDAY },
      forceRestartAfter: '30m',
    }),
  );
}

async function planFor(client: AtomSphereClient, desired: DesiredAtomVersion[]): Promise<Plan> {
  const targets = [{ accountId: SMALL.accountId, alias: 'small', client }];
  const { plan } = await observeAndPlan(targets, desired, { maxConcurrentRestarts: 2, defaultWindows: [] });
  return plan;
}

async function apply(client: AtomSphereClient, plan: Plan): Promise<void> {
  const targets = [{ accountId: SMALL.accountId, client }];
  const result = await executeRequests(targets, plan.changes, {
    waitForLastWave: true,
    deadline: Date.now() + 10_000,
    pollMs: 10,
  });
  expect(result.failed).toBe(0);
}

describe.each([
  ['with the extension objects', true],
  ['on Boomi’s public API alone (extensions: false)', false],
])('release schedule and force-restart pins %s', (_title, extensions) => {
  it('are read in one bulk call, shown as drift, planned as requests, applied, and then in sync', async () => {
    const platform = await sims.scenario(scenario(extensions), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const desired = pins('Atom One', 'Atom Two', 'Atom Three');

    const plan = await planFor(client, desired);
    expect(client.stats.byObject['RuntimeReleaseSchedule']).toBe(1);
    const settings = plan.pins.filter((pin) => pin.kind === 'releaseSchedule' || pin.kind === 'forceRestart');
    expect(settings.map((pin) => [pin.runtimeName, pin.kind, pin.outcome, pin.current, pin.target])).toEqual([
      ['Atom One', 'releaseSchedule', 'Configure', 'NEVER', 'FIRST week, SATURDAY 02:00 Europe/Berlin'],
      ['Atom One', 'forceRestart', 'Configure', '0s', '30m'],
      ['Atom Three', 'releaseSchedule', 'Configure', 'NEVER', 'FIRST week, SATURDAY 02:00 Europe/Berlin'],
      ['Atom Three', 'forceRestart', 'Configure', '0s', '30m'],
      ['Atom Two', 'releaseSchedule', 'Configure', 'NEVER', 'FIRST week, SATURDAY 02:00 Europe/Berlin'],
      ['Atom Two', 'forceRestart', 'Configure', '0s', '30m'],
    ]);
    expect(plan.drift.filter((item) => item.kind === 'releaseSchedule')).toHaveLength(3);
    const writes = plan.changes.filter(
      (request) => request.kind === 'RuntimeReleaseSchedule' || request.kind === 'AtomForceRestartTime',
    );
    expect(writes).toHaveLength(6);
    expect(writes.find((request) => request.kind === 'RuntimeReleaseSchedule')?.releaseSchedule).toEqual({
      scheduleType: 'FIRST',
      dayOfWeek: 'SATURDAY',
      hourOfDay: 2,
      timeZone: 'Europe/Berlin',
    });
    expect(writes.find((request) => request.kind === 'AtomForceRestartTime')?.forceRestartTime).toBe(
      1_800_000,
    );

    await apply(client, { ...plan, changes: writes });
    const after = await planFor(platform.client(SMALL.accountId, SMALL.admin), desired);
    const settled = after.pins.filter((pin) => pin.kind === 'releaseSchedule' || pin.kind === 'forceRestart');
    expect(settled.every((pin) => pin.outcome === 'InSync')).toBe(true);
    expect(after.changes.filter((request) => request.kind !== 'AtomVersionUpdateRequest')).toEqual([]);
  });

  it('are Blocked for a read-only credential, which still plans them (InsufficientPrivilege)', async () => {
    const platform = await sims.scenario(scenario(extensions), SMALL.admin);
    const plan = await planFor(platform.client(SMALL.accountId, SMALL.viewer), pins('Atom One'));
    const settings = plan.pins.filter((pin) => pin.kind === 'releaseSchedule' || pin.kind === 'forceRestart');
    expect(settings.map((pin) => [pin.outcome, pin.reason, pin.needsPrivilege])).toEqual([
      ['Blocked', 'InsufficientPrivilege', 'ATOM_MANAGEMENT'],
      ['Blocked', 'InsufficientPrivilege', 'ATOM_MANAGEMENT'],
    ]);
    expect(plan.changes.filter((request) => request.kind === 'RuntimeReleaseSchedule')).toEqual([]);
  });
});

describe('a lost answer', () => {
  async function setup(): Promise<{ platform: Platform; plan: Plan }> {
    const platform = await sims.scenario(scenario(false), SMALL.admin);
    const plan = await planFor(platform.client(SMALL.accountId, SMALL.admin), pins('Atom One'));
    proxy = await startLossyProxy(platform.url);
    return { platform, plan };
  }

  function lossyClient(): AtomSphereClient {
    return platformClient(proxy!.url, SMALL.accountId, SMALL.admin, { sleep: () => Promise.resolve() });
  }

  it('of a schedule UPDATE: the schedule is read back and the write is not sent twice', async () => {
    const { platform, plan } = await setup();
    const request = plan.changes.find((change) => change.kind === 'RuntimeReleaseSchedule')!;
    proxy!.loseNext(1, (method, path) => method === 'POST' && path.includes('/RuntimeReleaseSchedule/'));
    const client = lossyClient();
    const sent = await sendPlannedRequest(client, request);
    expect(proxy!.lost).toBe(1);
    expect(sent.status).toBe('COMPLETE');
    expect(client.stats.byVerb).toEqual({ UPDATE: 1, GET: 1 });
    const state = await platform.control.state();
    const writes = (state.auditLog as { type: string; containerId?: string }[]).filter(
      (entry) => entry.type.includes('schedule') && entry.containerId === request.runtimeId,
    );
    expect(writes).toHaveLength(1);
  });

  it('of an Atom UPDATE of forceRestartTime: the Atom is read back and not written twice', async () => {
    const { plan } = await setup();
    const request = plan.changes.find((change) => change.kind === 'AtomForceRestartTime')!;
    proxy!.loseNext(1, (method, path) => method === 'POST' && path.includes('/Atom/'));
    const client = lossyClient();
    await sendPlannedRequest(client, request);
    expect(proxy!.lost).toBe(1);
    expect(client.stats.byVerb).toEqual({ UPDATE: 1, GET: 1 });
  });
});

describe('atomsync import', () => {
  it('writes the release schedule and force-restart time, and a plan of what it wrote is in sync', async () => {
    const platform = await sims.scenario(scenario(false), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const configured = pins('Atom Two');
    await apply(client, await planFor(client, configured));

    const account = await observeAccount(
      { accountId: SMALL.accountId, alias: 'small', client },
      {
        runtimes: [],
        withPacks: [],
        all: true,
      },
    );
    const text = renderImport(account, 'integration');
    expect(text).toContain(
      'releaseSchedule:\n    week: first\n    day: SATURDAY\n    hour: 2\n    timeZone: Europe/Berlin',
    );
    expect(text).toContain('forceRestartAfter: 30m');
    expect(text).toContain('releaseSchedule:\n    week: never');

    const dir = await mkdtemp(join(tmpdir(), 'atomsync-import-'));
    await writeFile(join(dir, 'small.yaml'), text);
    const { desired: imported, problems } = await loadPins(dir);
    await rm(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
    const plan = await planFor(client, imported);
    const settings = plan.pins.filter((pin) => pin.kind === 'releaseSchedule' || pin.kind === 'forceRestart');
    expect(settings).toHaveLength(6);
    expect(settings.every((pin) => pin.outcome === 'InSync')).toBe(true);
  });
});
