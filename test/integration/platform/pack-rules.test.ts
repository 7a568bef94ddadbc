// R10–R14 (docs/rules.md): integration pack releases, per-account versions, Apply Pending Updates, the
// install-base lock and reattaching, through atomsync's platform client against the simulator over HTTP.
// Test names quote the seed ("Applying pending integration pack updates") where a rule comes from it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  equals,
  ForbiddenError,
  PlatformError,
  type AtomSphereClient,
  type EnvironmentAtomAttachment,
  type IntegrationPackEnvironmentAttachment,
  type IntegrationPackPendingUpdateRequest,
} from '../../../controller/platform/index.js';
import { sendPlannedRequest } from '../../../controller/platform/execute.js';
import type { PlannedRequest } from '../../../controller/domain/types.js';
import {
  DEMO_ADMIN,
  DEMO_VIEWER,
  DEV,
  PROD,
  PUBLISHER,
  SALESFORCE_PACK,
  SALESFORCE_RELEASE_DATE,
  WORKDAY_PACK,
} from './support/demo-world.js';
import { environmentId, packId, packsOf, requestStatus, runtimeId } from './support/lookups.js';
import { Simulators, type Platform } from './support/simulators.js';

const PACK_REQUEST = 'IntegrationPackPendingUpdateRequest';
const sims = new Simulators();
let platform: Platform;
let publisher: AtomSphereClient;
let prod: AtomSphereClient;
let dev: AtomSphereClient;

beforeEach(async () => {
  platform = await sims.demo();
  publisher = platform.client(PUBLISHER, DEMO_ADMIN);
  prod = platform.client(PROD, DEMO_ADMIN);
  dev = platform.client(DEV, DEMO_ADMIN);
});
afterEach(() => sims.closeAll());

async function release(pack: string, body: object): Promise<{ requestId: string }> {
  return publisher.create('ReleaseIntegrationPack', { id: await packId(publisher, pack), ...body });
}

