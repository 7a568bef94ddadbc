import { describe, expect, it } from 'vitest';
import { WorkQueue, type WorkItem } from '../../../controller/reconciler/work-queue.js';
import { FakeTimers } from './fake-timers.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function newQueue(random = () => 0.999999) {
  const timers = new FakeTimers();
  const queue = new WorkQueue<string>({ timers, backoff: { random } });
  return { timers, queue };
}

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const { queue } = newQueue();
    queue.add('prod/east');
    queue.add('prod/east');
    queue.add('prod/east', { priority: 'resync' });
    expect(queue.depth()).toBe(1);
    expect(await queue.get()).toEqual({ key: 'prod/east', priority: 'change' });
    expect(queue.depth()).toBe(0);
  });

  it('hands out changes before resyncs, each in arrival order', async () => {
    const { queue } = newQueue();
    queue.add('r1', { priority: 'resync' });
    queue.add('r2', { priority: 'resync' });
    queue.add('c1', { priority: 'change' });
    queue.add('c2', { priority: 'change' });
    const order: WorkItem<string>[] = [];
    for (let i = 0; i < 4; i++) order.push((await queue.get())!);
    expect(order.map((item) => `${item.key}:${item.priority}`)).toEqual([
      'c1:change',
      'c2:change',
      'r1:resync',
      'r2:resync',
    ]);
  });

  it('upgrades a queued resync to a change when the key changes', async () => {
    const { queue } = newQueue();
    queue.add('a', { priority: 'resync' });
    queue.add('b', { priority: 'resync' });
    queue.add('b', { priority: 'change' });
    expect(queue.stats()).toMatchObject({ queued: 2, changes: 1, resyncs: 1 });
    expect(await queue.get()).toEqual({ key: 'b', priority: 'change' });
    expect(await queue.get()).toEqual({ key: 'a', priority: 'resync' });
  });

  it('makes a waiting worker wait until work arrives', async () => {
    const { queue } = newQueue();
    let got: WorkItem<string> | undefined;
    const pending = queue.get().then((item) => (got = item));
    await settle();
    expect(got).toBeUndefined();
    queue.add('a');
    await pending;
    expect(got).toEqual({ key: 'a', priority: 'change' });
  });

  it('does not give a key being processed to a second worker, and re-queues it when the first is done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a', { priority: 'resync' });
    queue.add('a', { priority: 'change' });
    expect(queue.depth()).toBe(0);
    let second: WorkItem<string> | undefined;
    const waiting = queue.get().then((item) => (second = item));
    await settle();
    expect(second).toBeUndefined();
    queue.done(first!.key);
    await waiting;
    expect(second).toEqual({ key: 'a', priority: 'change' });
  });

  it('never runs two workers on one key, even with spare workers and a stream of changes', async () => {
    const { queue } = newQueue();
    const active = new Set<string>();
    const runs: string[] = [];
    let overlaps = 0;
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const running = queue.run(async ({ key }) => {
      if (active.has(key)) overlaps++;
      active.add(key);
      runs.push(key);
      const gate = deferred();
      gates.set(key, gate);
      await gate.promise;
      active.delete(key);
    }, 4);
    queue.add('a');
    queue.add('b');
    await settle();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    await settle();
    expect(runs).toEqual(['a', 'b']);
    gates.get('a')!.resolve();
    await settle();
    expect(runs).toEqual(['a', 'b', 'a']);
    gates.get('a')!.resolve();
    gates.get('b')!.resolve();
    await settle();
    gates.get('b')!.resolve();
    await settle();
    expect(runs).toEqual(['a', 'b', 'a', 'b']);
    expect(overlaps).toBe(0);
    await queue.shutdown({ drain: true });
    await running;
  });

  it('runs at most `concurrency` keys at once', async () => {
    const { queue } = newQueue();
    let active = 0;
    let peak = 0;
    const gate = deferred();
    const running = queue.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await gate.promise;
      active--;
    }, 2);
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await settle();
    expect(active).toBe(2);
    expect(queue.stats()).toMatchObject({ processing: 2, queued: 3 });
    gate.resolve();
    while (queue.depth() > 0 || queue.stats().processing > 0) await settle();
    expect(peak).toBe(2);
    await queue.shutdown();
    await running;
  });

  it('delays addAfter until the time has passed, keeping the earliest schedule', () => {
    const { queue, timers } = newQueue();
    queue.addAfter('a', 5000);
    queue.addAfter('a', 9000);
    expect(queue.stats()).toMatchObject({ queued: 0, delayed: 1 });
    timers.advance(4999);
    expect(queue.depth()).toBe(0);
    timers.advance(1);
    expect(queue.depth()).toBe(1);
    expect(queue.stats().delayed).toBe(0);
  });

  it('lets a sooner addAfter replace a later one', () => {
    const { queue, timers } = newQueue();
    queue.addAfter('a', 9000);
    queue.addAfter('a', 1000, { priority: 'resync' });
    timers.advance(1000);
    expect(queue.stats()).toMatchObject({ queued: 1, changes: 1, delayed: 0 });
  });

  it('backs a failing key off exponentially up to ten minutes, and starts over after forget', async () => {
    const { queue, timers } = newQueue(() => 0.999999);
    const delays: number[] = [];
    for (let failure = 0; failure < 12; failure++) {
      queue.addRateLimited('a');
      delays.push(...timers.pendingDelays());
      timers.advance(timers.pendingDelays()[0]!);
      expect(queue.depth()).toBe(1);
      queue.done((await queue.get())!.key);
    }
    const ceilings = delays.map((delay) => Math.ceil(delay / 1000) * 1000);
    expect(ceilings).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000, 600000, 600000,
    ]);
    expect(queue.retries('a')).toBe(12);
    queue.forget('a');
    expect(queue.retries('a')).toBe(0);
    queue.addRateLimited('a');
    expect(timers.pendingDelays()).toEqual([999]);
  });

  it('jitters retry delays between zero and the ceiling', () => {
    const draws = [0.1, 0.25, 0.5, 0.75];
    let index = 0;
    const { queue, timers } = newQueue(() => draws[index++]!);
    for (const key of ['a', 'b', 'c', 'd']) queue.addRateLimited(key);
    expect(timers.pendingDelays()).toEqual([100, 250, 500, 750]);
  });

  it('retries at once when the jitter draws zero', () => {
    const { queue, timers } = newQueue(() => 0);
    queue.addRateLimited('a');
    expect(timers.pendingDelays()).toEqual([]);
    expect(queue.depth()).toBe(1);
  });

  it('retries a worker that throws with backoff and forgets the backoff once it succeeds', async () => {
    const { queue, timers } = newQueue(() => 0.5);
    const errors: unknown[] = [];
    let calls = 0;
    const running = queue.run(
      async () => {
        calls++;
        if (calls < 3) throw new Error('platform unavailable');
      },
      1,
      { onError: (_item, error) => errors.push(error) },
    );
    queue.add('a');
    await settle();
    expect(calls).toBe(1);
    expect(timers.pendingDelays()).toEqual([500]);
    timers.advance(500);
    await settle();
    expect(calls).toBe(2);
    expect(timers.pendingDelays()).toEqual([1000]);
    timers.advance(1000);
    await settle();
    expect(calls).toBe(3);
    expect(errors).toHaveLength(2);
    expect(queue.retries('a')).toBe(0);
    await queue.shutdown();
    await running;
  });

  it('looks at a key again after requeueAfterMs, as a resync', async () => {
    const { queue, timers } = newQueue();
    const seen: WorkItem<string>[] = [];
    const running = queue.run(async (item) => {
      seen.push(item);
      return seen.length === 1 ? { requeueAfterMs: 30_000 } : undefined;
    }, 1);
    queue.add('a');
    await settle();
    expect(timers.pendingDelays()).toEqual([30_000]);
    timers.advance(30_000);
    await settle();
    expect(seen).toEqual([
      { key: 'a', priority: 'change' },
      { key: 'a', priority: 'resync' },
    ]);
    await queue.shutdown();
    await running;
  });

  it('waits for in-flight work on shutdown with drain, drops queued work and stops the workers', async () => {
    const { queue, timers } = newQueue();
    const gate = deferred();
    const started: string[] = [];
    let finished = false;
    const running = queue.run(async ({ key }) => {
      started.push(key);
      await gate.promise;
      finished = true;
    }, 1);
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 1000);
    await settle();
    let drained = false;
    const shutdown = queue.shutdown({ drain: true }).then(() => (drained = true));
    await settle();
    expect(drained).toBe(false);
    expect(queue.depth()).toBe(0);
    queue.add('d');
    expect(queue.depth()).toBe(0);
    gate.resolve();
    await shutdown;
    expect(finished).toBe(true);
    await running;
    timers.advance(1000);
    expect(started).toEqual(['a']);
    expect(await queue.get()).toBeUndefined();
  });

  it('returns from shutdown at once without drain', async () => {
    const { queue } = newQueue();
    queue.add('a');
    await queue.get();
    await queue.shutdown({ drain: false });
    expect(queue.isShuttingDown).toBe(true);
  });
});

