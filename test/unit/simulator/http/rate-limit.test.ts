import { afterEach, describe, expect, it } from 'vitest';
import { CHILD, FakeModel, OTHER, PARENT } from './fake-model.js';
import { api, call, startTestServer, type TestServer } from './sim-http.js';

const RATE_LIMITED = {
  '@type': 'Error',
  message:
    "The Boomi server is currently unavailable or your account's rate limits have been exceeded. Retry later.",
};

describe('per-account rate limit (R16)', () => {
  let sim: TestServer;
  let now = 0;
  afterEach(() => sim.close());

  async function start(rateLimit: number): Promise<FakeModel> {
    const model = new FakeModel({ rateLimit });
    now = 5_000;
    sim = await startTestServer(model, { nowMs: () => now });
    return model;
  }

  const get = (account: string) => call(sim.base, 'GET', api(account, 'Atom/atom-1'));

  it('answers 503 with the platform message past N requests in one second', async () => {
    await start(3);
    for (let i = 0; i < 3; i++) expect((await get(CHILD)).status).toBe(200);
    const refused = await get(CHILD);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual(RATE_LIMITED);
  });

  it('lets requests through again once the second has passed', async () => {
    await start(2);
    await get(CHILD);
    await get(CHILD);
    expect((await get(CHILD)).status).toBe(503);
    now += 1000;
    expect((await get(CHILD)).status).toBe(200);
  });

  it('counts each account separately', async () => {
    await start(1);
    expect((await get(CHILD)).status).toBe(200);
    expect((await get(OTHER)).status).toBe(200);
    expect((await get(CHILD)).status).toBe(503);
  });

  it('counts partner-form requests on the account they act on', async () => {
    await start(1);
    const viaPartner = await call(
      sim.base,
      'GET',
      `/partner/api/rest/v1/${PARENT}/Atom/atom-1?overrideAccount=${CHILD}`,
    );
    expect(viaPartner.status).toBe(200);
    expect((await get(PARENT)).status).toBe(200);
    expect((await get(CHILD)).status).toBe(503);
  });

  it('is off when the limit is 0', async () => {
    await start(0);
    for (let i = 0; i < 30; i++) expect((await get(CHILD)).status).toBe(200);
  });

  it('follows a limit changed at run time', async () => {
    const model = await start(1);
    await get(CHILD);
    expect((await get(CHILD)).status).toBe(503);
    model.setRateLimit(0);
    expect((await get(CHILD)).status).toBe(200);
  });
});
