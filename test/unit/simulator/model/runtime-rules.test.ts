// R1–R9: runtimes, their components, pending/rollback versions and update requests, in-process.
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  componentsOf,
  demoWorld,
  DEV,
  EU,
  PROD,
  refusal,
  requestStatus,
  requestVersions,
  smallAdmin,
  smallWorld,
  VIEWER,
} from './world-fixtures.js';
import { SMALL } from '../../../support/simulator/small-scenario.js';

const SECOND = 1000;

describe('R1 runtimes and environments', () => {
  it('R1 a runtime is an ATOM, MOLECULE (nodes) or CLOUD, each in one environment classified PROD or TEST', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atoms = world.handler('Atom').list!(ctx);
    const byName = Object.fromEntries(atoms.map((a) => [a['name'], a]));
    expect(byName['Prod West Atom']?.['type']).toBe('ATOM');
    expect(byName['Prod East Molecule']?.['type']).toBe('MOLECULE');
    expect((byName['Prod East Molecule']?.['cluster'] as { node: unknown[] }).node).toHaveLength(3);
    expect((byName['Acme Private Cloud']?.['cluster'] as { node: unknown[] }).node).toHaveLength(2);
    const environments = world.handler('Environment').list!(ctx).map((e) => [e['name'], e['classification']]);
    expect(environments).toEqual([
      ['Production', 'PROD'],
      ['Staging', 'TEST'],
    ]);
    const attachments = world.handler('EnvironmentAtomAttachment').list!(ctx);
    expect(new Set(attachments.map((a) => a['atomId'])).size).toBe(attachments.length);
  });

  it('R1 attaching a runtime to another environment moves it there (it is never in two)', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    const staging = world.environmentId(PROD, 'Staging');
    const created = world.handler('EnvironmentAtomAttachment').create!(ctx, {
      atomId,
      environmentId: staging,
    });
    expect(created.body).toMatchObject({
      '@type': 'EnvironmentAtomAttachment',
      atomId,
      environmentId: staging,
    });
    const mine = world.handler('EnvironmentAtomAttachment').list!(ctx).filter((a) => a['atomId'] === atomId);
    expect(mine.map((a) => a['environmentId'])).toEqual([staging]);
  });
});

describe('R2 components and the release calendar', () => {
  it("R2 a runtime's components are the runtime itself (listed as Atom) and its connectors", async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const body = world.handler('AtomConnectorVersions').get!(ctx, world.runtimeId(PROD, 'Prod West Atom'));
    expect(body?.['ConnectorVersion']).toEqual([
      { '@type': 'ConnectorVersion', name: 'Atom', version: '26.11.0' },
      { '@type': 'ConnectorVersion', name: 'HTTP Client', version: '26.11.0' },
      { '@type': 'ConnectorVersion', name: 'Database', version: '26.11.0' },
      { '@type': 'ConnectorVersion', name: 'Salesforce', version: '26.11.1' },
      { '@type': 'ConnectorVersion', name: 'Disk v2', version: '26.10.0' },
    ]);
  });

  it('R2 Runtime Release pending versions appear when the window opens; an Early Access release at any time', async () => {
    const world = await smallWorld((s) => {
      s.calendar.runtimeReleaseWindowOpens = '2026-11-25T00:00:00Z';
    });
    const atomId = world.runtimeId(SMALL.accountId, 'Atom One');
    const before = componentsOf(world, smallAdmin(world), atomId);
    expect(before['Atom']?.pendingVersion).toBeUndefined();
    expect(before['Salesforce']).toMatchObject({ pendingVersion: '26.11.2', pendingSource: 'EARLY_ACCESS' });
    world.setClock(new Date('2026-11-25T00:00:00Z'));
    const after = componentsOf(world, smallAdmin(world), atomId);
    expect(after['Atom']).toMatchObject({ pendingVersion: '26.12.0', pendingSource: 'RUNTIME_RELEASE' });
  });
});