async function applyPendingUpdates(client: AtomSphereClient, atomId: string) {
  return client.create<IntegrationPackPendingUpdateRequest>(PACK_REQUEST, { atomId });
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

/** The demo's scheduled Salesforce to NetSuite release: its id is not on any public object, so from /_sim/state. */
async function demoPendingReleaseId(): Promise<string> {
  const state = (await platform.control.state()) as {
    packReleases: Record<string, { releaseOnDate?: string }>;
  };
  const [id] = Object.entries(state.packReleases).find(
    ([, r]) => Date.parse(r.releaseOnDate ?? '') === Date.parse(SALESFORCE_RELEASE_DATE),
  )!;
  return id;
}

describe('R10 releases to the install base', () => {
  it('R10 "A testing period, which occurs before the scheduled date of your integration pack, allows you to manually apply updates in managed accounts where the integration pack is installed": a dated release is pending in every install until its date, then applied to all', async () => {
    const created = await release(WORKDAY_PACK, {
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2026-12-01',
    });
    const prodWest = await runtimeId(prod, 'Prod West Atom');
    const qa = await runtimeId(dev, 'QA Molecule');
    expect((await packsOf(prod, prodWest))[WORKDAY_PACK]).toMatchObject({ version: 12, pendingVersion: 13 });
    expect((await packsOf(dev, qa))[WORKDAY_PACK]).toMatchObject({ version: 5, pendingVersion: 6 });

    await platform.control.setNow('2026-12-01T00:00:00Z');
    const inProd = (await packsOf(prod, prodWest))[WORKDAY_PACK];
    expect(inProd?.version).toBe(13);
    expect(inProd?.pendingVersion).toBeUndefined();
    expect((await packsOf(dev, qa))[WORKDAY_PACK]?.version).toBe(6);
    expect(await publisher.get('ReleaseIntegrationPackStatus', created.requestId)).toMatchObject({
      releaseStatus: 'SUCCESS',
    });
  });

  it('R10 only one update per pack is pending at a time: a second dated release is refused with 409', async () => {
    const refused = await refusal(
      release(SALESFORCE_PACK, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-12-20' }),
    );
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.platformMessage).toContain('only one update per pack is pending at a time');
  });

  it('R10 "This update occurs either when the testing period ends or the developer releases a new update on an immediate basis, whichever comes first": an IMMEDIATELY release reaches every install at once and supersedes the pending one', async () => {
    const pendingReleaseId = await demoPendingReleaseId();
    const immediate = await release(SALESFORCE_PACK, { releaseSchedule: 'IMMEDIATELY' });
    expect((await packsOf(prod, await runtimeId(prod, 'Prod West Atom')))[SALESFORCE_PACK]).toMatchObject({
      version: 9,
    });
    expect((await packsOf(prod, await runtimeId(prod, 'Staging Atom')))[SALESFORCE_PACK]).toMatchObject({
      version: 9,
    });
    expect((await packsOf(dev, await runtimeId(dev, 'Dev Atom')))[SALESFORCE_PACK]).toMatchObject({
      version: 5,
    });
    const statuses = await publisher.bulkGet('ReleaseIntegrationPackStatus', [
      pendingReleaseId,
      immediate.requestId,
    ]);
    expect(statuses.items.get(pendingReleaseId)).toMatchObject({
      releaseStatus: 'ERROR',
      supersededByRequestId: immediate.requestId,
    });
    expect(statuses.items.get(immediate.requestId)).toMatchObject({ releaseStatus: 'SUCCESS' });
  });

  it('R10 only the publisher can release its pack', async () => {
    const refused = await refusal(
      prod.create('ReleaseIntegrationPack', {
        id: await packId(prod, WORKDAY_PACK),
        releaseSchedule: 'IMMEDIATELY',
      }),
    );
    expect(refused).toBeInstanceOf(ForbiddenError);
  });
});

describe('R11 versions count the releases to each account', () => {
  it('R11 the same pending release carries version 8 in acme-prod and 4 in acme-dev', async () => {
    const inProd = (await packsOf(prod, await runtimeId(prod, 'Prod West Atom')))[SALESFORCE_PACK];
    const inDev = (await packsOf(dev, await runtimeId(dev, 'Dev Atom')))[SALESFORCE_PACK];
    expect([inProd?.version, inProd?.pendingVersion]).toEqual([7, 8]);
    expect([inDev?.version, inDev?.pendingVersion]).toEqual([3, 4]);
    expect(inProd?.releaseOnDate).toBe(SALESFORCE_RELEASE_DATE);
    expect(inDev?.releaseOnDate).toBe(SALESFORCE_RELEASE_DATE);
  });
});

describe('R12 Apply Pending Updates', () => {
  it('R12 "If there are pending updates to integration packs, the new version numbers appear in the Pending Version column": pending pack versions are invisible without an attached runtime', async () => {
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const qa = await runtimeId(dev, 'QA Molecule');
    expect((await packsOf(dev, devAtom))[SALESFORCE_PACK]).toMatchObject({ version: 3, pendingVersion: 4 });
    const onQa = (await packsOf(dev, qa))[SALESFORCE_PACK];
    expect(onQa?.applyBlockedReason).toBe('NOT_ATTACHED');
    expect(onQa?.pendingVersion).toBeUndefined();
    const refused = await refusal(applyPendingUpdates(dev, qa));
    expect(refused.status).toBe(400);
    expect(refused.platformMessage).toContain('No pending integration pack update is visible');

    const [attachment] = await dev.queryAll<EnvironmentAtomAttachment>(
      'EnvironmentAtomAttachment',
      equals('atomId', devAtom),
    );
    await dev.delete('EnvironmentAtomAttachment', attachment!.id!);
    const detached = (await packsOf(dev, devAtom))[SALESFORCE_PACK];
    expect(detached?.applyBlockedReason).toBe('NOT_ATTACHED');
    expect(detached?.pendingVersion).toBeUndefined();
    const unattached = await refusal(applyPendingUpdates(dev, devAtom));
    expect(unattached.platformMessage).toContain('is not attached to an environment');
  });

  it('R12 "Click Apply Pending Updates": Apply Pending Updates takes every pending pack on the runtime at once', async () => {
    await release(WORKDAY_PACK, {
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2026-12-20',
    });
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const created = await applyPendingUpdates(dev, devAtom);
    expect(created.status).toBe('ACCEPTED');
    expect(created.IntegrationPack?.map((m) => [m.fromVersion, m.toVersion])).toEqual([
      [3, 4],
      [5, 6],
    ]);
    await platform.control.advance('2s');
    expect(await requestStatus(dev, PACK_REQUEST, created.id!)).toBe('COMPLETE');
    const after = await packsOf(dev, devAtom);
    expect([after[SALESFORCE_PACK]?.version, after[WORKDAY_PACK]?.version]).toEqual([4, 6]);
    expect([after[SALESFORCE_PACK]?.pendingVersion, after[WORKDAY_PACK]?.pendingVersion]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('R12 "Your integration packs is updated shortly. The amount of time that it takes varies based on the activity on the Atom": pack updates wait for runtime inactivity', async () => {
    const devAtom = await runtimeId(dev, 'Dev Atom');
    await platform.control.activity(DEV, devAtom, 2);
    const created = await applyPendingUpdates(dev, devAtom);
    await platform.control.advance('10m');
    expect(await requestStatus(dev, PACK_REQUEST, created.id!)).toBe('WAITING_FOR_INACTIVITY');
    expect((await packsOf(dev, devAtom))[SALESFORCE_PACK]).toMatchObject({
      version: 3,
      outstandingRequestId: created.id,
    });
    await platform.control.activity(DEV, devAtom, 0);
    await platform.control.advance('2s');
    expect(await requestStatus(dev, PACK_REQUEST, created.id!)).toBe('COMPLETE');
    expect((await packsOf(dev, devAtom))[SALESFORCE_PACK]?.version).toBe(4);
  });

  it('R12 "If you have the Atom Management Read Access privilege, you cannot perform the task": the read-only credential cannot apply pending pack updates (403 naming ATOM_MANAGEMENT)', async () => {
    const viewer = platform.client(DEV, DEMO_VIEWER);
    const devAtom = await runtimeId(viewer, 'Dev Atom');
    expect((await packsOf(viewer, devAtom))[SALESFORCE_PACK]).toMatchObject({ pendingVersion: 4 });
    const refused = await refusal(applyPendingUpdates(viewer, devAtom));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused.platformMessage).toContain('requires the ATOM_MANAGEMENT privilege');
    expect(await viewer.queryAll(PACK_REQUEST)).toEqual([]);
  });
});

describe('R13 the install-base lock', () => {
  it('R13 "After you apply pending updates, you cannot apply another update of a given integration pack until the same update is applied across the integration pack\'s install base": after an early apply, no other update of that pack until the release date', async () => {
    await release(WORKDAY_PACK, {
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2026-12-20',
    });
    const qa = await runtimeId(dev, 'QA Molecule');
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const early = await applyPendingUpdates(dev, qa);
    expect(early.IntegrationPack?.map((m) => [m.fromVersion, m.toVersion])).toEqual([[5, 6]]);
    await platform.control.advance('2s');
    expect((await packsOf(dev, qa))[WORKDAY_PACK]).toMatchObject({ version: 6, appliedEarly: true });

    const locked = (await packsOf(dev, devAtom))[WORKDAY_PACK];
    expect(locked).toMatchObject({ version: 5, pendingVersion: 6, applyBlockedReason: 'INSTALL_BASE_LOCK' });
    const onlySalesforce = await applyPendingUpdates(dev, devAtom);
    expect(onlySalesforce.IntegrationPack?.map((m) => [m.fromVersion, m.toVersion])).toEqual([[3, 4]]);
    await platform.control.advance('2s');
    const refused = await refusal(applyPendingUpdates(dev, devAtom));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.platformMessage).toContain('until that update reaches the whole install base');

    await platform.control.setNow('2026-12-20T00:00:00Z');
    const released = (await packsOf(dev, devAtom))[WORKDAY_PACK];
    expect(released?.version).toBe(6);
    expect(released?.applyBlockedReason).toBeUndefined();
  });

  it('R13 "This update occurs either when the testing period ends or the developer releases a new update on an immediate basis, whichever comes first": a newer immediate release lifts the lock', async () => {
    const prodWest = await runtimeId(prod, 'Prod West Atom');
    expect((await packsOf(prod, prodWest))[SALESFORCE_PACK]).toMatchObject({
      version: 7,
      pendingVersion: 8,
      applyBlockedReason: 'INSTALL_BASE_LOCK',
    });
    expect(await refusal(applyPendingUpdates(prod, prodWest))).toBeInstanceOf(ConflictError);
    await release(SALESFORCE_PACK, { releaseSchedule: 'IMMEDIATELY' });
    const after = (await packsOf(prod, prodWest))[SALESFORCE_PACK];
    expect(after?.version).toBe(9);
    expect(after?.applyBlockedReason).toBeUndefined();
    expect(after?.pendingVersion).toBeUndefined();
  });
});

describe('R14 detaching and reattaching', () => {
  it('R14 "If you detach and reattach an integration pack to an environment after accepting the pending version, updates made in the pending version are not maintained in the integration pack but rather are applied according to the specified release date": detach and reattach drops the early update', async () => {
    const staging = await runtimeId(prod, 'Staging Atom');
    const early = (await packsOf(prod, staging))[SALESFORCE_PACK]!;
    expect(early).toMatchObject({ version: 8, appliedEarly: true });

    await prod.delete('IntegrationPackEnvironmentAttachment', early.integrationPackEnvironmentAttachmentId!);
    expect((await packsOf(prod, staging))[SALESFORCE_PACK]?.applyBlockedReason).toBe('NOT_ATTACHED');
    await prod.create<IntegrationPackEnvironmentAttachment>('IntegrationPackEnvironmentAttachment', {
      integrationPackInstanceId: early.integrationPackInstanceId,
      environmentId: await environmentId(prod, 'Staging'),
    });
    const reattached = (await packsOf(prod, staging))[SALESFORCE_PACK];
    expect(reattached).toMatchObject({
      version: 7,
      pendingVersion: 8,
      applyBlockedReason: 'INSTALL_BASE_LOCK',
    });
    expect(reattached?.appliedEarly).toBeUndefined();

    await platform.control.setNow(SALESFORCE_RELEASE_DATE);
    expect((await packsOf(prod, staging))[SALESFORCE_PACK]?.version).toBe(8);
  });

  it("R14 atomsync's ReattachPack request (detach, then attach, through the client) puts an early-applied pack back on the released version", async () => {
    const staging = await runtimeId(prod, 'Staging Atom');
    const early = (await packsOf(prod, staging))[SALESFORCE_PACK]!;
    const request: PlannedRequest = {
      accountId: PROD,
      runtimeId: staging,
      runtimeName: 'Staging Atom',
      kind: 'ReattachPack',
      components: [SALESFORCE_PACK],
      packs: [
        {
          integrationPackInstanceId: early.integrationPackInstanceId,
          name: SALESFORCE_PACK,
          fromVersion: 8,
          toVersion: 7,
        },
      ],
      environmentId: await environmentId(prod, 'Staging'),
      wave: 0,
      keys: [],
    };
    const sent = await sendPlannedRequest(prod, request);
    expect(sent.status).toBe('COMPLETE');
    expect((await packsOf(prod, staging))[SALESFORCE_PACK]).toMatchObject({
      version: 7,
      integrationPackEnvironmentAttachmentId: sent.id,
    });
  });
});