describe('WorkQueue lanes (one per account, issue 14)', () => {
  const laneOf = (key: unknown) => String(key).split('/')[0]!;

  it('hands keys out round-robin across lanes, so one account with many keys does not go first with all of them', async () => {
    const queue = new WorkQueue<string>({ timers: new FakeTimers(), laneOf });
    for (const account of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) queue.add(`${account}/${i}`);
    const order: string[] = [];
    for (let i = 0; i < 9; i++) order.push((await queue.get())!.key);
    expect(order).toEqual(['a/0', 'b/0', 'c/0', 'a/1', 'b/1', 'c/1', 'a/2', 'b/2', 'c/2']);
  });

  it('holds a lane at perLane keys at once while other lanes still get workers', async () => {
    const queue = new WorkQueue<string>({ timers: new FakeTimers(), laneOf, perLane: 2 });
    for (let i = 0; i < 5; i++) queue.add(`busy/${i}`);
    queue.add('quiet/0');
    const first = [await queue.get(), await queue.get(), await queue.get()].map((item) => item!.key);
    expect(first).toEqual(['busy/0', 'quiet/0', 'busy/1']);
    let fourth: WorkItem<string> | undefined;
    const waiting = queue.get().then((item) => (fourth = item));
    await settle();
    expect(fourth).toBeUndefined();
    queue.done('busy/0');
    await waiting;
    expect(fourth?.key).toBe('busy/2');
    expect(queue.stats()).toMatchObject({ queued: 2, processing: 3 });
  });
});