describe('R3 pending and rollback versions', () => {
  it('R3 "If you applied a Runtime release or early access update and are using a more recent version than the currently released version, version numbers appear in the Rollback Version column": rollback versions appear only after an early apply', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    expect(componentsOf(world, ctx, atomId)['HTTP Client']).toMatchObject({ pendingVersion: '26.12.0' });
    expect(componentsOf(world, ctx, atomId)['HTTP Client']?.rollbackVersion).toBeUndefined();
    requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    world.advanceClock(3 * SECOND);
    const after = componentsOf(world, ctx, atomId)['HTTP Client'];
    expect(after).toMatchObject({ version: '26.12.0', rollbackVersion: '26.11.0' });
    expect(after?.pendingVersion).toBeUndefined();
  });

  it('R3 "you can remove the updates and go back to the currently released version": a rollback returns to the released version and the pending version is offered again', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, DEV);
    const atomId = world.runtimeId(DEV, 'Dev Atom');
    const before = componentsOf(world, ctx, atomId);
    expect(before['Atom']).toMatchObject({ version: '26.12.0', rollbackVersion: '26.11.0' });
    expect(before['HTTP Client']).toMatchObject({ version: '26.12.0', rollbackVersion: '26.11.0' });
    requestVersions(world, ctx, atomId, 'ROLLBACK', ['Atom', 'HTTP Client']);
    world.advanceClock(3 * SECOND);
    const after = componentsOf(world, ctx, atomId);
    expect(after['Atom']).toMatchObject({ version: '26.11.0', pendingVersion: '26.12.0' });
    expect(after['HTTP Client']).toMatchObject({ version: '26.11.0', pendingVersion: '26.12.0' });
    expect(after['Atom']?.rollbackVersion).toBeUndefined();
  });

  it('R3 a component on its released version has no rollback version to go back to', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const { status, message } = refusal(() =>
      requestVersions(world, ctx, world.runtimeId(PROD, 'Prod West Atom'), 'ROLLBACK', ['Salesforce']),
    );
    expect(status).toBe(400);
    expect(message).toContain('has no rollback version');
  });
});

