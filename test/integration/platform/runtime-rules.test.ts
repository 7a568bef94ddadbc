// R1–R9 (docs/rules.md): runtimes, their components, pending and rollback versions and update requests, seen
// through atomsync's platform client against the simulator over HTTP. Test names quote the seed
// ("Rolling back Atom and connector updates") where a rule comes from it.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  equals,
  ForbiddenError,
  PlatformError,
  type Atom,
  type AtomConnectorVersions,
  type AtomSphereClient,
  type AtomVersionUpdateRequest,
  type EnvironmentAtomAttachment,
} from '../../../controller/platform/index.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { DEMO_ADMIN, DEMO_VIEWER, DEV, EU, PLATFORM_RELEASE, PROD } from './support/demo-world.js';
import { componentsOf, environmentId, requestStatus, runtimeId } from './support/lookups.js';
import { Simulators, type Platform } from './support/simulators.js';

const REQUEST = 'AtomVersionUpdateRequest';
const sims = new Simulators();
afterEach(() => sims.closeAll());

async function demo(): Promise<{ platform: Platform; prod: AtomSphereClient; dev: AtomSphereClient }> {
  const platform = await sims.demo();
  return { platform, prod: platform.client(PROD, DEMO_ADMIN), dev: platform.client(DEV, DEMO_ADMIN) };
}

function requestVersions(
  client: AtomSphereClient,
  atomId: string,
  action: 'APPLY_PENDING' | 'ROLLBACK',
  components: string[],
): Promise<AtomVersionUpdateRequest> {
  return client.create<AtomVersionUpdateRequest>(REQUEST, { atomId, action, components });
}

async function refusal(call: Promise<unknown>): Promise<PlatformError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof PlatformError))
    throw new Error(`expected a PlatformError, got ${String(outcome)}`);
  return outcome;
}

describe('R1 runtimes and environments', () => {
  it('R1 a runtime is an ATOM, MOLECULE or CLOUD attached to at most one environment; attaching it elsewhere moves it', async () => {
    const { prod } = await demo();
    const types = (await prod.queryAll<Atom>('Atom')).map((a) => a.type).sort();
    expect(types).toEqual(['ATOM', 'ATOM', 'CLOUD', 'CLOUD', 'MOLECULE']);
    const atomId = await runtimeId(prod, 'Prod West Atom');
    const staging = await environmentId(prod, 'Staging');
    await prod.create('EnvironmentAtomAttachment', { atomId, environmentId: staging });
    const attachments = await prod.queryAll<EnvironmentAtomAttachment>(
      'EnvironmentAtomAttachment',
      equals('atomId', atomId),
    );
    expect(attachments.map((a) => a.environmentId)).toEqual([staging]);
    const again = await refusal(prod.create('EnvironmentAtomAttachment', { atomId, environmentId: staging }));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.platformMessage).toContain('already attached to environment "Staging"');
  });
});

