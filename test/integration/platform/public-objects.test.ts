// Every public Boomi object, called through atomsync's platform client against the simulator over HTTP.
// The raw answers are validated against Boomi's OpenAPI schemas (the extract in simulator/openapi/).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  and,
  equals,
  PlatformError,
  type AccountUserRole,
  type Atom,
  type AtomConnectorVersions,
  type AtomSphereClient,
  type AuditLog,
  type Environment,
  type EnvironmentAtomAttachment,
  type IntegrationPack,
  type IntegrationPackEnvironmentAttachment,
  type IntegrationPackInstance,
  type Role,
  type RuntimeReleaseSchedule,
} from '../../../controller/platform/index.js';
import { DEMO_ADMIN, EU, PROD, PUBLISHER, SALESFORCE_PACK, WORKDAY_PACK } from './support/demo-world.js';
import { environmentId, packId, runtimeId } from './support/lookups.js';
import { recordingFetch, type RecordingFetch } from './support/recording-fetch.js';
import { Simulators, type Platform } from './support/simulators.js';
import { expectOnlyFields, expectWire } from './support/wire-assertions.js';

const sims = new Simulators();
let platform: Platform;
let wire: RecordingFetch;
let prod: AtomSphereClient;

beforeEach(async () => {
  platform = await sims.demo();
  wire = recordingFetch();
  prod = platform.client(PROD, DEMO_ADMIN, { fetchImpl: wire.fetchImpl });
});
afterEach(() => sims.closeAll());

const clientOf = (accountId: string) => platform.client(accountId, DEMO_ADMIN, { fetchImpl: wire.fetchImpl });

