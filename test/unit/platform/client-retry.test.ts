import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  PlatformError,
  RateLimitedError,
  UnreachableError,
} from '../../../controller/platform/errors.js';
import { and, equals, notEquals } from '../../../controller/platform/query-expression.js';
import type { AtomVersionUpdateRequest } from '../../../controller/platform/wire.js';
import { FakePlatform } from './fake-platform.js';
import type { RecordedRequest } from './fake-platform.js';
import { fakeClock, testClient } from './test-client.js';
import type { FakeClock } from './test-client.js';

let fake: FakePlatform;
let clock: FakeClock;

beforeEach(async () => {
  fake = await FakePlatform.start();
  fake.put('Atom', { id: 'atom-1', name: 'Prod West Atom', type: 'ATOM', status: 'ONLINE' });
  fake.put('AtomVersionUpdateRequest');
  clock = fakeClock();
});

afterEach(async () => {
  await fake.close();
});

const isCreate = (r: RecordedRequest) => r.method === 'POST' && r.rest === undefined;
const creates = () => fake.requestsTo('AtomVersionUpdateRequest').filter(isCreate);
const rollback = { atomId: 'atom-1', action: 'ROLLBACK', components: ['Salesforce'] } as const;

/** The request a retried rollback may already have made: same runtime, not finished. */
function findOutstanding(client: ReturnType<typeof testClient>) {
  return async () => {
    const open = await client.queryAll<AtomVersionUpdateRequest>(
      'AtomVersionUpdateRequest',
      and(equals('atomId', 'atom-1'), notEquals('status', 'COMPLETE')),
    );
    return open[0];
  };
}

describe('retries', () => {
  it('waits the seconds a 503 names in Retry-After, then succeeds', async () => {
    fake.inject({ kind: 'status', status: 503, retryAfter: '3' }, { times: 2 });
    const client = testClient(fake, clock);

    await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([3000, 3000]);
    expect(fake.requests).toHaveLength(3);
  });

  it('waits until the HTTP date a 503 names in Retry-After', async () => {
    fake.inject({ kind: 'status', status: 503, retryAfter: new Date(clock.now() + 7000).toUTCString() });
    const client = testClient(fake, clock);

    await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([7000]);
  });

  it('backs off exponentially with full jitter, capped at retryMaxMs', async () => {
    fake.inject({ kind: 'status', status: 504 }, { times: 5 });
    const client = testClient(fake, clock, { random: () => 0.5, retryBaseMs: 100, retryMaxMs: 300 });

    await client.get('Atom', 'atom-1');

    expect(clock.waits).toEqual([50, 100, 150, 150, 150]);
  });

  it('never waits longer than retryMaxMs, even at the top of the jitter range', async () => {
    fake.inject({ kind: 'status', status: 504 }, { times: 4 });
    const client = testClient(fake, clock, { random: () => 0.9999, retryBaseMs: 100, retryMaxMs: 300 });

    await client.get('Atom', 'atom-1');

    expect(Math.max(...clock.waits)).toBeLessThanOrEqual(300);
    expect(clock.waits[3]).toBeGreaterThan(299);
  });

  it('gives up after maxRetries with RateLimitedError carrying the platform message', async () => {
    const message =
      "The Boomi server is currently unavailable or your account's rate limits have been exceeded.";
    fake.inject({ kind: 'status', status: 503, message }, { times: 100 });
    const client = testClient(fake, clock, { maxRetries: 2 });

    const error = await client.get('Atom', 'atom-1').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'RateLimited', status: 503, attempts: 3, platformMessage: message });
    expect(fake.requests).toHaveLength(3);
    expect(client.stats.rateLimited).toBe(3);
  });

  it('does not retry a 400 or a 403', async () => {
    fake.inject({ kind: 'status', status: 400, message: 'Unknown property' });
    fake.inject({ kind: 'status', status: 403, message: 'Access denied due to insufficient permissions.' });
    const client = testClient(fake, clock);

    await expect(client.get('Atom', 'atom-1')).rejects.toMatchObject({ code: 'BadRequest', attempts: 1 });
    await expect(client.get('Atom', 'atom-1')).rejects.toBeInstanceOf(ForbiddenError);

    expect(fake.requests).toHaveLength(2);
    expect(clock.waits).toEqual([]);
  });

  it('retries after the platform resets the connection', async () => {
    fake.inject({ kind: 'reset' });
    const client = testClient(fake, clock);

    const atom = await client.get<{ name: string }>('Atom', 'atom-1');

    expect(atom.name).toBe('Prod West Atom');
    expect(fake.requests).toHaveLength(2);
    expect(client.stats.byStatus).toEqual({ network: 1, '200': 1 });
  });

  it('retries a request that times out, then reports the platform unreachable', async () => {
    fake.inject({ kind: 'hang' }, { times: 3 });
    const client = testClient(fake, clock, { timeoutMs: 100, maxRetries: 2 });

    const error = await client.get('Atom', 'atom-1').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UnreachableError);
    expect(error).toMatchObject({ code: 'Unreachable', status: undefined, attempts: 3 });
    expect((error as Error).message).toContain('no answer within 100 ms');
    expect(fake.requests).toHaveLength(3);
    expect(client.stats.byStatus).toEqual({ timeout: 3 });
  });

  it('retries a queryMore with the same token', async () => {
    fake.pageSize = 1;
    fake.put('Atom', { id: 'atom-2', name: 'Dev Atom', type: 'ATOM', status: 'ONLINE' });
    fake.inject({ kind: 'reset' }, { match: (r) => r.rest === 'queryMore' });
    const client = testClient(fake, clock);

    expect(await client.queryAll('Atom')).toHaveLength(2);
    const mores = fake.requestsTo('Atom').filter((r) => r.rest === 'queryMore');
    expect(mores.map((r) => r.body)).toEqual([mores[0]?.body, mores[0]?.body]);
  });
});

