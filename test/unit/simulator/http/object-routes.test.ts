import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHILD, FakeModel } from './fake-model.js';
import { api, call, startTestServer, type TestServer } from './sim-http.js';

describe('simulator HTTP object operations', () => {
  let model: FakeModel;
  let sim: TestServer;
  let logLines: object[];
  beforeEach(async () => {
    model = new FakeModel();
    logLines = [];
    sim = await startTestServer(model, { logger: (line) => logLines.push(line) });
  });
  afterEach(() => sim.close());

  it('GETs an object by id', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/atom-2'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ '@type': 'Atom', id: 'atom-2', name: 'Prod West Atom' });
  });

  it('answers 404 for an id that does not exist', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Atom/nope'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ '@type': 'Error', message: expect.stringContaining('nope') });
  });

  it('answers 404 for an unknown object type', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Gizmo/1'));
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('Gizmo');
  });

  it('answers 404 for paths outside the API', async () => {
    const res = await call(sim.base, 'GET', '/elsewhere');
    expect(res.status).toBe(404);
    expect(res.body['@type']).toBe('Error');
  });

  it('updates with POST /{Object}/{id} and persists before answering', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Atom/atom-1'), { json: { name: 'Renamed' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'atom-1', name: 'Renamed' });
    expect(model.journal).toEqual(['update atom-1', 'persist']);
  });

  it('creates with POST /{Object} and answers 200 or 202 as the handler says', async () => {
    const created = await call(sim.base, 'POST', api(CHILD, 'Widget'), { json: { name: 'new' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ '@type': 'Widget', name: 'new' });
    const accepted = await call(sim.base, 'POST', api(CHILD, 'RuntimeRestartRequest'), {
      json: { atomId: 'atom-1' },
    });
    expect(accepted.status).toBe(202);
    expect(model.calls.persists).toBe(2);
  });

  it('deletes with DELETE /{Object}/{id} and persists', async () => {
    const res = await call(sim.base, 'DELETE', api(CHILD, 'Widget/w-001'));
    expect(res.status).toBe(200);
    expect(res.raw).toBe('');
    expect(model.widgets.get(CHILD)?.some((w) => w['id'] === 'w-001')).toBe(false);
    expect(model.calls.persists).toBe(1);
  });

  it('does not persist after a read or a failed write', async () => {
    await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'));
    await call(sim.base, 'DELETE', api(CHILD, 'Widget/missing'));
    expect(model.calls.persists).toBe(0);
  });

  it('ticks the model at the start of every request', async () => {
    await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'));
    await call(sim.base, 'GET', api(CHILD, 'Atom/nope'));
    await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'), { user: null });
    expect(model.calls.ticks).toBe(3);
  });

  it('answers 400 naming the verb when the object does not support it', async () => {
    const del = await call(sim.base, 'DELETE', api(CHILD, 'Atom/atom-1'));
    expect(del.status).toBe(400);
    expect(del.body).toEqual({
      '@type': 'Error',
      message: 'The DELETE operation is not supported for Atom.',
    });
    const query = await call(sim.base, 'POST', api(CHILD, 'RuntimeRestartRequest/query'), { json: {} });
    expect(query.status).toBe(400);
    expect(query.body.message).toContain('QUERY');
  });

  it('answers 400 for an unsupported HTTP method', async () => {
    const res = await call(sim.base, 'PUT', api(CHILD, 'Atom/atom-1'), { json: {} });
    expect(res.status).toBe(400);
    expect(res.body['@type']).toBe('Error');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Atom/atom-1'), { text: '{not json' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ '@type': 'Error', message: 'The request body is not valid JSON.' });
  });

  it("keeps a model SimError's status and message", async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Broken/conflict'));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      '@type': 'Error',
      message: 'A request for these components is already outstanding.',
    });
  });

  it('turns an unexpected model failure into a 400 without a stack trace', async () => {
    const res = await call(sim.base, 'GET', api(CHILD, 'Broken/bug'));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(['@type', 'message']);
    expect(res.raw).not.toContain('secretFrame');
    expect(res.raw).not.toMatch(/\bat \S+ \(/);
  });

  it('logs one line per request without credentials', async () => {
    await call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'));
    const text = JSON.stringify(logLines);
    expect(logLines).toContainEqual(expect.objectContaining({ method: 'GET', status: 200 }));
    expect(text).not.toContain('admin-token');
  });
});