describe('Atom', () => {
  it('QUERY, GET and bulk return every runtime of the account in the Atom shape', async () => {
    const atoms = await prod.queryAll<Atom>('Atom');
    expectWire('AtomQueryResponse', wire.last('POST', 'Atom/query').body);
    expect(atoms.map((a) => a.name).sort()).toEqual([
      'Acme Private Cloud',
      'Prod East Molecule',
      'Prod West Atom',
      'Public Cloud US East',
      'Staging Atom',
    ]);

    const molecule = atoms.find((a) => a.name === 'Prod East Molecule')!;
    const one = await prod.get<Atom>('Atom', molecule.id);
    expectWire('Atom', one);
    expect(one).toMatchObject({ type: 'MOLECULE', status: 'ONLINE', currentVersion: '26.11.0' });
    expect(one.cluster?.node).toHaveLength(3);

    const bulk = await prod.bulkGet<Atom>(
      'Atom',
      atoms.map((a) => a.id),
    );
    expectWire('AtomBulkResponse', wire.last('POST', 'Atom/bulk').body);
    expect(bulk.items.size).toBe(5);
    expect(bulk.items.get(await runtimeId(prod, 'Public Cloud US East'))).toMatchObject({
      type: 'CLOUD',
      isCloudAttachment: true,
      cloudName: 'Public Cloud US East',
      cloudOwnerName: 'boomi-public',
    });
  });

  it('QUERY filters on the properties and operators of AtomSimpleExpression', async () => {
    const molecules = await prod.queryAll<Atom>('Atom', equals('type', 'MOLECULE'));
    expect(molecules.map((a) => a.name)).toEqual(['Prod East Molecule']);
    const withAtom = await prod.queryAll<Atom>('Atom', {
      property: 'name',
      operator: 'CONTAINS',
      argument: ['Atom'],
    });
    expect(withAtom.map((a) => a.name).sort()).toEqual(['Prod West Atom', 'Staging Atom']);
    const refused = await prod
      .queryAll<Atom>('Atom', { property: 'name', operator: 'STARTS_WITH', argument: ['Prod'] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlatformError);
    expect((refused as PlatformError).status).toBe(400);
  });

  it('UPDATE changes the four fields Boomi lists, purge settings included, and refuses any other', async () => {
    const id = await runtimeId(prod, 'Prod West Atom');
    const updated = await prod.update<Atom>('Atom', id, { id, name: 'Prod West', forceRestartTime: 90_000 });
    expectWire('Atom', updated);
    expect(updated).toMatchObject({ id, name: 'Prod West', forceRestartTime: 90_000, type: 'ATOM' });
    expect(await prod.get<Atom>('Atom', id)).toMatchObject({ name: 'Prod West', forceRestartTime: 90_000 });
    // Issue 13: "Atom UPDATE refuses purgeHistoryDays and purgeImmediate".
    const purged = await prod.update<Atom>('Atom', id, { id, purgeHistoryDays: 7, purgeImmediate: true });
    expect(purged).toMatchObject({ purgeHistoryDays: 7, purgeImmediate: true, name: 'Prod West' });

    const refused = await prod.update('Atom', id, { id, type: 'MOLECULE' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BadRequest', status: 400 });
    expect((refused as PlatformError).platformMessage).toContain(
      'Only name, purgeHistoryDays, purgeImmediate and forceRestartTime',
    );
  });
});

describe('AtomConnectorVersions', () => {
  it('GET and bulk list the runtime itself as the component named Atom, next to its connectors', async () => {
    const stagingId = await runtimeId(prod, 'Staging Atom');
    const westId = await runtimeId(prod, 'Prod West Atom');
    const staging = await prod.get<AtomConnectorVersions>('AtomConnectorVersions', stagingId);
    expectWire('AtomConnectorVersions', staging);
    expect(staging.ConnectorVersion?.map((c) => [c.name, c.version])).toEqual([
      ['Atom', '26.11.0'],
      ['HTTP Client', '26.11.0'],
      ['Database', '26.11.0'],
      ['Salesforce', '26.11.2'],
      ['Disk v2', '26.10.0'],
    ]);
    const bulk = await prod.bulkGet<AtomConnectorVersions>('AtomConnectorVersions', [stagingId, westId]);
    expectWire('AtomConnectorVersionsBulkResponse', wire.last('POST', 'AtomConnectorVersions/bulk').body);
    expect(bulk.items.get(westId)?.ConnectorVersion?.find((c) => c.name === 'Salesforce')?.version).toBe(
      '26.11.1',
    );
  });
});

describe('Environment and EnvironmentAtomAttachment', () => {
  it('Environment GET, QUERY and bulk show each environment with its PROD or TEST classification', async () => {
    const environments = await prod.queryAll<Environment>('Environment');
    expectWire('EnvironmentQueryResponse', wire.last('POST', 'Environment/query').body);
    expect(environments.map((e) => [e.name, e.classification])).toEqual([
      ['Production', 'PROD'],
      ['Staging', 'TEST'],
    ]);
    const staging = await prod.get<Environment>('Environment', await environmentId(prod, 'Staging'));
    expectWire('Environment', staging);
    const bulk = await prod.bulkGet<Environment>(
      'Environment',
      environments.map((e) => e.id),
    );
    expectWire('EnvironmentBulkResponse', wire.last('POST', 'Environment/bulk').body);
    expect(bulk.items.size).toBe(2);
  });

  it('EnvironmentAtomAttachment QUERY, CREATE and DELETE attach, move and detach a runtime', async () => {
    const atomId = await runtimeId(prod, 'Prod West Atom');
    const staging = await environmentId(prod, 'Staging');
    const [before] = await prod.queryAll<EnvironmentAtomAttachment>(
      'EnvironmentAtomAttachment',
      equals('atomId', atomId),
    );
    expectWire(
      'EnvironmentAtomAttachmentQueryResponse',
      wire.last('POST', 'EnvironmentAtomAttachment/query').body,
    );
    expect(before?.environmentId).toBe(await environmentId(prod, 'Production'));

    const moved = await prod.create<EnvironmentAtomAttachment>('EnvironmentAtomAttachment', {
      atomId,
      environmentId: staging,
    });
    expectWire('EnvironmentAtomAttachment', moved);
    const after = await prod.queryAll<EnvironmentAtomAttachment>(
      'EnvironmentAtomAttachment',
      equals('atomId', atomId),
    );
    expect(after.map((a) => a.environmentId)).toEqual([staging]);

    await prod.delete('EnvironmentAtomAttachment', moved.id!);
    expect(await prod.queryAll('EnvironmentAtomAttachment', equals('atomId', atomId))).toEqual([]);
  });
});

describe('IntegrationPack, IntegrationPackInstance and IntegrationPackEnvironmentAttachment', () => {
  it("IntegrationPack GET, QUERY and bulk show the publisher's packs to a managed account", async () => {
    const packs = await prod.queryAll<IntegrationPack>('IntegrationPack');
    expectWire('IntegrationPackQueryResponse', wire.last('POST', 'IntegrationPack/query').body);
    expect(packs.map((p) => [p.name, p.installationType]).sort()).toEqual([
      [SALESFORCE_PACK, 'MULTI'],
      [WORKDAY_PACK, 'SINGLE'],
    ]);
    expectWire('IntegrationPack', await prod.get('IntegrationPack', packs[0]!.id));
    await prod.bulkGet(
      'IntegrationPack',
      packs.map((p) => p.id),
    );
    expectWire('IntegrationPackBulkResponse', wire.last('POST', 'IntegrationPack/bulk').body);
  });

  it('IntegrationPackInstance GET, QUERY by pack name, bulk, CREATE and DELETE', async () => {
    const [salesforce] = await prod.queryAll<IntegrationPackInstance>(
      'IntegrationPackInstance',
      equals('integrationPackName', SALESFORCE_PACK),
    );
    expectWire(
      'IntegrationPackInstanceQueryResponse',
      wire.last('POST', 'IntegrationPackInstance/query').body,
    );
    expect(salesforce?.integrationPackId).toBe(await packId(prod, SALESFORCE_PACK));
    expectWire('IntegrationPackInstance', await prod.get('IntegrationPackInstance', salesforce!.id));
    await prod.bulkGet('IntegrationPackInstance', [salesforce!.id]);
    expectWire('IntegrationPackInstanceBulkResponse', wire.last('POST', 'IntegrationPackInstance/bulk').body);

    const eu = clientOf(EU);
    const installed = await eu.create<IntegrationPackInstance>('IntegrationPackInstance', {
      integrationPackId: await packId(eu, WORKDAY_PACK),
    });
    expectWire('IntegrationPackInstance', installed);
    expect((await eu.queryAll('IntegrationPackInstance')).length).toBe(1);
    await eu.delete('IntegrationPackInstance', installed.id);
    expect(await eu.queryAll('IntegrationPackInstance')).toEqual([]);
  });

  it('IntegrationPackEnvironmentAttachment CREATE, QUERY and DELETE attach a pack instance to an environment', async () => {
    const eu = clientOf(EU);
    const instance = await eu.create<IntegrationPackInstance>('IntegrationPackInstance', {
      integrationPackId: await packId(eu, WORKDAY_PACK),
    });
    const environment = await environmentId(eu, 'EU Production');
    const attached = await eu.create<IntegrationPackEnvironmentAttachment>(
      'IntegrationPackEnvironmentAttachment',
      { environmentId: environment, integrationPackInstanceId: instance.id },
    );
    expectWire('IntegrationPackEnvironmentAttachment', attached);

    const found = await eu.queryAll<IntegrationPackEnvironmentAttachment>(
      'IntegrationPackEnvironmentAttachment',
      and(equals('environmentId', environment), equals('integrationPackInstanceId', instance.id)),
    );
    expectWire(
      'IntegrationPackEnvironmentAttachmentQueryResponse',
      wire.last('POST', 'IntegrationPackEnvironmentAttachment/query').body,
    );
    expect(found.map((a) => a.id)).toEqual([attached.id]);

    await eu.delete('IntegrationPackEnvironmentAttachment', attached.id!);
    expect(await eu.queryAll('IntegrationPackEnvironmentAttachment')).toEqual([]);
  });
});

describe('ReleaseIntegrationPack and ReleaseIntegrationPackStatus', () => {
  it('the publisher schedules a release, follows its status URL, and sees it SUCCESS on the release date', async () => {
    const publisher = clientOf(PUBLISHER);
    const release = await publisher.create<{ requestId: string; releaseStatusUrl: string }>(
      'ReleaseIntegrationPack',
      {
        id: await packId(publisher, WORKDAY_PACK),
        releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
        releaseOnDate: '2026-12-01',
      },
    );
    expectWire('ReleaseIntegrationPack', release);
    expect(release).toMatchObject({ name: WORKDAY_PACK, releaseOnDate: '2026-12-01' });
    expect(release.releaseStatusUrl).toBe(
      `/api/rest/v1/${PUBLISHER}/ReleaseIntegrationPackStatus/${release.requestId}`,
    );

    const scheduled = await publisher.get('ReleaseIntegrationPackStatus', release.requestId);
    expectWire('ReleaseIntegrationPackStatus', scheduled);
    expect(scheduled).toMatchObject({ releaseStatus: 'SCHEDULED', responseStatusCode: 202 });

    await platform.control.setNow('2026-12-01T00:00:00Z');
    const bulk = await publisher.bulkGet('ReleaseIntegrationPackStatus', [release.requestId]);
    expectWire(
      'ReleaseIntegrationPackStatusBulkResponse',
      wire.last('POST', 'ReleaseIntegrationPackStatus/bulk').body,
    );
    expect(bulk.items.get(release.requestId)).toMatchObject({
      releaseStatus: 'SUCCESS',
      responseStatusCode: 200,
    });
  });
});

describe('RuntimeReleaseSchedule and RuntimeRestartRequest', () => {
  it('RuntimeReleaseSchedule GET shows NEVER until UPDATE sets a week, day and hour; bulk reads several', async () => {
    const westId = await runtimeId(prod, 'Prod West Atom');
    const stagingId = await runtimeId(prod, 'Staging Atom');
    const never = await prod.get<RuntimeReleaseSchedule>('RuntimeReleaseSchedule', westId);
    expectWire('RuntimeReleaseSchedule', never);
    expect(never).toMatchObject({ atomId: westId, scheduleType: 'NEVER' });

    const schedule = {
      atomId: westId,
      scheduleType: 'LAST',
      dayOfWeek: 'SATURDAY',
      hourOfDay: 22,
      timeZone: 'Europe/Berlin',
    };
    const updated = await prod.update<RuntimeReleaseSchedule>('RuntimeReleaseSchedule', westId, schedule);
    expectWire('RuntimeReleaseSchedule', updated);
    expect(updated).toMatchObject(schedule);

    const bulk = await prod.bulkGet<RuntimeReleaseSchedule>('RuntimeReleaseSchedule', [westId, stagingId]);
    expectWire('RuntimeReleaseScheduleBulkResponse', wire.last('POST', 'RuntimeReleaseSchedule/bulk').body);
    expect([bulk.items.get(westId)?.scheduleType, bulk.items.get(stagingId)?.scheduleType]).toEqual([
      'LAST',
      'NEVER',
    ]);
  });

  it('RuntimeRestartRequest restarts a molecule node by node; the Atom object shows it', async () => {
    const id = await runtimeId(prod, 'Prod East Molecule');
    const restart = await prod.create('RuntimeRestartRequest', { runtimeId: id });
    expectWire('RuntimeRestartRequest', restart);
    expect(restart).toMatchObject({ runtimeId: id });
    const nodes = async () => (await prod.get<Atom>('Atom', id)).cluster?.node?.map((n) => n.status);
    expect((await prod.get<Atom>('Atom', id)).statusDetail).toBe('RESTARTING');
    expect(await nodes()).toEqual(['RESTARTING', 'RUNNING', 'RUNNING']);
    await platform.control.advance('1s');
    expect(await nodes()).toEqual(['RUNNING', 'RESTARTING', 'RUNNING']);
    await platform.control.advance('2s');
    expect(await nodes()).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
    expect((await prod.get<Atom>('Atom', id)).statusDetail).toBe('ONLINE_RUNNING');
  });
});

describe('Role, AccountUserRole and AuditLog', () => {
  it("Role GET, QUERY and bulk, and AccountUserRole QUERY, show the roles behind a user's privileges", async () => {
    const roles = await prod.queryAll<Role>('Role');
    expectWire('RoleQueryResponse', wire.last('POST', 'Role/query').body);
    expect(roles.map((r) => [r.name, r.Privileges?.Privilege?.map((p) => p.name)])).toEqual([
      ['Runtime Administrator', ['API', 'ATOM_MANAGEMENT']],
      ['Runtime Viewer', ['API', 'ATOM_MANAGEMENT_READ_ONLY']],
    ]);
    expectWire('Role', await prod.get('Role', roles[0]!.id));
    await prod.bulkGet(
      'Role',
      roles.map((r) => r.id),
    );
    expectWire('RoleBulkResponse', wire.last('POST', 'Role/bulk').body);

    const [assignment, ...others] = await prod.queryAll<AccountUserRole>(
      'AccountUserRole',
      equals('userId', DEMO_ADMIN.userId),
    );
    expect(others).toEqual([]);
    expectOnlyFields(assignment!, [
      'id',
      'accountId',
      'userId',
      'roleId',
      'firstName',
      'lastName',
      'notifyUser',
    ]);
    expect(assignment).toMatchObject({ accountId: PROD, userId: DEMO_ADMIN.userId, roleId: roles[0]!.id });
  });

  it('AuditLog QUERY finds who changed which runtime, when, with the previous and new values', async () => {
    const id = await runtimeId(prod, 'Prod West Atom');
    await prod.update('Atom', id, { id, forceRestartTime: 60_000 });
    const records = await prod.queryAll<AuditLog & { message?: string }>(
      'AuditLog',
      and(equals('containerId', id), equals('type', 'as.atom.properties'), equals('action', 'SAVE')),
    );
    expect(records).toHaveLength(1);
    const [record] = records;
    expectOnlyFields(record!, [
      'documentId',
      'accountId',
      'userId',
      'date',
      'type',
      'action',
      'modifier',
      'level',
      'source',
      'containerId',
      'message',
      'AuditLogProperty',
    ]);
    expect(record).toMatchObject({
      accountId: PROD,
      userId: DEMO_ADMIN.userId,
      date: '2026-11-23T08:00:00Z',
      containerId: id,
    });
    expect(record?.AuditLogProperty).toEqual([
      expect.objectContaining({ name: 'forceRestartTime', value: '60000' }),
    ]);
    expect(await prod.get('AuditLog', record!.documentId!)).toEqual(record);
  });
});
