import { afterEach, describe, expect, it } from 'vitest';
import type { SimServerOptions } from '../../../../simulator/http/server.js';
import { CHILD, FakeModel } from './fake-model.js';
import { api, call, startTestServer, type TestServer } from './sim-http.js';

const UNAVAILABLE =
  "The Boomi server is currently unavailable or your account's rate limits have been exceeded. Retry later.";

describe('fault injection through /_sim/faults', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function start(opts: SimServerOptions = {}, model = new FakeModel()): Promise<TestServer> {
    const sim = await startTestServer(model, opts);
    servers.push(sim);
    return sim;
  }

  const setFaults = (sim: TestServer, json: object) => call(sim.base, 'POST', '/_sim/faults', { json });
  const get = (sim: TestServer) => call(sim.base, 'GET', api(CHILD, 'Atom/atom-1'));

  it('answers every API request 503 at errorRatio503 = 1, and stops after DELETE /_sim/faults', async () => {
    const sim = await start();
    expect((await setFaults(sim, { errorRatio503: 1 })).status).toBe(200);
    const refused = await get(sim);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ '@type': 'Error', message: UNAVAILABLE });
    expect((await call(sim.base, 'DELETE', '/_sim/faults')).status).toBe(200);
    expect((await get(sim)).status).toBe(200);
  });

  it('answers a seeded, reproducible share of requests 503', async () => {
    const outcomes = async (): Promise<number[]> => {
      const sim = await start({ faultSeed: 42 });
      await setFaults(sim, { errorRatio503: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await get(sim)).status);
      return statuses;
    };
    const first = await outcomes();
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(await outcomes()).toEqual(first);
  });

  it('adds latency to API requests only', async () => {
    const waits: number[] = [];
    const sim = await start({
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await setFaults(sim, { latencyMs: 250 });
    expect((await get(sim)).status).toBe(200);
    await call(sim.base, 'GET', '/_sim/clock');
    expect(waits).toEqual([250]);
  });

  it('resets the connection before answering at resetRatio = 1', async () => {
    const sim = await start();
    await setFaults(sim, { resetRatio: 1 });
    await expect(get(sim)).rejects.toThrow();
    await call(sim.base, 'DELETE', '/_sim/faults');
    expect((await get(sim)).status).toBe(200);
  });

  it('passes failNextRequests to the model', async () => {
    const model = new FakeModel();
    const sim = await start({}, model);
    const res = await setFaults(sim, { failNextRequests: { accountId: CHILD, atomId: 'atom-2', count: 2 } });
    expect(res.status).toBe(200);
    expect(model.calls.failNext).toEqual([[CHILD, 'atom-2', 2]]);
  });

  it("answers the model's 404 for failNextRequests on an unknown runtime, changing nothing", async () => {
    const sim = await start();
    const res = await setFaults(sim, {
      errorRatio503: 1,
      failNextRequests: { accountId: CHILD, atomId: 'nope', count: 1 },
    });
    expect(res.status).toBe(404);
    expect((await get(sim)).status).toBe(200);
  });

  it('sets the rate limit at run time and restores it on DELETE', async () => {
    const model = new FakeModel({ rateLimit: 10 });
    const sim = await start({}, model);
    const res = await setFaults(sim, { rateLimit: 1 });
    expect(res.body).toMatchObject({ rateLimit: 1, errorRatio503: 0, latencyMs: 0, resetRatio: 0 });
    expect(model.rateLimitPerSecond()).toBe(1);
    await call(sim.base, 'DELETE', '/_sim/faults');
    expect(model.rateLimitPerSecond()).toBe(10);
  });

  it('answers 400 for a ratio outside 0..1', async () => {
    const sim = await start();
    const res = await setFaults(sim, { errorRatio503: 1.5 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ '@type': 'Error', message: 'errorRatio503 must be between 0 and 1.' });
  });
});
