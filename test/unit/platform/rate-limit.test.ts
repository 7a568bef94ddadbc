import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../controller/platform/token-bucket.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, testClient } from './test-client.js';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces requests 1/rate apart', () => {
    let now = 0;
    const bucket = new TokenBucket(4, 2, () => now);

    const waits = [bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()];

    expect(waits).toEqual([0, 0, 250, 500]);
    now = 10_000;
    expect(bucket.reserve()).toBe(0);
  });
});

describe('client-side rate limit', () => {
  let fake: FakePlatform;

  beforeEach(async () => {
    fake = await FakePlatform.start();
    fake.put('Atom', { id: 'atom-1', name: 'A', type: 'ATOM', status: 'ONLINE' });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('spaces requests 1/rate apart by default, so no one-second window ever holds more than the limit', async () => {
    const clock = fakeClock();
    const client = testClient(fake, clock, { requestsPerSecond: 4 });

    for (let i = 0; i < 10; i++) await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([250, 250, 250, 250, 250, 250, 250, 250, 250]);
    expect(fake.requests).toHaveLength(10);
  });

  it('sends a configured burst at once, then one request every 1/rate seconds', async () => {
    const clock = fakeClock();
    const client = testClient(fake, clock, { requestsPerSecond: 4, burst: 4 });

    for (let i = 0; i < 10; i++) await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([250, 250, 250, 250, 250, 250]);
  });

  it('gives concurrent requests successive slots', async () => {
    // Time stands still while they wait, so each wait is measured from the same instant.
    const waits: number[] = [];
    const frozen = { now: () => 0, sleep: async (ms: number) => void waits.push(ms), waits };
    const client = testClient(fake, frozen, { requestsPerSecond: 1 });

    await Promise.all([
      client.get('Atom', 'atom-1'),
      client.get('Atom', 'atom-1'),
      client.get('Atom', 'atom-1'),
    ]);

    expect(waits).toEqual([1000, 2000]);
  });

  it('is shared by the clients of one account and separate for another account', async () => {
    const clock = fakeClock();
    const first = testClient(fake, clock, { requestsPerSecond: 2, burst: 2 });
    const second = testClient(fake, clock, { requestsPerSecond: 2, burst: 2 });
    const otherAccount = testClient(fake, clock, {
      requestsPerSecond: 2,
      burst: 2,
      accountId: 'acme-dev-G7H8I9',
    });

    await first.get('Atom', 'atom-1');
    await second.get('Atom', 'atom-1');
    await otherAccount.get('Atom', 'atom-1');
    expect(clock.waits).toEqual([]);

    await second.get('Atom', 'atom-1');
    expect(clock.waits).toEqual([500]);
  });

  it('does not wait at all when requestsPerSecond is 0', async () => {
    const clock = fakeClock();
    const client = testClient(fake, clock, { requestsPerSecond: 0 });

    for (let i = 0; i < 30; i++) await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([]);
  });
});