describe('R4 privileges and ownership', () => {
  it('R4 "If you have the Atom Management Read Access privilege, you cannot perform the task": viewer\'s rollback request is refused with 403', async () => {
    const world = await demoWorld();
    const ctx = world.context(VIEWER, DEV);
    const { status, message } = refusal(() =>
      requestVersions(world, ctx, world.runtimeId(DEV, 'Dev Atom'), 'ROLLBACK', ['Atom']),
    );
    expect(status).toBe(403);
    expect(message).toContain('requires the ATOM_MANAGEMENT privilege');
    expect(message).toContain('only ATOM_MANAGEMENT_READ_ONLY');
  });

  it('R4 "You must have the Atom Management privilege to perform this task": a read-only user cannot apply pending versions but can read them', async () => {
    const world = await demoWorld();
    const ctx = world.context(VIEWER, EU);
    const atomId = world.runtimeId(EU, 'EU Atom');
    expect(componentsOf(world, ctx, atomId)['Atom']).toMatchObject({ pendingVersion: '26.12.0' });
    const { status, message } = refusal(() => requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']));
    expect(status).toBe(403);
    expect(message).toContain('requires the ATOM_MANAGEMENT privilege');
    expect(world.handler('AtomVersionUpdateRequest').list!(ctx)).toEqual([]);
  });

  it('R4 a runtime on a public Atom Cloud the account does not own cannot be changed', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Public Cloud US East');
    const atom = world.handler('Atom').get!(ctx, atomId);
    expect(atom).toMatchObject({
      isCloudAttachment: true,
      cloudName: 'Public Cloud US East',
      cloudOwnerName: 'boomi-public',
    });
    const { status, message } = refusal(() => requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']));
    expect(status).toBe(403);
    expect(message).toContain('is owned by account boomi-cloud-000000 and cannot be changed');
  });
});

describe('R5 requests wait for inactivity and restart the runtime', () => {
  it('R5 "It waits for a period of inactivity before applying the updates unless you have enabled a \\"Force Restart Time\\" on your Atom": a busy runtime keeps the request waiting', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    world.setActivity(PROD, atomId, 3);
    const created = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    expect(created['status']).toBe('ACCEPTED');
    world.advanceClock(3_600 * SECOND);
    expect(requestStatus(world, ctx, created['id'])).toBe('WAITING_FOR_INACTIVITY');
    expect(componentsOf(world, ctx, atomId)['HTTP Client']?.version).toBe('26.11.0');
    world.setActivity(PROD, atomId, 0);
    world.advanceClock(2 * SECOND - 1);
    expect(requestStatus(world, ctx, created['id'])).toBe('WAITING_FOR_INACTIVITY');
    world.advanceClock(1);
    expect(requestStatus(world, ctx, created['id'])).toBe('RESTARTING');
    world.advanceClock(SECOND);
    expect(requestStatus(world, ctx, created['id'])).toBe('COMPLETE');
    expect(componentsOf(world, ctx, atomId)['HTTP Client']?.version).toBe('26.12.0');
  });

  it('R5 "unless you have enabled a \\"Force Restart Time\\" on your Atom": with forceRestartTime the restart starts at most that long after the request, busy or not', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    world.handler('Atom').update!(ctx, atomId, { id: atomId, forceRestartTime: 60_000 });
    world.setActivity(PROD, atomId, 5);
    const created = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    world.advanceClock(60 * SECOND - 1);
    expect(requestStatus(world, ctx, created['id'])).toBe('WAITING_FOR_INACTIVITY');
    world.advanceClock(1);
    expect(requestStatus(world, ctx, created['id'])).toBe('RESTARTING');
    world.advanceClock(SECOND);
    expect(componentsOf(world, ctx, atomId)['HTTP Client']?.version).toBe('26.12.0');
  });

  it('R5 "your Atom may restart during this process": a molecule restarts node by node and shows the new version only after the last node', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod East Molecule');
    const created = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']);
    world.advanceClock(2 * SECOND);
    const restartingNodes = () =>
      (
        (world.handler('Atom').get!(ctx, atomId)?.['cluster'] as { node: { status: string }[] }).node ?? []
      ).map((n) => n.status);
    expect(restartingNodes()).toEqual(['RESTARTING', 'RUNNING', 'RUNNING']);
    world.advanceClock(SECOND);
    expect(restartingNodes()).toEqual(['RUNNING', 'RESTARTING', 'RUNNING']);
    world.advanceClock(SECOND);
    expect(restartingNodes()).toEqual(['RUNNING', 'RUNNING', 'RESTARTING']);
    expect(world.handler('Atom').get!(ctx, atomId)?.['currentVersion']).toBe('26.11.0');
    world.advanceClock(SECOND);
    expect(requestStatus(world, ctx, created['id'])).toBe('COMPLETE');
    expect(world.handler('Atom').get!(ctx, atomId)?.['currentVersion']).toBe('26.12.0');
  });

  it('R5 "An OFFLINE runtime takes the change when it next starts": the request stays ACCEPTED until the runtime is ONLINE', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, DEV);
    const atomId = world.runtimeId(DEV, 'Dev Spare Atom');
    const created = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']);
    world.advanceClock(24 * 3_600 * SECOND);
    expect(requestStatus(world, ctx, created['id'])).toBe('ACCEPTED');
    world.setRuntimeStatus(DEV, atomId, 'ONLINE');
    expect(requestStatus(world, ctx, created['id'])).toBe('WAITING_FOR_INACTIVITY');
    world.advanceClock(3 * SECOND);
    expect(requestStatus(world, ctx, created['id'])).toBe('COMPLETE');
    expect(componentsOf(world, ctx, atomId)['Atom']?.version).toBe('26.12.0');
  });

  it('R5 an injected fault ends the request FAILED and leaves the versions unchanged', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    world.failNextRequests(PROD, atomId, 1);
    const failing = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    world.advanceClock(3 * SECOND);
    expect(requestStatus(world, ctx, failing['id'])).toBe('FAILED');
    expect(componentsOf(world, ctx, atomId)['HTTP Client']).toMatchObject({
      version: '26.11.0',
      pendingVersion: '26.12.0',
    });
    const next = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    world.advanceClock(3 * SECOND);
    expect(requestStatus(world, ctx, next['id'])).toBe('COMPLETE');
  });
});

