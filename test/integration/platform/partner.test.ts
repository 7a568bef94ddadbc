// The partner form: a client with partnerAccountId calls /partner/api/rest/v1/{partner}/…?overrideAccount=
// {account}. The publisher may act on its managed (child) accounts, and on no other.
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  ForbiddenError,
  PlatformError,
  readPrincipal,
  type Atom,
  type AtomVersionUpdateRequest,
} from '../../../controller/platform/index.js';
import { observeAccount } from '../../../controller/platform/observe.js';
import { BOOMI_PUBLIC, DEMO_ADMIN, DEMO_VIEWER, EU, PROD, PUBLISHER } from './support/demo-world.js';
import { componentsOf, runtimeId } from './support/lookups.js';
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

const viaPublisher = (accountId: string, user = DEMO_ADMIN) =>
  platform.client(accountId, user, { partnerAccountId: PUBLISHER, fetchImpl: wire.fetchImpl });

it('the publisher reads a managed account through the partner form', async () => {
  const client = viaPublisher(PROD);
  const atoms = await client.queryAll<Atom>('Atom');
  expect(atoms).toHaveLength(5);
  const { url } = wire.last('POST', 'Atom/query');
  expect(url).toBe(`${platform.url}/partner/api/rest/v1/${PUBLISHER}/Atom/query?overrideAccount=${PROD}`);
  const snapshot = await observeAccount(
    { accountId: PROD, client },
    { runtimes: [{ name: 'Staging Atom' }], withPacks: [] },
  );
  expect(snapshot.error).toBeUndefined();
  expect(snapshot.principal.privileges).toEqual(['API', 'ATOM_MANAGEMENT']);
  const staging = snapshot.runtimes.find((r) => r.name === 'Staging Atom');
  expect(staging?.components.find((c) => c.name === 'Salesforce')).toMatchObject({
    rollbackVersion: '26.11.1',
  });
});

it('the publisher changes a managed account through the partner form; the change lands in that account', async () => {
  const client = viaPublisher(PROD);
  const atomId = await runtimeId(client, 'Prod West Atom');
  const created = await client.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', {
    atomId,
    action: 'APPLY_PENDING',
    components: ['HTTP Client'],
  });
  const direct = platform.client(PROD, DEMO_ADMIN);
  expect((await componentsOf(direct, atomId))['HTTP Client']).toMatchObject({
    outstandingRequestId: created.id,
  });
  expect(await platform.client(PUBLISHER, DEMO_ADMIN).queryAll('AtomVersionUpdateRequest')).toEqual([]);
});

it("the partner form keeps the user's privileges in the managed account: the viewer still cannot write", async () => {
  const client = viaPublisher(EU, DEMO_VIEWER);
  expect(await readPrincipal(client)).toEqual({
    userId: DEMO_VIEWER.userId,
    privileges: ['API', 'ATOM_MANAGEMENT_READ_ONLY'],
  });
  const atomId = await runtimeId(client, 'EU Atom');
  const refused = await client
    .create('AtomVersionUpdateRequest', { atomId, action: 'APPLY_PENDING', components: ['Atom'] })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(ForbiddenError);
});

it('an account that is not a child of the partner is refused with 403', async () => {
  const client = viaPublisher(BOOMI_PUBLIC);
  const refused = await client.queryAll('Atom').catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(ForbiddenError);
  expect((refused as PlatformError).platformMessage).toBe(
    `Account ${PUBLISHER} is not a partner of account ${BOOMI_PUBLIC}.`,
  );
  const sibling = platform.client(EU, DEMO_ADMIN, { partnerAccountId: PROD });
  expect(await sibling.queryAll('Atom').catch((error: unknown) => error)).toBeInstanceOf(ForbiddenError);
});
