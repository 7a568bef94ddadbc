// R10–R14: integration pack releases, per-account versions, Apply Pending Updates, the install-base lock
// and reattaching, in-process.
import { describe, expect, it } from 'vitest';
import type { World } from '../../../../simulator/model/world.js';
import {
  ADMIN,
  applyPendingPacks,
  demoWorld,
  DEV,
  packRequestStatus,
  packsOf,
  PROD,
  PUBLISHER,
  refusal,
  VIEWER,
} from './world-fixtures.js';

const SECOND = 1000;
const SALESFORCE = 'Salesforce to NetSuite';
const WORKDAY = 'Workday Sync';

function packId(world: World, name: string): string {
  const pack = world.handler('IntegrationPack').list!(world.context(ADMIN, PUBLISHER)).find(
    (p) => p['name'] === name,
  );
  return String(pack?.['id']);
}

function release(world: World, name: string, body: Record<string, unknown>) {
  return world.handler('ReleaseIntegrationPack').create!(world.context(ADMIN, PUBLISHER), {
    id: packId(world, name),
    ...body,
  }).body;
}

function releaseStatus(world: World, requestId: unknown) {
  return world.handler('ReleaseIntegrationPackStatus').get!(
    world.context(ADMIN, PUBLISHER),
    String(requestId),
  );
}

const devAtom = (world: World) => world.runtimeId(DEV, 'Dev Atom');
const qaMolecule = (world: World) => world.runtimeId(DEV, 'QA Molecule');
const prodWest = (world: World) => world.runtimeId(PROD, 'Prod West Atom');
const stagingAtom = (world: World) => world.runtimeId(PROD, 'Staging Atom');

describe('R10 releases to the install base', () => {
  it('R10 "A testing period, which occurs before the scheduled date of your integration pack, allows you to manually apply updates in managed accounts where the integration pack is installed": a dated release is pending everywhere until its date, then applied to all', async () => {
    const world = await demoWorld();
    const created = release(world, WORKDAY, {
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2026-12-01',
    });
    expect(created).toMatchObject({
      '@type': 'ReleaseIntegrationPack',
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2026-12-01',
    });
    expect(releaseStatus(world, created['requestId'])).toMatchObject({
      releaseStatus: 'SCHEDULED',
      responseStatusCode: 202,
    });
    const prod = world.context(ADMIN, PROD);
    const dev = world.context(ADMIN, DEV);
    expect(packsOf(world, prod, prodWest(world))[WORKDAY]).toMatchObject({ version: 12, pendingVersion: 13 });
    expect(packsOf(world, dev, qaMolecule(world))[WORKDAY]).toMatchObject({ version: 5, pendingVersion: 6 });
    world.setClock(new Date('2026-12-01T00:00:00Z'));
    expect(packsOf(world, prod, prodWest(world))[WORKDAY]).toMatchObject({ version: 13 });
    expect(packsOf(world, prod, prodWest(world))[WORKDAY]?.pendingVersion).toBeUndefined();
    expect(packsOf(world, dev, qaMolecule(world))[WORKDAY]?.version).toBe(6);
    expect(releaseStatus(world, created['requestId'])).toMatchObject({
      releaseStatus: 'SUCCESS',
      responseStatusCode: 200,
    });
  });

  it('R10 an IMMEDIATELY release reaches every install at once', async () => {
    const world = await demoWorld();
    const created = release(world, WORKDAY, { releaseSchedule: 'IMMEDIATELY' });
    expect(releaseStatus(world, created['requestId'])).toMatchObject({ releaseStatus: 'SUCCESS' });
    expect(packsOf(world, world.context(ADMIN, PROD), prodWest(world))[WORKDAY]?.version).toBe(13);
    expect(packsOf(world, world.context(ADMIN, DEV), devAtom(world))[WORKDAY]?.version).toBe(6);
  });

  it('R10 only one update per pack is pending at a time', async () => {
    const world = await demoWorld();
    const { status, message } = refusal(() =>
      release(world, SALESFORCE, {
        releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
        releaseOnDate: '2026-12-20',
      }),
    );
    expect(status).toBe(409);
    expect(message).toContain('only one update per pack is pending at a time');
  });

  it('R10 "This update occurs either when the testing period ends or the developer releases a new update on an immediate basis, whichever comes first": an immediate release supersedes the pending one', async () => {
    const world = await demoWorld();
    const created = release(world, SALESFORCE, { releaseSchedule: 'IMMEDIATELY' });
    const prod = world.context(ADMIN, PROD);
    expect(packsOf(world, prod, prodWest(world))[SALESFORCE]).toMatchObject({ version: 9 });
    expect(packsOf(world, prod, stagingAtom(world))[SALESFORCE]).toMatchObject({ version: 9 });
    expect(packsOf(world, prod, prodWest(world))[SALESFORCE]?.applyBlockedReason).toBeUndefined();
    expect(packsOf(world, world.context(ADMIN, DEV), devAtom(world))[SALESFORCE]).toMatchObject({
      version: 5,
    });
    const superseded = Object.values(world.snapshot().packReleases).find(
      (r) => r.releaseOnDate !== undefined,
    );
    expect(superseded).toMatchObject({ status: 'ERROR', supersededBy: created['requestId'] });
    expect(world.pendingEvents().some((e) => e.kind === 'pack-release-date')).toBe(false);
  });

  it('R10 only the publisher can release its pack', async () => {
    const world = await demoWorld();
    const { status } = refusal(
      () =>
        world.handler('ReleaseIntegrationPack').create!(world.context(ADMIN, PROD), {
          id: packId(world, WORKDAY),
          releaseSchedule: 'IMMEDIATELY',
        }).body,
    );
    expect(status).toBe(403);
  });
});

