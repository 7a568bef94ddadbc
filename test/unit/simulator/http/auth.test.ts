import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHILD, FakeModel } from './fake-model.js';
import { api, basicAuth, call, startTestServer, type TestServer } from './sim-http.js';

describe('simulator HTTP auth and privileges (R15)', () => {
  let sim: TestServer;
  beforeEach(async () => {
    sim = await startTestServer(new FakeModel());
  });
  afterEach(() => sim.close());

  it('answers 401 with WWW-Authenticate when no credentials are sent', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'), { user: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(res.body).toEqual({ '@type': 'Error', message: expect.stringContaining('BOOMI_TOKEN.') });
  });

  it('answers 401 for a wrong token without echoing the token', async () => {
    const authorization = basicAuth('BOOMI_TOKEN.admin@test', 'not-the-token');
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'), { authorization });
    expect(res.status).toBe(401);
    expect(res.body['@type']).toBe('Error');
    expect(res.raw).not.toContain('not-the-token');
  });

  it('answers 401 when the user name lacks the BOOMI_TOKEN. prefix', async () => {
    const authorization = basicAuth('admin@test', 'admin-token');
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'), { authorization });
    expect(res.status).toBe(401);
    expect(res.body.message).toContain('BOOMI_TOKEN.<user>');
  });

  // Issue 13: "a URL naming an account the caller has no access to is 404 'does not exist' (Boomi: 403)".
  it('answers 403 for an account out of reach, without telling whether it exists', async () => {
    const res = await call(sim.base, 'GET', api('acct-missing', 'Atom/atom-1'));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'Access denied due to insufficient permissions. User admin@test has no access to account acct-missing.',
    );
  });

  it('lets a read-only user read', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'), { user: 'viewer@test' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ '@type': 'Atom', id: 'atom-1' });
  });

  it('refuses a write by a read-only user with 403 naming ATOM_MANAGEMENT', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Atom/atom-1'), {
      user: 'viewer@test',
      json: { name: 'renamed' },
    });
    expect(res.status).toBe(403);
    expect(res.body['@type']).toBe('Error');
    expect(res.body.message).toContain('requires the ATOM_MANAGEMENT privilege');
  });

  it('refuses a user without the API privilege with 403 naming API', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'), { user: 'noapi@test' });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('requires the API privilege');
  });
});