describe('R2 components and the release calendar', () => {
  it("R2 a runtime's components are the runtime itself (Atom) and its connectors; Runtime Release versions are pending once the window opens, Early Access ones at any time", async () => {
    const scenario = smallScenario();
    scenario.calendar.runtimeReleaseWindowOpens = '2026-11-25T00:00:00Z';
    const platform = await sims.scenario(scenario, SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const atomId = await runtimeId(client, 'Atom One');
    const listed = await client.get<AtomConnectorVersions>('AtomConnectorVersions', atomId);
    expect(listed.ConnectorVersion?.map((c) => c.name)).toEqual([
      'Atom',
      'HTTP Client',
      'Database',
      'Salesforce',
    ]);

    const before = await componentsOf(client, atomId);
    expect(before['Atom']?.pendingVersion).toBeUndefined();
    expect(before['Salesforce']).toMatchObject({ pendingVersion: '26.11.2', pendingSource: 'EARLY_ACCESS' });
    await platform.control.setNow('2026-11-25T00:00:00Z');
    const after = await componentsOf(client, atomId);
    expect(after['Atom']).toMatchObject({ pendingVersion: '26.12.0', pendingSource: 'RUNTIME_RELEASE' });
  });
});

describe('R3 pending and rollback versions', () => {
  it('R3 "If you applied a Runtime release or early access update and are using a more recent version than the currently released version, version numbers appear in the Rollback Version column" and "you can remove the updates and go back to the currently released version": rollback versions appear only after an early apply and go back to the released version', async () => {
    const { platform, prod } = await demo();
    const atomId = await runtimeId(prod, 'Prod West Atom');
    const before = (await componentsOf(prod, atomId))['HTTP Client'];
    expect(before).toMatchObject({ version: '26.11.0', pendingVersion: '26.12.0' });
    expect(before?.rollbackVersion).toBeUndefined();
    const noRollback = await refusal(requestVersions(prod, atomId, 'ROLLBACK', ['HTTP Client']));
    expect(noRollback.status).toBe(400);
    expect(noRollback.platformMessage).toContain('has no rollback version');

    await requestVersions(prod, atomId, 'APPLY_PENDING', ['HTTP Client']);
    await platform.control.advance('3s');
    const applied = (await componentsOf(prod, atomId))['HTTP Client'];
    expect(applied).toMatchObject({ version: '26.12.0', rollbackVersion: '26.11.0' });
    expect(applied?.pendingVersion).toBeUndefined();

    await requestVersions(prod, atomId, 'ROLLBACK', ['HTTP Client']);
    await platform.control.advance('3s');
    const rolledBack = (await componentsOf(prod, atomId))['HTTP Client'];
    expect(rolledBack?.version).toBe(applied?.rollbackVersion);
    expect(rolledBack).toMatchObject({ version: '26.11.0', pendingVersion: '26.12.0' });
    expect(rolledBack?.rollbackVersion).toBeUndefined();
  });
});

describe('R4 privileges and ownership', () => {
  it('R4 "If you have the Atom Management Read Access privilege, you cannot perform the task": the read-only credential sees the pending version but its apply is refused with 403 naming ATOM_MANAGEMENT', async () => {
    const platform = await sims.demo();
    const viewer = platform.client(EU, DEMO_VIEWER);
    const atomId = await runtimeId(viewer, 'EU Atom');
    expect((await componentsOf(viewer, atomId))['Atom']).toMatchObject({ pendingVersion: '26.12.0' });
    const refused = await refusal(requestVersions(viewer, atomId, 'APPLY_PENDING', ['Atom']));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused.status).toBe(403);
    expect(refused.platformMessage).toContain('requires the ATOM_MANAGEMENT privilege');
    expect(refused.message).toContain(`POST ${REQUEST} for account ${EU}`);
    expect(await viewer.queryAll(REQUEST)).toEqual([]);
  });

  it('R4 "You must have the Atom Management privilege to perform this task": the read-only credential cannot roll back either, the admin can', async () => {
    const { dev, platform } = await demo();
    const viewer = platform.client(DEV, DEMO_VIEWER);
    const atomId = await runtimeId(dev, 'Dev Atom');
    const refused = await refusal(requestVersions(viewer, atomId, 'ROLLBACK', ['HTTP Client']));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused.platformMessage).toContain('ATOM_MANAGEMENT');
    expect((await requestVersions(dev, atomId, 'ROLLBACK', ['HTTP Client'])).status).toBe('ACCEPTED');
  });

  it('R4 a runtime on a public Atom Cloud the account does not own cannot be changed', async () => {
    const { prod } = await demo();
    const atomId = await runtimeId(prod, 'Public Cloud US East');
    const refused = await refusal(requestVersions(prod, atomId, 'APPLY_PENDING', ['Atom']));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused.platformMessage).toContain('is owned by account boomi-cloud-000000 and cannot be changed');
    const restart = await refusal(prod.create('RuntimeRestartRequest', { runtimeId: atomId }));
    expect(restart.status).toBe(403);
  });
});

