import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHILD, FakeModel, OTHER, PARENT } from './fake-model.js';
import { call, startTestServer, type TestServer } from './sim-http.js';

const partner = (parent: string, rest: string, child?: string): string =>
  `/partner/api/rest/v1/${parent}/${rest}${child ? `?overrideAccount=${child}` : ''}`;

describe('partner form /partner/api/rest/v1/{parent}/…?overrideAccount={child}', () => {
  let model: FakeModel;
  let sim: TestServer;
  beforeEach(async () => {
    model = new FakeModel();
    model.atoms.get(CHILD)![0]!['name'] = 'Child molecule';
    sim = await startTestServer(model);
  });
  afterEach(() => sim.close());

  it("acts on the child account's objects when the parent is its partner", async () => {
    const res = await call(sim.base, 'GET', partner(PARENT, 'Atom/atom-1', CHILD));
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Child molecule');
  });

  it('writes to the child account through the partner form', async () => {
    const res = await call(sim.base, 'POST', partner(PARENT, 'Atom/atom-1', CHILD), {
      json: { name: 'Via partner' },
    });
    expect(res.status).toBe(200);
    expect(model.atoms.get(CHILD)![0]!['name']).toBe('Via partner');
    expect(model.atoms.get(PARENT)![0]!['name']).toBe('Prod East Molecule');
  });

  it('refuses with 403 when the URL account is not a partner of overrideAccount', async () => {
    const res = await call(sim.base, 'GET', partner(OTHER, 'Atom/atom-1', CHILD));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      '@type': 'Error',
      message: `Account ${OTHER} is not a partner of account ${CHILD}.`,
    });
  });

  it('answers 404 when overrideAccount does not exist', async () => {
    const res = await call(sim.base, 'GET', partner(PARENT, 'Atom/atom-1', 'acct-ghost'));
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('acct-ghost');
  });

  it('acts on the parent itself without overrideAccount', async () => {
    const res = await call(sim.base, 'GET', partner(PARENT, 'Atom/atom-1'));
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Prod East Molecule');
  });

  it('ignores overrideAccount outside the partner form', async () => {
    const res = await call(sim.base, 'GET', `/api/rest/v1/${PARENT}/Atom/atom-1?overrideAccount=${CHILD}`);
    expect(res.body.name).toBe('Prod East Molecule');
  });
});