describe('R6 one outstanding request per component', () => {
  it('R6 "The Select Rollback Versions button disappears when any or all rollbacks are applied, regardless of when the Atom takes the updates": components under a request offer no selection', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, DEV);
    const atomId = world.runtimeId(DEV, 'Dev Atom');
    world.setActivity(DEV, atomId, 1);
    const created = requestVersions(world, ctx, atomId, 'ROLLBACK', ['HTTP Client']);
    const covered = componentsOf(world, ctx, atomId)['HTTP Client'];
    expect(covered).toMatchObject({ version: '26.12.0', outstandingRequestId: created['id'] });
    expect(covered?.rollbackVersion).toBeUndefined();
    expect(covered?.pendingVersion).toBeUndefined();
    expect(componentsOf(world, ctx, atomId)['Atom']).toMatchObject({ rollbackVersion: '26.11.0' });
  });

  it('R6 a second request for a component already covered is refused with 409 until the first is taken', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    const first = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    const { status, message } = refusal(() =>
      requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom', 'HTTP Client']),
    );
    expect(status).toBe(409);
    expect(message).toContain(String(first['id']));
    world.advanceClock(3 * SECOND);
    const second = requestVersions(world, ctx, atomId, 'ROLLBACK', ['HTTP Client']);
    expect(second['status']).toBe('ACCEPTED');
  });
});

describe('R7 the Platform Release', () => {
  it('R7 at the Platform Release every runtime moves to the released versions; pending and rollback versions clear', async () => {
    const world = await demoWorld();
    const prod = world.context(ADMIN, PROD);
    const busy = world.runtimeId(PROD, 'Prod West Atom');
    world.setActivity(PROD, busy, 1);
    const overtaken = requestVersions(world, prod, busy, 'APPLY_PENDING', ['HTTP Client']);
    world.setClock(new Date('2026-12-05T02:00:00Z'));
    expect(requestStatus(world, prod, overtaken['id'])).toBe('SUPERSEDED');
    for (const account of [PROD, DEV, EU]) {
      const ctx = world.context(ADMIN, account);
      for (const atom of world.handler('Atom').list!(ctx)) {
        const components = Object.values(componentsOf(world, ctx, String(atom['id'])));
        expect(components.map((c) => [c.name, c.version])).toEqual([
          ['Atom', '26.12.0'],
          ['HTTP Client', '26.12.0'],
          ['Database', '26.12.0'],
          ['Salesforce', '26.11.2'],
          ['Disk v2', '26.10.0'],
        ]);
        expect(
          components.every((c) => c.pendingVersion === undefined && c.rollbackVersion === undefined),
        ).toBe(true);
      }
    }
  });
});