describe('R5 requests wait for inactivity, then restart the runtime', () => {
  it('R5 "It waits for a period of inactivity before applying the updates unless you have enabled a \\"Force Restart Time\\" on your Atom": a busy runtime waits; one with a force restart time restarts within it', async () => {
    const { platform, prod } = await demo();
    const waiting = await runtimeId(prod, 'Prod West Atom');
    const forced = await runtimeId(prod, 'Staging Atom');
    await prod.update('Atom', forced, { id: forced, forceRestartTime: 60_000 });
    await platform.control.activity(PROD, waiting, 3);
    await platform.control.activity(PROD, forced, 3);
    const patient = await requestVersions(prod, waiting, 'APPLY_PENDING', ['HTTP Client']);
    const pushed = await requestVersions(prod, forced, 'APPLY_PENDING', ['HTTP Client']);

    await platform.control.advance(60_000 - 1);
    expect(await requestStatus(prod, REQUEST, pushed.id!)).toBe('WAITING_FOR_INACTIVITY');
    await platform.control.advance(1);
    expect(await requestStatus(prod, REQUEST, pushed.id!)).toBe('RESTARTING');
    await platform.control.advance('1s');
    expect(await requestStatus(prod, REQUEST, pushed.id!)).toBe('COMPLETE');
    expect((await componentsOf(prod, forced))['HTTP Client']?.version).toBe('26.12.0');

    await platform.control.advance('1h');
    expect(await requestStatus(prod, REQUEST, patient.id!)).toBe('WAITING_FOR_INACTIVITY');
    expect((await componentsOf(prod, waiting))['HTTP Client']?.version).toBe('26.11.0');
    await platform.control.activity(PROD, waiting, 0);
    await platform.control.advance('2s');
    expect(await requestStatus(prod, REQUEST, patient.id!)).toBe('RESTARTING');
    await platform.control.advance('1s');
    expect(await requestStatus(prod, REQUEST, patient.id!)).toBe('COMPLETE');
    expect((await componentsOf(prod, waiting))['HTTP Client']?.version).toBe('26.12.0');
  });

  it('R5 "your Atom may restart during this process": a molecule restarts node by node and shows the new version only after the last node', async () => {
    const { platform, prod } = await demo();
    const atomId = await runtimeId(prod, 'Prod East Molecule');
    const request = await requestVersions(prod, atomId, 'APPLY_PENDING', ['Atom']);
    const atom = () => prod.get<Atom>('Atom', atomId);
    await platform.control.advance('2s');
    expect((await atom()).cluster?.node?.map((n) => n.status)).toEqual(['RESTARTING', 'RUNNING', 'RUNNING']);
    await platform.control.advance('2s');
    expect((await atom()).cluster?.node?.map((n) => n.status)).toEqual(['RUNNING', 'RUNNING', 'RESTARTING']);
    expect((await atom()).currentVersion).toBe('26.11.0');
    await platform.control.advance('1s');
    expect(await requestStatus(prod, REQUEST, request.id!)).toBe('COMPLETE');
    expect((await atom()).currentVersion).toBe('26.12.0');
  });

  it('R5 an OFFLINE runtime takes the change when it next starts', async () => {
    const { platform, dev } = await demo();
    const atomId = await runtimeId(dev, 'Dev Spare Atom');
    const request = await requestVersions(dev, atomId, 'APPLY_PENDING', ['Atom']);
    await platform.control.advance('24h');
    expect(await requestStatus(dev, REQUEST, request.id!)).toBe('ACCEPTED');
    await platform.control.runtimeStatus(DEV, atomId, 'ONLINE');
    expect(await requestStatus(dev, REQUEST, request.id!)).toBe('WAITING_FOR_INACTIVITY');
    await platform.control.advance('3s');
    expect(await requestStatus(dev, REQUEST, request.id!)).toBe('COMPLETE');
    expect((await componentsOf(dev, atomId))['Atom']?.version).toBe('26.12.0');
  });
});

describe('R6 one outstanding request per component', () => {
  it('R6 "The Select Rollback Versions button disappears when any or all rollbacks are applied, regardless of when the Atom takes the updates": covered components offer nothing, and a second request for them is refused with 409', async () => {
    const { platform, dev } = await demo();
    const atomId = await runtimeId(dev, 'Dev Atom');
    await platform.control.activity(DEV, atomId, 1);
    const first = await requestVersions(dev, atomId, 'ROLLBACK', ['HTTP Client']);
    const components = await componentsOf(dev, atomId);
    expect(components['HTTP Client']).toMatchObject({ version: '26.12.0', outstandingRequestId: first.id });
    expect(components['HTTP Client']?.rollbackVersion).toBeUndefined();
    expect(components['HTTP Client']?.pendingVersion).toBeUndefined();
    expect(components['Atom']).toMatchObject({ rollbackVersion: '26.11.0' });

    const second = await refusal(requestVersions(dev, atomId, 'ROLLBACK', ['Atom', 'HTTP Client']));
    expect(second).toBeInstanceOf(ConflictError);
    expect(second.platformMessage).toContain(first.id!);
    await platform.control.activity(DEV, atomId, 0);
    await platform.control.advance('3s');
    expect((await requestVersions(dev, atomId, 'APPLY_PENDING', ['HTTP Client'])).status).toBe('ACCEPTED');
  });
});

