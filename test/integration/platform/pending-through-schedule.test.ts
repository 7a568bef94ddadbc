// Issue 12, Deliver 2: on Boomi's public API (no apply action), a pin that wants the Runtime Release's pending
// version is Scheduled through the runtime's release schedule — the earliest slot, an exact ETA with the
// release calendar — verified after the slot, and the schedule is put back; a holding pin gets NEVER;
// Early Access versions and rollbacks stay Manual.
import { afterEach, describe, expect, it } from 'vitest';
import { executeRequests } from '../../../controller/pipeline/execute-requests.js';
import { observeAndPlan } from '../../../controller/pipeline/observe-and-plan.js';
import type { AtomSphereClient } from '../../../controller/platform/index.js';
import type { DesiredAtomVersion, Plan, ReleaseCalendar } from '../../../controller/domain/types.js';
import type { Scenario } from '../../../simulator/scenario/scenario-types.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { atomVersion } from '../../unit/domain/builders.js';
import { Simulators } from './support/simulators.js';

const sims = new Simulators();
afterEach(() => sims.closeAll());

const CALENDAR: ReleaseCalendar = {
  runtimeReleaseWindowOpens: '2026-11-21T02:00:00.000Z',
  platformRelease: SMALL.platformRelease,
};

function scenario(): Scenario {
  const world = smallScenario();
  world.calendar = { ...world.calendar, runtimeReleaseWindowOpens: CALENDAR.runtimeReleaseWindowOpens };
  return { ...world, platform: { extensions: false } };
}

async function planFor(
  client: AtomSphereClient,
  desired: DesiredAtomVersion[],
  calendar: ReleaseCalendar | null = CALENDAR,
): Promise<Plan> {
  const targets = [{ accountId: SMALL.accountId, client }];
  const { plan } = await observeAndPlan(targets, desired, {
    maxConcurrentRestarts: 2,
    defaultWindows: [],
    ...(calendar ? { releaseCalendar: calendar } : {}),
  });
  return plan;
}

async function apply(client: AtomSphereClient, plan: Plan): Promise<void> {
  const result = await executeRequests([{ accountId: SMALL.accountId, client }], plan.changes, {
    waitForLastWave: true,
    deadline: Date.now() + 10_000,
    pollMs: 10,
  });
  expect(result.failed).toBe(0);
}

const wantsPending = (extra: Parameters<typeof atomVersion>[1] = {}) =>
  atomVersion('atom-one', {
    account: SMALL.accountId,
    runtime: { name: 'Atom One' },
    version: '26.12.0',
    connectors: [{ name: 'HTTP Client', version: '26.12.0' }],
    ...extra,
  });

describe('pending versions through the release schedule (extensions: false)', () => {
  it('are Scheduled at the earliest slot with an exact ETA, arrive after it, and the schedule goes back to NEVER', async () => {
    const platform = await sims.scenario(scenario(), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const desired = [wantsPending()];

    const plan = await planFor(client, desired);
    const versions = plan.pins.filter((pin) => pin.kind === 'runtime' || pin.kind === 'connector');
    expect(versions.map((pin) => [pin.name, pin.outcome, pin.eta, pin.slot])).toEqual([
      [
        'Atom',
        'Scheduled',
        '2026-11-23T09:00:00.000Z',
        'FIRST week, MONDAY 09:00 UTC, at 2026-11-23T09:00:00Z',
      ],
      [
        'HTTP Client',
        'Scheduled',
        '2026-11-23T09:00:00.000Z',
        'FIRST week, MONDAY 09:00 UTC, at 2026-11-23T09:00:00Z',
      ],
    ]);
    expect(plan.summary.manual).toBe(0);
    expect(plan.changes.map((request) => [request.kind, request.releaseSchedule])).toEqual([
      [
        'RuntimeReleaseSchedule',
        { scheduleType: 'FIRST', dayOfWeek: 'MONDAY', hourOfDay: 9, timeZone: 'UTC' },
      ],
    ]);
    await apply(client, plan);

    await platform.control.setNow('2026-11-23T10:00:00.000Z');
    const after = await planFor(client, desired);
    expect(after.pins.filter((pin) => pin.kind !== 'releaseSchedule').map((pin) => pin.outcome)).toEqual([
      'InSync',
      'InSync',
    ]);
    expect(after.changes.map((request) => [request.kind, request.releaseSchedule?.scheduleType])).toEqual([
      ['RuntimeReleaseSchedule', 'NEVER'],
    ]);
    await apply(client, after);
    expect((await planFor(client, desired)).changes).toEqual([]);
  });

  it('without the release calendar, the plan names the slot "in the first week of the next Runtime Release window"', async () => {
    const platform = await sims.scenario(scenario(), SMALL.admin);
    const plan = await planFor(platform.client(SMALL.accountId, SMALL.admin), [wantsPending()], null);
    const atom = plan.pins.find((pin) => pin.name === 'Atom');
    expect(atom?.outcome).toBe('Scheduled');
    expect(atom?.eta).toBeUndefined();
    expect(atom?.message).toContain('in the first week of the next Runtime Release window');
  });

  it('an Early Access version is Scheduled at first, and Manual once the slot ran without bringing it; a rollback stays Manual', async () => {
    const platform = await sims.scenario(scenario(), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const earlyAccess = [
      atomVersion('atom-one', {
        account: SMALL.accountId,
        runtime: { name: 'Atom One' },
        connectors: [{ name: 'Salesforce', version: '26.11.2' }],
      }),
    ];
    await apply(client, await planFor(client, earlyAccess));
    await platform.control.setNow('2026-11-23T10:00:00.000Z');
    const after = await planFor(client, earlyAccess);
    const salesforce = after.pins.find((pin) => pin.name === 'Salesforce');
    expect(salesforce?.outcome).toBe('Manual');
    expect(salesforce?.message).toContain('the release schedule already ran at 2026-11-23T09:00:00Z');
    expect(salesforce?.manualSteps?.length).toBeGreaterThan(0);

    const rollback = atomVersion('atom-one', {
      account: SMALL.accountId,
      runtime: { name: 'Atom One' },
      connectors: [{ name: 'HTTP Client', version: '26.10.0' }],
    });
    expect((await planFor(client, [rollback])).pins[0]?.outcome).toBe('Manual');
  });

  it('a pin holding the released version, with a declared schedule still ahead in the open window, gets NEVER', async () => {
    const platform = await sims.scenario(scenario(), SMALL.admin);
    const holding = atomVersion('atom-one', {
      account: SMALL.accountId,
      runtime: { name: 'Atom One' },
      version: '26.11.0',
      releaseSchedule: { week: 'last', day: 'SATURDAY', hour: 2, timeZone: 'Europe/Berlin' },
    });
    const plan = await planFor(platform.client(SMALL.accountId, SMALL.admin), [holding]);
    const schedule = plan.pins.find((pin) => pin.kind === 'releaseSchedule');
    expect([schedule?.outcome, schedule?.target]).toEqual(['InSync', 'NEVER']);
    expect(schedule?.wanted).toBe('never (hold)');
  });
});
