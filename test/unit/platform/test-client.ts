// Builds a client aimed at a FakePlatform, with a fake clock whose sleep records each wait and moves
// time on instead of waiting.
import { AtomSphereClient } from '../../../controller/platform/client.js';
import type { AtomSphereClientOptions } from '../../../controller/platform/client.js';
import { PlatformError } from '../../../controller/platform/errors.js';
import type { FakePlatform } from './fake-platform.js';

export const TEST_USERNAME = 'BOOMI_TOKEN.admin@test';
export const TEST_TOKEN = 'secret-token-123';
export const TEST_ACCOUNT = 'acme-prod-D4E5F6';

export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every wait asked for, in order. */
  waits: number[];
}

export function fakeClock(start = Date.parse('2026-11-23T08:00:00Z')): FakeClock {
  let time = start;
  const waits: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      waits.push(ms);
      time += ms;
    },
    waits,
  };
}

export function testClient(
  fake: FakePlatform,
  clock: FakeClock,
  options: Partial<AtomSphereClientOptions> = {},
): AtomSphereClient {
  return new AtomSphereClient({
    baseUrl: fake.url,
    accountId: TEST_ACCOUNT,
    username: TEST_USERNAME,
    token: TEST_TOKEN,
    requestsPerSecond: 0,
    random: () => 0.5,
    now: clock.now,
    sleep: clock.sleep,
    ...options,
  });
}

/** The PlatformError a call fails with (a test failure when it succeeds or fails otherwise). */
export async function platformFailureOf(call: Promise<unknown>): Promise<PlatformError> {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}