describe('R7 the Platform Release', () => {
  it('R7 at the Platform Release every runtime moves to the released versions; pending and rollback versions clear, waiting requests are superseded', async () => {
    const { platform, prod } = await demo();
    const busy = await runtimeId(prod, 'Prod West Atom');
    await platform.control.activity(PROD, busy, 1);
    const overtaken = await requestVersions(prod, busy, 'APPLY_PENDING', ['HTTP Client']);
    await platform.control.setNow(PLATFORM_RELEASE);
    expect(await requestStatus(prod, REQUEST, overtaken.id!)).toBe('SUPERSEDED');
    for (const accountId of [PROD, DEV, EU]) {
      const client = platform.client(accountId, DEMO_ADMIN);
      const atoms = await client.queryAll<Atom>('Atom');
      const versions = await client.bulkGet<{
        AtomVersion: { name: string; version: string; pendingVersion?: string; rollbackVersion?: string }[];
      }>(
        'AtomVersions',
        atoms.map((a) => a.id),
      );
      for (const atom of atoms) {
        const entries = versions.items.get(atom.id)?.AtomVersion ?? [];
        expect(
          entries.map((c) => [c.name, c.version]),
          atom.name,
        ).toEqual([
          ['Atom', '26.12.0'],
          ['HTTP Client', '26.12.0'],
          ['Database', '26.12.0'],
          ['Salesforce', '26.11.2'],
          ['Disk v2', '26.10.0'],
        ]);
        expect(entries.filter((c) => c.pendingVersion ?? c.rollbackVersion)).toEqual([]);
      }
    }
  });
});

describe('R8 RuntimeReleaseSchedule', () => {
  it('R8 a FIRST-week schedule applies the pending Runtime Release updates on its day and hour in its time zone', async () => {
    const platform = await sims.scenario(smallScenario(), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const atomId = await runtimeId(client, 'Atom One');
    await client.update('RuntimeReleaseSchedule', atomId, {
      atomId,
      scheduleType: 'FIRST',
      dayOfWeek: 'TUESDAY',
      hourOfDay: 10,
      timeZone: 'Europe/Berlin',
    });
    await platform.control.setNow('2026-11-24T08:59:59Z');
    expect(await client.queryAll(REQUEST)).toEqual([]);
    await platform.control.setNow('2026-11-24T09:00:00Z'); // Tuesday 10:00 in Berlin
    const [scheduled] = await client.queryAll<AtomVersionUpdateRequest & { createdBy?: string }>(REQUEST);
    expect(scheduled).toMatchObject({
      atomId,
      action: 'APPLY_PENDING',
      components: ['Atom', 'HTTP Client', 'Database'],
      createdBy: 'platform@sim.atomsync.io',
    });
    await platform.control.advance('3s');
    const after = await componentsOf(client, atomId);
    expect([after['Atom']?.version, after['Database']?.version, after['Salesforce']?.version]).toEqual([
      '26.12.0',
      '26.12.0',
      '26.11.1',
    ]);
  });
});

describe('R9 a connector may require the runtime version', () => {
  it("R9 applying a connector's pending version that needs the runtime's pending version alone is refused; together with Atom it is accepted", async () => {
    const { prod } = await demo();
    const atomId = await runtimeId(prod, 'Prod West Atom');
    expect((await componentsOf(prod, atomId))['Database']).toMatchObject({
      pendingRequiresAtomVersion: '26.12.0',
    });
    const alone = await refusal(requestVersions(prod, atomId, 'APPLY_PENDING', ['Database']));
    expect(alone).toMatchObject({ code: 'BadRequest', status: 400 });
    expect(alone.platformMessage).toContain('requires Atom 26.12.0');
    const together = await requestVersions(prod, atomId, 'APPLY_PENDING', ['Atom', 'Database']);
    expect(together.status).toBe('ACCEPTED');
  });
});
