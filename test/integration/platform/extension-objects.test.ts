// atomsync's extension objects (docs/platform-api.md, "Extension objects"), called through the platform
// client over HTTP: the versions a runtime shows, apply-pending/rollback requests, pack versions and Apply
// Pending Updates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  equals,
  and,
  type AtomSphereClient,
  type AtomVersions,
  type AtomVersionUpdateRequest,
  type IntegrationPackPendingUpdateRequest,
  type IntegrationPackVersions,
} from '../../../controller/platform/index.js';
import { DEMO_ADMIN, DEV, PROD, SALESFORCE_PACK, WORKDAY_PACK } from './support/demo-world.js';
import { componentsOf, packId, runtimeId } from './support/lookups.js';
import { recordingFetch, type RecordingFetch } from './support/recording-fetch.js';
import { Simulators, type Platform } from './support/simulators.js';

const sims = new Simulators();
let platform: Platform;
let wire: RecordingFetch;

beforeEach(async () => {
  platform = await sims.demo();
  wire = recordingFetch();
});
afterEach(() => sims.closeAll());

const clientOf = (accountId: string): AtomSphereClient =>
  platform.client(accountId, DEMO_ADMIN, { fetchImpl: wire.fetchImpl });

describe('AtomVersions', () => {
  it('GET shows per component the current, pending and rollback versions, the pending source and R9 needs', async () => {
    const prod = clientOf(PROD);
    const stagingId = await runtimeId(prod, 'Staging Atom');
    const body = await prod.get<AtomVersions>('AtomVersions', stagingId);
    expect(body).toMatchObject({ '@type': 'AtomVersions', atomId: stagingId });
    const byName = Object.fromEntries(body.AtomVersion.map((c) => [c.name, c]));
    expect(byName['Atom']).toMatchObject({
      version: '26.11.0',
      pendingVersion: '26.12.0',
      pendingSource: 'RUNTIME_RELEASE',
    });
    expect(byName['Database']).toMatchObject({
      pendingVersion: '26.12.0',
      pendingRequiresAtomVersion: '26.12.0',
    });
    expect(byName['Salesforce']).toMatchObject({ version: '26.11.2', rollbackVersion: '26.11.1' });
    expect(byName['Salesforce']?.pendingVersion).toBeUndefined();
    expect(byName['Disk v2']).toEqual({
      '@type': 'AtomVersion',
      name: 'Disk v2',
      version: '26.10.0',
      lastUpdated: '2026-11-23T08:00:00Z',
    });
  });

  it('bulk reads several runtimes in one call and reports an unknown id as a per-item 400, as the document shows', async () => {
    const prod = clientOf(PROD);
    const ids = [await runtimeId(prod, 'Prod West Atom'), await runtimeId(prod, 'Staging Atom')];
    const result = await prod.bulkGet<AtomVersions>('AtomVersions', [...ids, 'no-such-runtime']);
    expect(prod.stats.byVerb.BULK).toBe(1);
    expect([...result.items.keys()]).toEqual(ids);
    expect(result.errors).toEqual([
      expect.objectContaining({
        id: 'no-such-runtime',
        statusCode: 400,
        message: expect.stringContaining('is invalid'),
      }),
    ]);
  });
});

