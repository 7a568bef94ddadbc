import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArrivalMargin, SendWindow, TokenBucket } from '../../../controller/platform/token-bucket.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, testClient, type FakeClock } from './test-client.js';

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

describe('SendWindow', () => {
  it('holds a request until the limit-th latest went a window ago, and forgets a clock that went back', () => {
    const window = new SendWindow(2, 1025);
    window.note(0);
    window.note(100);

    expect(window.waitMs(200)).toBe(825);
    expect(window.waitMs(1025)).toBe(0);
    expect(window.waitMs(50)).toBe(0);
  });
});

describe('ArrivalMargin', () => {
  it('doubles on a refusal (once per window, up to its maximum) and shrinks back while none comes', () => {
    const margin = new ArrivalMargin(25, 100, 10);
    const window = new SendWindow(1, 1000, margin);
    window.note(0);
    expect(window.waitMs(0)).toBe(1025);

    margin.refused(0);
    expect(window.waitMs(0)).toBe(1050);
    margin.refused(500); // the same burst's refusals are one lesson
    expect(margin.at(500)).toBe(45);
    margin.refused(1000);
    margin.refused(2000);
    margin.refused(3000);
    expect(margin.at(3000)).toBe(100);

    expect(margin.at(6000)).toBe(70);
    expect(margin.at(60_000)).toBe(25);
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

  it('spaces requests 1/rate apart, and keeps the platform window plus a margin between a request and the limit-th before it', async () => {
    const clock = fakeClock(0);
    const sends: number[] = [];
    const client = testClient(fake, clock, { requestsPerSecond: 4, fetchImpl: recordingFetch(clock, sends) });

    for (let i = 0; i < 10; i++) await client.get('Atom', 'atom-1');

    // Exactly 250 ms apart, the 5th would arrive with the 1st still inside the platform's one-second
    // window whenever its timer fired a little earlier than the 1st's: it waits the margin (25 ms) more.
    expect(sends).toEqual([0, 250, 500, 750, 1025, 1275, 1525, 1775, 2050, 2300]);
    expect(fake.requests).toHaveLength(10);
  });

  it('keeps requests further apart after the platform refused one for its rate (a host that delays requests unevenly)', async () => {
    const clock = fakeClock(0);
    const sends: number[] = [];
    const client = testClient(fake, clock, {
      requestsPerSecond: 4,
      accountId: 'acme-refused-A1B2C3',
      fetchImpl: recordingFetch(clock, sends),
    });
    fake.inject({ kind: 'status', status: 503, message: 'rate limit' }, { match: () => sends.length === 5 });

    for (let i = 0; i < 10; i++) await client.get('Atom', 'atom-1');

    expect(fake.requests).toHaveLength(11);
    const gapsAfterRefusal = sends.slice(5).map((at, i) => at - (sends[i + 1] as number));
    expect(Math.min(...gapsAfterRefusal)).toBeGreaterThan(1025);
    expect(gapsAfterRefusal[0]).toBeGreaterThanOrEqual(1045);
  });

  it('sends a configured burst at once, but never more than the limit into one window', async () => {
    const clock = fakeClock(0);
    const sends: number[] = [];
    const client = testClient(fake, clock, {
      requestsPerSecond: 4,
      burst: 4,
      fetchImpl: recordingFetch(clock, sends),
    });

    for (let i = 0; i < 10; i++) await client.get('Atom', 'atom-1');

    expect(sends.slice(0, 4)).toEqual([0, 0, 0, 0]);
    for (let i = 4; i < sends.length; i++)
      expect((sends[i] as number) - (sends[i - 4] as number)).toBeGreaterThanOrEqual(1025);
  });

  it('gives concurrent requests successive slots, each by the time the one before actually went', async () => {
    const clock = virtualClock();
    const sends: number[] = [];
    const client = testClient(fake, clock, { requestsPerSecond: 1, fetchImpl: recordingFetch(clock, sends) });

    await Promise.all([
      client.get('Atom', 'atom-1'),
      client.get('Atom', 'atom-1'),
      client.get('Atom', 'atom-1'),
    ]);

    expect(sends).toEqual([0, 1025, 2050]);
  });

  it('never puts more than the limit into one window, however many requests of the account wait at once', async () => {
    // 100 × 100 convergence: four AtomVersions of each account send at once on a busy event loop whose
    // timers fire late and together, and a request that lost the race for the window three times went
    // anyway (hundreds of 503s from the platform).
    const clock = virtualClock(300);
    const sends: number[] = [];
    const clients = Array.from({ length: 4 }, () =>
      testClient(fake, clock, { requestsPerSecond: 10, fetchImpl: recordingFetch(clock, sends) }),
    );

    await Promise.all(Array.from({ length: 60 }, (_, i) => clients[i % 4]!.get('Atom', 'atom-1')));

    expect(sends).toHaveLength(60);
    const crowded = sends.filter((at, i) => i >= 10 && at - (sends[i - 10] as number) < 1025);
    expect(crowded, sends.join(' ')).toEqual([]);
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

    // The bucket's next slot is 500 ms on; the account's window still holds the first two, sent at once.
    await second.get('Atom', 'atom-1');
    expect(clock.waits).toEqual([500, 525]);
  });

  it('does not wait at all when requestsPerSecond is 0', async () => {
    const clock = fakeClock();
    const client = testClient(fake, clock, { requestsPerSecond: 0 });

    for (let i = 0; i < 30; i++) await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([]);
  });
});

/** A fetch that notes the clock's time as each request goes out. */
function recordingFetch(clock: { now: () => number }, sends: number[]): typeof fetch {
  return (input, init) => {
    sends.push(clock.now());
    return fetch(input, init);
  };
}

/**
 * A clock for concurrent sleepers: each sleep wakes at its own time, earliest first, and moves the clock
 * there (time does not pass otherwise).
 */
function virtualClock(lateMs = 0): FakeClock {
  let time = 0;
  const waits: number[] = [];
  const sleepers: { at: number; wake: () => void }[] = [];
  // lateMs > 0: an event loop that is late by that much, so every sleeper due by then wakes in one go.
  const wakeNext = () =>
    setImmediate(() => {
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers[0];
      if (!next) return;
      time = Math.max(time, next.at + lateMs);
      const due = sleepers.filter((sleeper) => sleeper.at <= time);
      sleepers.splice(0, due.length);
      for (const sleeper of due) sleeper.wake();
    });
  return {
    now: () => time,
    waits,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        waits.push(ms);
        sleepers.push({ at: time + ms, wake: resolve });
        wakeNext();
      }),
  };
}
