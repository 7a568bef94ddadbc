import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPrincipal } from '../../../controller/platform/principal.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, testClient } from './test-client.js';

let fake: FakePlatform;

beforeEach(async () => {
  fake = await FakePlatform.start();
  fake.put(
    'Role',
    {
      id: 'role-admin',
      name: 'Runtime Admin',
      Privileges: { Privilege: [{ name: 'ATOM_MANAGEMENT' }, { name: 'API' }] },
    },
    { id: 'role-api', name: 'API', Privileges: { Privilege: [{ name: 'API' }, { name: 'EXECUTE' }] } },
    { id: 'role-viewer', name: 'Viewer', Privileges: { Privilege: [{ name: 'ATOM_MANAGEMENT_READ_ONLY' }] } },
    {
      id: 'role-child',
      name: 'Child',
      parentId: 'role-viewer',
      Privileges: { Privilege: [{ name: 'API' }] },
    },
  );
});

afterEach(async () => {
  await fake.close();
});

describe('readPrincipal', () => {
  it("unites the privileges of the user's roles with one query and one bulk GET", async () => {
    fake.put(
      'AccountUserRole',
      { userId: 'admin@test', roleId: 'role-admin' },
      { userId: 'admin@test', roleId: 'role-api' },
      { userId: 'viewer@test', roleId: 'role-viewer' },
    );
    const client = testClient(fake, fakeClock());

    const principal = await readPrincipal(client, 'admin@test');

    expect(principal).toEqual({ userId: 'admin@test', privileges: ['API', 'ATOM_MANAGEMENT', 'EXECUTE'] });
    expect(fake.requests.map((r) => `${r.object} ${r.rest}`)).toEqual(['AccountUserRole query', 'Role bulk']);
    expect(JSON.parse(fake.requests[1]?.body ?? '')).toEqual({
      type: 'GET',
      request: [{ id: 'role-admin' }, { id: 'role-api' }],
    });
  });

  it("reads the client's own user when no user id is given", async () => {
    fake.put('AccountUserRole', { userId: 'admin@test', roleId: 'role-viewer' });
    const client = testClient(fake, fakeClock());

    expect(await readPrincipal(client)).toEqual({
      userId: 'admin@test',
      privileges: ['ATOM_MANAGEMENT_READ_ONLY'],
    });
  });

  it('includes privileges inherited from a parent role', async () => {
    fake.put('AccountUserRole', { userId: 'admin@test', roleId: 'role-child' });
    const client = testClient(fake, fakeClock());

    expect((await readPrincipal(client)).privileges).toEqual(['API', 'ATOM_MANAGEMENT_READ_ONLY']);
  });

  it('has no privileges, and makes no bulk call, for a user without roles', async () => {
    fake.put('AccountUserRole');
    const client = testClient(fake, fakeClock());

    expect(await readPrincipal(client, 'nobody@test')).toEqual({ userId: 'nobody@test', privileges: [] });
    expect(fake.requests).toHaveLength(1);
  });
});