describe('AtomVersionUpdateRequest', () => {
  it('CREATE answers 202 ACCEPTED; GET and QUERY follow it through WAITING_FOR_INACTIVITY and RESTARTING to COMPLETE', async () => {
    const prod = clientOf(PROD);
    const atomId = await runtimeId(prod, 'Prod West Atom');
    const created = await prod.create<AtomVersionUpdateRequest & Record<string, unknown>>(
      'AtomVersionUpdateRequest',
      { atomId, action: 'APPLY_PENDING', components: ['Atom', 'HTTP Client'] },
    );
    expect(wire.last('POST', 'AtomVersionUpdateRequest').status).toBe(202);
    expect(created).toMatchObject({
      '@type': 'AtomVersionUpdateRequest',
      atomId,
      action: 'APPLY_PENDING',
      components: ['Atom', 'HTTP Client'],
      status: 'ACCEPTED',
      createdBy: DEMO_ADMIN.userId,
      createdDate: '2026-11-23T08:00:00Z',
      VersionChange: [
        { '@type': 'VersionChange', name: 'Atom', fromVersion: '26.11.0', toVersion: '26.12.0' },
        { '@type': 'VersionChange', name: 'HTTP Client', fromVersion: '26.11.0', toVersion: '26.12.0' },
      ],
    });
    const id = created.id!;
    const status = async () =>
      (await prod.get<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', id)).status;
    expect(await status()).toBe('WAITING_FOR_INACTIVITY');

    const waiting = await prod.queryAll<AtomVersionUpdateRequest>(
      'AtomVersionUpdateRequest',
      and(equals('atomId', atomId), equals('status', 'WAITING_FOR_INACTIVITY')),
    );
    expect(waiting.map((r) => r.id)).toEqual([id]);

    await platform.control.advance('2s');
    expect(await status()).toBe('RESTARTING');
    await platform.control.advance('1s');
    expect(await status()).toBe('COMPLETE');
    expect(
      await prod.queryAll('AtomVersionUpdateRequest', equals('status', 'WAITING_FOR_INACTIVITY')),
    ).toEqual([]);
    expect((await componentsOf(prod, atomId))['Atom']).toMatchObject({
      version: '26.12.0',
      rollbackVersion: '26.11.0',
    });
  });

  it('QUERY by action and bulk GET read back the requests of the account', async () => {
    const dev = clientOf(DEV);
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const rollback = await dev.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', {
      atomId: devAtom,
      action: 'ROLLBACK',
      components: ['HTTP Client'],
    });
    const found = await dev.queryAll<AtomVersionUpdateRequest>(
      'AtomVersionUpdateRequest',
      equals('action', 'ROLLBACK'),
    );
    expect(found.map((r) => r.id)).toEqual([rollback.id]);
    const bulk = await dev.bulkGet<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', [rollback.id!]);
    expect(bulk.items.get(rollback.id!)).toMatchObject({ action: 'ROLLBACK', components: ['HTTP Client'] });
    expect(await clientOf(PROD).queryAll('AtomVersionUpdateRequest')).toEqual([]);
  });
});

describe('IntegrationPackVersions', () => {
  it('GET and bulk list every pack instance of the account per runtime, with pending version and release date', async () => {
    const dev = clientOf(DEV);
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const qa = await runtimeId(dev, 'QA Molecule');
    const body = await dev.get<IntegrationPackVersions>('IntegrationPackVersions', devAtom);
    expect(body).toMatchObject({ '@type': 'IntegrationPackVersions', atomId: devAtom });
    const byName = Object.fromEntries(body.IntegrationPackVersion.map((p) => [p.name, p]));
    expect(byName[SALESFORCE_PACK]).toMatchObject({
      integrationPackId: await packId(dev, SALESFORCE_PACK),
      version: 3,
      pendingVersion: 4,
      releaseOnDate: '2026-12-10T00:00:00Z',
    });
    expect(byName[WORKDAY_PACK]).toMatchObject({ version: 5 });
    expect(byName[WORKDAY_PACK]?.pendingVersion).toBeUndefined();

    const bulk = await dev.bulkGet<IntegrationPackVersions>('IntegrationPackVersions', [devAtom, qa]);
    const onQa = bulk.items.get(qa)?.IntegrationPackVersion.find((p) => p.name === SALESFORCE_PACK);
    expect(onQa).toMatchObject({ applyBlockedReason: 'NOT_ATTACHED' });
  });
});

describe('IntegrationPackPendingUpdateRequest', () => {
  it('CREATE answers 202 with the packs it moves; GET and QUERY follow it to COMPLETE', async () => {
    const dev = clientOf(DEV);
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const created = await dev.create<IntegrationPackPendingUpdateRequest & Record<string, unknown>>(
      'IntegrationPackPendingUpdateRequest',
      { atomId: devAtom },
    );
    expect(wire.last('POST', 'IntegrationPackPendingUpdateRequest').status).toBe(202);
    expect(created).toMatchObject({
      atomId: devAtom,
      status: 'ACCEPTED',
      IntegrationPack: [expect.objectContaining({ fromVersion: 3, toVersion: 4 })],
    });
    const id = created.id!;
    expect(
      (await dev.get<IntegrationPackPendingUpdateRequest>('IntegrationPackPendingUpdateRequest', id)).status,
    ).toBe('WAITING_FOR_INACTIVITY');
    const byAtom = await dev.queryAll<IntegrationPackPendingUpdateRequest>(
      'IntegrationPackPendingUpdateRequest',
      equals('atomId', devAtom),
    );
    expect(byAtom.map((r) => r.id)).toEqual([id]);
    await platform.control.advance('2s');
    expect(
      (await dev.get<IntegrationPackPendingUpdateRequest>('IntegrationPackPendingUpdateRequest', id)).status,
    ).toBe('COMPLETE');
    const complete = await dev.queryAll('IntegrationPackPendingUpdateRequest', equals('status', 'COMPLETE'));
    expect(complete).toHaveLength(1);
  });
});