describe('R11 versions count the releases to each account', () => {
  it('R11 the same pending release carries version 8 in acme-prod and 4 in acme-dev', async () => {
    const world = await demoWorld();
    const inProd = packsOf(world, world.context(ADMIN, PROD), prodWest(world))[SALESFORCE];
    const inDev = packsOf(world, world.context(ADMIN, DEV), devAtom(world))[SALESFORCE];
    expect([inProd?.version, inProd?.pendingVersion]).toEqual([7, 8]);
    expect([inDev?.version, inDev?.pendingVersion]).toEqual([3, 4]);
    expect(inProd?.releaseOnDate).toBe(inDev?.releaseOnDate);
  });
});

describe('R12 Apply Pending Updates', () => {
  it('R12 "If there are pending updates to integration packs, the new version numbers appear in the Pending Version column": pending pack versions are invisible without an attached runtime', async () => {
    const world = await demoWorld();
    const dev = world.context(ADMIN, DEV);
    expect(packsOf(world, dev, devAtom(world))[SALESFORCE]).toMatchObject({ version: 3, pendingVersion: 4 });
    const onQa = packsOf(world, dev, qaMolecule(world))[SALESFORCE];
    expect(onQa?.applyBlockedReason).toBe('NOT_ATTACHED');
    expect(onQa?.pendingVersion).toBeUndefined();
    const { status, message } = refusal(() => applyPendingPacks(world, dev, qaMolecule(world)));
    expect(status).toBe(400);
    expect(message).toContain('No pending integration pack update is visible');
  });

  it('R12 "Click Apply Pending Updates": Apply Pending Updates takes every pending pack on the runtime at once', async () => {
    const world = await demoWorld();
    release(world, WORKDAY, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-12-20' });
    const dev = world.context(ADMIN, DEV);
    const created = applyPendingPacks(world, dev, devAtom(world));
    expect(created['status']).toBe('ACCEPTED');
    const moves = (created['IntegrationPack'] as { fromVersion: number; toVersion: number }[]).map((m) => [
      m.fromVersion,
      m.toVersion,
    ]);
    expect(moves).toEqual([
      [3, 4],
      [5, 6],
    ]);
    world.advanceClock(2 * SECOND);
    expect(packRequestStatus(world, dev, created['id'])).toBe('COMPLETE');
    const after = packsOf(world, dev, devAtom(world));
    expect([after[SALESFORCE]?.version, after[WORKDAY]?.version]).toEqual([4, 6]);
    expect(after[SALESFORCE]?.pendingVersion).toBeUndefined();
    expect(after[WORKDAY]?.pendingVersion).toBeUndefined();
  });

  it('R12 "The amount of time that it takes varies based on the activity on the Atom": pack updates wait for runtime inactivity', async () => {
    const world = await demoWorld();
    const dev = world.context(ADMIN, DEV);
    world.setActivity(DEV, devAtom(world), 2);
    const created = applyPendingPacks(world, dev, devAtom(world));
    world.advanceClock(600 * SECOND);
    expect(packRequestStatus(world, dev, created['id'])).toBe('WAITING_FOR_INACTIVITY');
    expect(packsOf(world, dev, devAtom(world))[SALESFORCE]).toMatchObject({
      version: 3,
      outstandingRequestId: created['id'],
    });
    world.setActivity(DEV, devAtom(world), 0);
    world.advanceClock(2 * SECOND);
    expect(packRequestStatus(world, dev, created['id'])).toBe('COMPLETE');
    expect(packsOf(world, dev, devAtom(world))[SALESFORCE]?.version).toBe(4);
  });

  it('R12 "If you have the Atom Management Read Access privilege, you cannot perform the task": a read-only user cannot apply pending pack updates', async () => {
    const world = await demoWorld();
    const { status, message } = refusal(() =>
      applyPendingPacks(world, world.context(VIEWER, DEV), devAtom(world)),
    );
    expect(status).toBe(403);
    expect(message).toContain('requires the ATOM_MANAGEMENT privilege');
  });
});

describe('R13 the install-base lock', () => {
  it('R13 "After you apply pending updates, you cannot apply another update of a given integration pack until the same update is applied across the integration pack\'s install base": Production is locked until the release date', async () => {
    const world = await demoWorld();
    const prod = world.context(ADMIN, PROD);
    expect(packsOf(world, prod, stagingAtom(world))[SALESFORCE]).toMatchObject({
      version: 8,
      appliedEarly: true,
    });
    expect(packsOf(world, prod, prodWest(world))[SALESFORCE]).toMatchObject({
      version: 7,
      pendingVersion: 8,
      applyBlockedReason: 'INSTALL_BASE_LOCK',
    });
    const { status, message } = refusal(() => applyPendingPacks(world, prod, prodWest(world)));
    expect(status).toBe(409);
    expect(message).toContain('until that update reaches the whole install base');
    world.setClock(new Date('2026-12-10T00:00:00Z'));
    const after = packsOf(world, prod, prodWest(world))[SALESFORCE];
    expect(after?.version).toBe(8);
    expect(after?.applyBlockedReason).toBeUndefined();
    expect(after?.pendingVersion).toBeUndefined();
  });

  it("R13 applying early in one environment locks the same pack in the account's other environments", async () => {
    const world = await demoWorld();
    const dev = world.context(ADMIN, DEV);
    release(world, WORKDAY, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-12-20' });
    applyPendingPacks(world, dev, qaMolecule(world));
    world.advanceClock(2 * SECOND);
    expect(packsOf(world, dev, qaMolecule(world))[WORKDAY]).toMatchObject({ version: 6, appliedEarly: true });
    expect(packsOf(world, dev, devAtom(world))[WORKDAY]).toMatchObject({
      version: 5,
      pendingVersion: 6,
      applyBlockedReason: 'INSTALL_BASE_LOCK',
    });
    expect(packsOf(world, dev, devAtom(world))[SALESFORCE]?.applyBlockedReason).toBeUndefined();
  });
});

describe('R14 detaching and reattaching', () => {
  it('R14 "If you detach and reattach an integration pack to an environment after accepting the pending version, updates made in the pending version are not maintained in the integration pack but rather are applied according to the specified release date": detach and reattach drops the early update', async () => {
    const world = await demoWorld();
    const prod = world.context(ADMIN, PROD);
    const early = packsOf(world, prod, stagingAtom(world))[SALESFORCE]!;
    const handler = world.handler('IntegrationPackEnvironmentAttachment');
    handler.delete!(prod, early.integrationPackEnvironmentAttachmentId!);
    expect(packsOf(world, prod, stagingAtom(world))[SALESFORCE]?.applyBlockedReason).toBe('NOT_ATTACHED');
    handler.create!(prod, {
      integrationPackInstanceId: early.integrationPackInstanceId,
      environmentId: world.environmentId(PROD, 'Staging'),
    });
    const reattached = packsOf(world, prod, stagingAtom(world))[SALESFORCE];
    expect(reattached).toMatchObject({
      version: 7,
      pendingVersion: 8,
      applyBlockedReason: 'INSTALL_BASE_LOCK',
    });
    expect(reattached?.appliedEarly).toBeUndefined();
    world.setClock(new Date('2026-12-10T00:00:00Z'));
    expect(packsOf(world, prod, stagingAtom(world))[SALESFORCE]?.version).toBe(8);
  });
});