describe('a create is never applied twice', () => {
  it('returns what findExisting finds instead of re-sending a create that timed out after applying', async () => {
    fake.inject({ kind: 'hang' }, { match: isCreate, applyFirst: true });
    const client = testClient(fake, clock, { timeoutMs: 200 });

    const request = await client.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', rollback, {
      findExisting: findOutstanding(client),
    });

    expect(creates()).toHaveLength(1);
    expect(fake.all('AtomVersionUpdateRequest')).toHaveLength(1);
    expect(request).toMatchObject({ atomId: 'atom-1', action: 'ROLLBACK', status: 'ACCEPTED' });
  });

  it('re-sends the create when findExisting finds nothing', async () => {
    fake.inject({ kind: 'status', status: 503 }, { match: isCreate });
    const client = testClient(fake, clock);
    let lookups = 0;

    const request = await client.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', rollback, {
      findExisting: async () => {
        lookups += 1;
        return findOutstanding(client)();
      },
    });

    expect(lookups).toBe(1);
    expect(creates()).toHaveLength(2);
    expect(fake.all('AtomVersionUpdateRequest')).toEqual([request]);
  });

  it('does not re-send a create without findExisting once it may have applied', async () => {
    fake.inject({ kind: 'reset' }, { match: isCreate, applyFirst: true });
    const client = testClient(fake, clock);

    const error = await client.create('AtomVersionUpdateRequest', rollback).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UnreachableError);
    expect(error).toMatchObject({ mayHaveApplied: true, attempts: 1 });
    expect((error as Error).message).toContain('may have been applied');
    expect(creates()).toHaveLength(1);
  });

  it('re-sends a create whose connection was refused, which cannot have reached the platform', async () => {
    let calls = 0;
    const refuseOnce: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      return fetch(input, init);
    };
    const client = testClient(fake, clock, { fetchImpl: refuseOnce });

    await client.create('AtomVersionUpdateRequest', rollback);

    expect(calls).toBe(2);
    expect(creates()).toHaveLength(1);
  });

  it('adds "@type" to the body', async () => {
    const client = testClient(fake, clock);

    await client.create('AtomVersionUpdateRequest', rollback);

    expect(JSON.parse(creates()[0]?.body ?? '')).toEqual({
      '@type': 'AtomVersionUpdateRequest',
      ...rollback,
    });
  });
});

describe('delete', () => {
  it('counts a 404 on the retry of a delete whose answer was lost as done', async () => {
    fake.inject({ kind: 'reset' }, { match: (r) => r.method === 'DELETE', applyFirst: true });
    const client = testClient(fake, clock);

    await client.delete('Atom', 'atom-1');

    expect(fake.requestsTo('Atom', 'DELETE')).toHaveLength(2);
    expect(fake.all('Atom')).toEqual([]);
  });

  it('reports a 404 on the first attempt as an error', async () => {
    const client = testClient(fake, clock);

    await expect(client.delete('Atom', 'ghost')).rejects.toBeInstanceOf(PlatformError);
  });
});

describe('a lost query token', () => {
  it('starts the query over and yields each result once when a queryMore used its token but lost the answer', async () => {
    fake.pageSize = 2;
    for (let i = 2; i <= 5; i++)
      fake.put('Atom', { id: `atom-${i}`, name: `Atom ${i}`, type: 'ATOM', status: 'ONLINE' });
    fake.inject({ kind: 'hang' }, { match: (r) => r.rest === 'queryMore', applyFirst: true });
    const client = testClient(fake, clock, { timeoutMs: 200 });

    const ids = (await client.queryAll<{ id: string }>('Atom')).map((a) => a.id);

    expect(ids).toEqual(['atom-1', 'atom-2', 'atom-3', 'atom-4', 'atom-5']);
    expect(fake.requestsTo('Atom').map((r) => r.rest)).toEqual([
      'query',
      'queryMore',
      'queryMore',
      'query',
      'queryMore',
      'queryMore',
    ]);
  });

  it('gives up with the 410 when the token keeps getting lost', async () => {
    fake.pageSize = 1;
    fake.put('Atom', { id: 'atom-2', name: 'Atom 2', type: 'ATOM', status: 'ONLINE' });
    fake.inject(
      { kind: 'status', status: 410, message: 'Endpoint is invalid or no longer exists.' },
      {
        match: (r) => r.rest === 'queryMore',
        times: 10,
      },
    );
    const client = testClient(fake, clock);

    await expect(client.queryAll('Atom')).rejects.toMatchObject({ code: 'Gone', verb: 'QUERY_MORE' });
    expect(fake.requestsTo('Atom').filter((r) => r.rest === 'query')).toHaveLength(3);
  });
});
