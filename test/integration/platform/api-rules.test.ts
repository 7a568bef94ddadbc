// R15 (credentials and privileges) and R16 (the per-account rate limit), through atomsync's platform
// client against the simulator over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import {
  AtomSphereClient,
  ForbiddenError,
  PlatformError,
  RateLimitedError,
  readPrincipal,
  UnauthorizedError,
  type Atom,
} from '../../../controller/platform/index.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { DEMO_ADMIN, DEMO_VIEWER, DEV, EU, PROD } from './support/demo-world.js';
import { runtimeId } from './support/lookups.js';
import { Simulators } from './support/simulators.js';

/** Boomi's own wording for R16, which the simulator answers with HTTP 503. */
const RATE_LIMIT_MESSAGE =
  "The Boomi server is currently unavailable or your account's rate limits have been exceeded. Retry later.";

const sims = new Simulators();
afterEach(() => sims.closeAll());

async function outcome(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => 'succeeded',
    (error: unknown) => error,
  );
}

describe('R15 credentials and privileges', () => {
  it('R15 every call needs HTTP Basic credentials BOOMI_TOKEN.<user> and its API token: a wrong token is refused with 401 at once, and never echoed', async () => {
    const platform = await sims.demo();
    const wrong = platform.client(PROD, { userId: DEMO_ADMIN.userId, token: 'not-the-token-0000' });
    const refused = await outcome(wrong.queryAll('Atom'));
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect(refused).toMatchObject({ status: 401, attempts: 1 });
    expect((refused as PlatformError).platformMessage).toBe(
      `Invalid credentials for BOOMI_TOKEN.${DEMO_ADMIN.userId}.`,
    );
    expect((refused as PlatformError).message).not.toContain('not-the-token-0000');

    const unknownUser = platform.client(PROD, { userId: 'nobody@demo.atomsync', token: DEMO_ADMIN.token });
    expect(await outcome(unknownUser.get('Atom', 'any'))).toBeInstanceOf(UnauthorizedError);
  });

  it('R15 every call needs the API privilege; reads of runtime objects need ATOM_MANAGEMENT or ATOM_MANAGEMENT_READ_ONLY, writes ATOM_MANAGEMENT', async () => {
    const scenario = smallScenario();
    scenario.roles!.push(
      { name: 'Runtime Manager Without API', privileges: ['ATOM_MANAGEMENT'] },
      { name: 'API Only', privileges: ['API'] },
    );
    const noApi = { userId: 'noapi@small.test', token: 'noapi-token' };
    const apiOnly = { userId: 'apionly@small.test', token: 'apionly-token' };
    scenario.users!.push(
      { ...noApi, roles: ['Runtime Manager Without API'] },
      { ...apiOnly, roles: ['API Only'] },
    );
    const platform = await sims.scenario(scenario, SMALL.admin);
    const client = (user: { userId: string; token: string }) => platform.client(SMALL.accountId, user);
    const atomId = await runtimeId(client(SMALL.admin), 'Atom One');

    const withoutApi = await outcome(client(noApi).queryAll('Atom'));
    expect(withoutApi).toBeInstanceOf(ForbiddenError);
    expect((withoutApi as PlatformError).platformMessage).toContain('requires the API privilege');

    const onlyApi = client(apiOnly);
    expect(await outcome(onlyApi.get('Atom', atomId))).toBeInstanceOf(ForbiddenError);
    expect(await readPrincipal(onlyApi)).toEqual({ userId: apiOnly.userId, privileges: ['API'] });

    const viewer = client(SMALL.viewer);
    expect((await viewer.get<Atom>('Atom', atomId)).name).toBe('Atom One');
    const write = await outcome(viewer.update('Atom', atomId, { id: atomId, forceRestartTime: 1000 }));
    expect(write).toBeInstanceOf(ForbiddenError);
    expect((write as PlatformError).platformMessage).toContain('ATOM_MANAGEMENT');
    expect(await readPrincipal(viewer)).toEqual({
      userId: SMALL.viewer.userId,
      privileges: ['API', 'ATOM_MANAGEMENT_READ_ONLY'],
    });
  });

  it("R15 readPrincipal reads each demo credential's privileges per account from AccountUserRole and Role", async () => {
    const platform = await sims.demo();
    expect(await readPrincipal(platform.client(PROD, DEMO_ADMIN))).toEqual({
      userId: DEMO_ADMIN.userId,
      privileges: ['API', 'ATOM_MANAGEMENT'],
    });
    expect(await readPrincipal(platform.client(EU, DEMO_VIEWER))).toEqual({
      userId: DEMO_VIEWER.userId,
      privileges: ['API', 'ATOM_MANAGEMENT_READ_ONLY'],
    });
  });
});

describe('R16 the per-account rate limit', () => {
  it('R16 past 10 requests a second the account is answered 503 with the platform\'s "rate limits exceeded" message; other accounts are not affected', async () => {
    const platform = await sims.demo({ rateLimitPerSecond: 10 });
    const unlimited = platform.client(PROD, DEMO_ADMIN, { requestsPerSecond: 0, maxRetries: 0 });
    const burst = await Promise.all(
      Array.from({ length: 30 }, () => outcome(unlimited.queryAll('Environment'))),
    );
    const refused = burst.filter((result) => result !== 'succeeded');
    expect(burst.length - refused.length).toBeGreaterThanOrEqual(10);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ status: 503, platformMessage: RATE_LIMIT_MESSAGE, attempts: 1 });
    }
    expect(unlimited.stats.byStatus['503']).toBe(refused.length);
    expect(await outcome(platform.client(DEV, DEMO_ADMIN, { maxRetries: 0 }).queryAll('Environment'))).toBe(
      'succeeded',
    );
  });

  it('R16 the default client (10 requests a second per account, retries) gets a burst of 30 calls through without an error', async () => {
    const platform = await sims.demo({ rateLimitPerSecond: 10 });
    const client = new AtomSphereClient({
      baseUrl: platform.url,
      accountId: PROD,
      username: `BOOMI_TOKEN.${DEMO_ADMIN.userId}`,
      token: DEMO_ADMIN.token,
    });
    const burst = await Promise.all(
      Array.from({ length: 30 }, () => outcome(client.queryAll('Environment'))),
    );
    expect(burst.filter((result) => result !== 'succeeded')).toEqual([]);
    expect(client.stats.byStatus['200']).toBe(30);
    // The bucket lets 10 go at once, then one every 100 ms, which the platform's sliding one-second window
    // refuses until the first ten age out: those 503s are retried after its Retry-After, never surfaced.
    expect(client.stats.retries).toBe(client.stats.rateLimited);
  });
});
