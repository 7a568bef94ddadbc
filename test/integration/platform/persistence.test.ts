// The simulator keeps its world in a state file: changes made through the client, and requests still in
// flight, survive a restart of the simulator on the same file.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  NotFoundError,
  type Atom,
  type AtomVersionUpdateRequest,
} from '../../../controller/platform/index.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { DEMO_ADMIN, PROD, PUBLISHER, WORKDAY_PACK } from './support/demo-world.js';
import { componentsOf, packId, packsOf, requestStatus, runtimeId } from './support/lookups.js';
import { Simulators } from './support/simulators.js';

const sims = new Simulators();
let dir: string;
let stateFile: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'atomsync-platform-state-'));
  stateFile = path.join(dir, 'world.json');
});
afterEach(async () => {
  await sims.closeAll();
  await rm(dir, { recursive: true, force: true });
});

it('changes made through the client and a request in flight survive a restart on the same state file, and the request completes', async () => {
  const first = await sims.demo({ stateFile });
  const prod = first.client(PROD, DEMO_ADMIN);
  const westId = await runtimeId(prod, 'Prod West Atom');
  const stagingId = await runtimeId(prod, 'Staging Atom');
  await prod.update('Atom', westId, { id: westId, name: 'Prod West (renamed)', forceRestartTime: 120_000 });
  await first.control.activity(PROD, stagingId, 2);
  const inFlight = await prod.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', {
    atomId: stagingId,
    action: 'ROLLBACK',
    components: ['Salesforce'],
  });
  const publisher = first.client(PUBLISHER, DEMO_ADMIN);
  await publisher.create('ReleaseIntegrationPack', {
    id: await packId(publisher, WORKDAY_PACK),
    releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
    releaseOnDate: '2026-12-01',
  });
  await first.control.advance('1h');
  await first.close();

  const second = await sims.demo({ stateFile });
  const again = second.client(PROD, DEMO_ADMIN);
  expect(await second.control.now()).toBe('2026-11-23T09:00:00.000Z');
  expect(await again.get<Atom>('Atom', westId)).toMatchObject({
    name: 'Prod West (renamed)',
    forceRestartTime: 120_000,
  });
  expect((await packsOf(again, westId))[WORKDAY_PACK]).toMatchObject({ version: 12, pendingVersion: 13 });
  expect(await requestStatus(again, 'AtomVersionUpdateRequest', inFlight.id!)).toBe('WAITING_FOR_INACTIVITY');

  await second.control.activity(PROD, stagingId, 0);
  await second.control.advance('2s');
  expect(await requestStatus(again, 'AtomVersionUpdateRequest', inFlight.id!)).toBe('RESTARTING');
  await second.control.advance('1s');
  expect(await requestStatus(again, 'AtomVersionUpdateRequest', inFlight.id!)).toBe('COMPLETE');
  expect((await componentsOf(again, stagingId))['Salesforce']).toMatchObject({
    version: '26.11.1',
    pendingVersion: '26.11.2',
  });

  const next = await again.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', {
    atomId: westId,
    action: 'APPLY_PENDING',
    components: ['HTTP Client'],
  });
  expect(next.id).not.toBe(inFlight.id);
});

it('a platform started without the extension objects stays without them after a restart (the state file wins over the scenario)', async () => {
  const first = await sims.scenario({ ...smallScenario(), platform: { extensions: false } }, SMALL.admin, {
    stateFile,
  });
  const atomId = await runtimeId(first.client(SMALL.accountId, SMALL.admin), 'Atom One');
  await first.close();

  const second = await sims.scenario(smallScenario(), SMALL.admin, { stateFile });
  const refused = await second
    .client(SMALL.accountId, SMALL.admin)
    .get('AtomVersions', atomId)
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(NotFoundError);
});
