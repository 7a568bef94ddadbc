import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../../../simulator/http/sim-control.js';
import { CHILD, FakeModel } from './fake-model.js';
import { call, startTestServer, type TestServer } from './sim-http.js';

describe('/_sim/ control endpoints', () => {
  let model: FakeModel;
  let sim: TestServer;
  beforeEach(async () => {
    model = new FakeModel({ rateLimit: 1 });
    sim = await startTestServer(model);
  });
  afterEach(() => sim.close());

  it('dumps the state', async () => {
    const res = await call(sim.base, 'GET', '/_sim/state');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(model.dumpState());
  });

  it('reads the clock', async () => {
    const res = await call(sim.base, 'GET', '/_sim/clock');
    expect(res.body).toEqual({ now: '2026-11-23T08:00:00.000Z' });
  });

  it('advances the clock by a duration string or milliseconds and persists', async () => {
    expect((await call(sim.base, 'POST', '/_sim/clock', { json: { advance: '2h' } })).body).toEqual({
      now: '2026-11-23T10:00:00.000Z',
    });
    expect((await call(sim.base, 'POST', '/_sim/clock', { json: { advance: 30_000 } })).body).toEqual({
      now: '2026-11-23T10:00:30.000Z',
    });
    expect(model.calls.persists).toBe(2);
  });

  it('sets the clock to an instant, and refuses to go backwards with the model 409', async () => {
    const forward = await call(sim.base, 'POST', '/_sim/clock', { json: { now: '2026-12-05T02:00:00Z' } });
    expect(forward.body).toEqual({ now: '2026-12-05T02:00:00.000Z' });
    const back = await call(sim.base, 'POST', '/_sim/clock', { json: { now: '2026-01-01T00:00:00Z' } });
    expect(back.status).toBe(409);
    expect(back.body['@type']).toBe('Error');
  });

  it('answers 400 for a clock body without now or advance, or a bad duration', async () => {
    expect((await call(sim.base, 'POST', '/_sim/clock', { json: {} })).status).toBe(400);
    const bad = await call(sim.base, 'POST', '/_sim/clock', { json: { advance: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('"soon"');
  });

  it('sets running executions on a runtime', async () => {
    const res = await call(sim.base, 'POST', '/_sim/activity', {
      json: { accountId: CHILD, atomId: 'atom-1', runningExecutions: 3 },
    });
    expect(res.status).toBe(200);
    expect(model.calls.activity).toEqual([[CHILD, 'atom-1', 3]]);
  });

  it('answers 400 for negative running executions', async () => {
    const res = await call(sim.base, 'POST', '/_sim/activity', {
      json: { accountId: CHILD, atomId: 'atom-1', runningExecutions: -1 },
    });
    expect(res.status).toBe(400);
  });

  it('takes a runtime OFFLINE', async () => {
    const res = await call(sim.base, 'POST', '/_sim/runtime-status', {
      json: { accountId: CHILD, atomId: 'atom-2', status: 'OFFLINE' },
    });
    expect(res.status).toBe(200);
    expect(model.calls.runtimeStatus).toEqual([[CHILD, 'atom-2', 'OFFLINE']]);
    const bad = await call(sim.base, 'POST', '/_sim/runtime-status', {
      json: { accountId: CHILD, atomId: 'atom-2', status: 'SLEEPING' },
    });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for a runtime the model does not know', async () => {
    const res = await call(sim.base, 'POST', '/_sim/runtime-status', {
      json: { accountId: CHILD, atomId: 'ghost', status: 'OFFLINE' },
    });
    expect(res.status).toBe(404);
  });

  it('needs credentials (401) and ATOM_MANAGEMENT (403)', async () => {
    expect((await call(sim.base, 'GET', '/_sim/state', { user: null })).status).toBe(401);
    const viewer = await call(sim.base, 'GET', '/_sim/state', { user: 'viewer@test' });
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toContain('requires the ATOM_MANAGEMENT privilege');
    const viewerActivity = await call(sim.base, 'POST', '/_sim/activity', {
      user: 'viewer@test',
      json: { accountId: CHILD, atomId: 'atom-1', runningExecutions: 1 },
    });
    expect(viewerActivity.status).toBe(403);
  });

  it('is not rate limited', async () => {
    for (let i = 0; i < 5; i++) expect((await call(sim.base, 'GET', '/_sim/clock')).status).toBe(200);
  });

  it('answers 404 for an unknown control endpoint', async () => {
    const res = await call(sim.base, 'GET', '/_sim/nothing');
    expect(res.status).toBe(404);
    expect(res.body['@type']).toBe('Error');
  });
});

describe('parseDuration', () => {
  it.each([
    ['2h', 7_200_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['1d', 86_400_000],
    [1234, 1234],
  ])('reads %s as %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([['-5'], ['2 hours'], [''], [-1]])('refuses %s', (input) => {
    expect(() => parseDuration(input)).toThrow(/duration/);
  });
});