describe('R8 RuntimeReleaseSchedule', () => {
  const schedule = (world: Awaited<ReturnType<typeof smallWorld>>, body: Record<string, unknown>) =>
    world.handler('RuntimeReleaseSchedule').update!(
      smallAdmin(world),
      world.runtimeId(SMALL.accountId, 'Atom One'),
      {
        atomId: world.runtimeId(SMALL.accountId, 'Atom One'),
        ...body,
      },
    );

  it('R8 a FIRST-week schedule applies the pending Runtime Release updates on its day and hour in its time zone', async () => {
    const world = await smallWorld();
    const atomId = world.runtimeId(SMALL.accountId, 'Atom One');
    schedule(world, {
      scheduleType: 'FIRST',
      dayOfWeek: 'TUESDAY',
      hourOfDay: 10,
      timeZone: 'Europe/Berlin',
    });
    world.setClock(new Date('2026-11-24T08:59:59Z'));
    expect(world.handler('AtomVersionUpdateRequest').list!(smallAdmin(world))).toEqual([]);
    world.setClock(new Date('2026-11-24T09:00:00Z')); // Tuesday 10:00 in Berlin (CET)
    const [request] = world.handler('AtomVersionUpdateRequest').list!(smallAdmin(world));
    expect(request).toMatchObject({
      action: 'APPLY_PENDING',
      components: ['Atom', 'HTTP Client', 'Database'],
    });
    world.advanceClock(3 * SECOND);
    const after = componentsOf(world, smallAdmin(world), atomId);
    expect([after['Atom']?.version, after['Database']?.version, after['Salesforce']?.version]).toEqual([
      '26.12.0',
      '26.12.0',
      '26.11.1',
    ]);
  });

  it('R8 a LAST-week schedule waits for the second week of the Runtime Release window', async () => {
    const world = await smallWorld();
    schedule(world, { scheduleType: 'LAST', dayOfWeek: 'TUESDAY', hourOfDay: 10, timeZone: 'Europe/Berlin' });
    world.setClock(new Date('2026-11-30T00:00:00Z'));
    expect(world.handler('AtomVersionUpdateRequest').list!(smallAdmin(world))).toEqual([]);
    world.setClock(new Date('2026-12-01T09:00:00Z'));
    expect(world.handler('AtomVersionUpdateRequest').list!(smallAdmin(world))).toHaveLength(1);
  });

  it('R8 NEVER (the default) leaves the runtime to the Platform Release', async () => {
    const world = await smallWorld();
    const atomId = world.runtimeId(SMALL.accountId, 'Atom One');
    expect(world.handler('RuntimeReleaseSchedule').get!(smallAdmin(world), atomId)).toEqual({
      '@type': 'RuntimeReleaseSchedule',
      atomId,
      scheduleType: 'NEVER',
      dayOfWeek: 'SUNDAY',
      timeZone: 'Etc/UTC',
    });
    world.setClock(new Date('2026-12-05T01:59:59Z'));
    expect(world.handler('AtomVersionUpdateRequest').list!(smallAdmin(world))).toEqual([]);
    expect(componentsOf(world, smallAdmin(world), atomId)['Atom']?.version).toBe('26.11.0');
  });

  it('R8 a schedule needs a day, an hour and a valid time zone, and only for runtimes the account owns', async () => {
    const world = await smallWorld();
    expect(
      refusal(() =>
        schedule(world, { scheduleType: 'FIRST', dayOfWeek: 'FUNDAY', hourOfDay: 1, timeZone: 'UTC' }),
      ).message,
    ).toContain('dayOfWeek');
    expect(
      refusal(() =>
        schedule(world, { scheduleType: 'LAST', dayOfWeek: 'MONDAY', hourOfDay: 1, timeZone: 'Mars/Base' }),
      ).message,
    ).toContain('timeZone');
    const demo = await demoWorld();
    const cloud = demo.runtimeId(PROD, 'Public Cloud US East');
    const { status } = refusal(() =>
      demo.handler('RuntimeReleaseSchedule').update!(demo.context(ADMIN, PROD), cloud, {
        atomId: cloud,
        scheduleType: 'FIRST',
        dayOfWeek: 'MONDAY',
        hourOfDay: 1,
        timeZone: 'UTC',
      }),
    );
    expect(status).toBe(403);
  });
});

describe('R9 a connector may require the runtime version', () => {
  it('R9 applying Database 26.12.0 alone is refused with 400 naming the Atom version it requires', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    expect(componentsOf(world, ctx, atomId)['Database']).toMatchObject({
      pendingRequiresAtomVersion: '26.12.0',
    });
    const { status, message } = refusal(() =>
      requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Database']),
    );
    expect(status).toBe(400);
    expect(message).toContain('requires Atom 26.12.0');
  });

  it('R9 Database is accepted together with Atom, or alone on a runtime already on Atom 26.12.0', async () => {
    const world = await demoWorld();
    const prod = world.context(ADMIN, PROD);
    const together = requestVersions(world, prod, world.runtimeId(PROD, 'Prod West Atom'), 'APPLY_PENDING', [
      'Atom',
      'Database',
    ]);
    expect(together['status']).toBe('ACCEPTED');
    const dev = world.context(ADMIN, DEV);
    const alone = requestVersions(world, dev, world.runtimeId(DEV, 'Dev Atom'), 'APPLY_PENDING', [
      'Database',
    ]);
    expect(alone['status']).toBe('ACCEPTED');
  });

  it('R9 rolling the Atom back alone is refused while a connector needs the newer Atom', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, DEV);
    const atomId = world.runtimeId(DEV, 'Dev Atom');
    requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Database']);
    world.advanceClock(3 * SECOND);
    const { status, message } = refusal(() => requestVersions(world, ctx, atomId, 'ROLLBACK', ['Atom']));
    expect(status).toBe(400);
    expect(message).toContain('roll back "Database" in the same request');
    expect(requestVersions(world, ctx, atomId, 'ROLLBACK', ['Atom', 'Database'])['status']).toBe('ACCEPTED');
  });
});
