import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AtomSphereClient } from '../../../controller/platform/client.js';
import { NotFoundError } from '../../../controller/platform/errors.js';
import { and, equals } from '../../../controller/platform/query-expression.js';
import type { Atom } from '../../../controller/platform/wire.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, TEST_ACCOUNT, TEST_TOKEN, TEST_USERNAME, testClient } from './test-client.js';

let fake: FakePlatform;
let client: AtomSphereClient;

beforeEach(async () => {
  fake = await FakePlatform.start();
  client = testClient(fake, fakeClock());
});

afterEach(async () => {
  await fake.close();
});

function atoms(count: number, fields: Partial<Atom> = {}): Atom[] {
  return Array.from({ length: count }, (_, i) => ({
    '@type': 'Atom' as const,
    id: `atom-${String(i).padStart(3, '0')}`,
    name: `Atom ${i}`,
    type: 'ATOM' as const,
    status: 'ONLINE' as const,
    ...fields,
  }));
}

describe('query', () => {
  it('follows queryMore across three pages and yields every result once, in order', async () => {
    fake.put('Atom', ...atoms(250));

    const names: string[] = [];
    for await (const atom of client.query<Atom>('Atom')) names.push(atom.name);

    expect(names).toHaveLength(250);
    expect(names[0]).toBe('Atom 0');
    expect(names[249]).toBe('Atom 249');
    expect(fake.requestsTo('Atom').map((r) => r.rest)).toEqual(['query', 'queryMore', 'queryMore']);
  });

  it('sends the queryToken as a text/plain body to queryMore', async () => {
    fake.put('Atom', ...atoms(150));

    await client.queryAll('Atom');

    const [first, more] = fake.requestsTo('Atom');
    expect(more?.headers['content-type']).toBe('text/plain');
    expect(more?.body).toMatch(/^token-\d+$/);
    expect(first?.headers['content-type']).toBe('application/json');
  });

  it('fetches the next page only when the iteration reaches it', async () => {
    fake.put('Atom', ...atoms(250));

    for await (const atom of client.query<Atom>('Atom')) {
      if (atom.name === 'Atom 5') break;
    }

    expect(fake.requestsTo('Atom')).toHaveLength(1);
  });

  it('sends the filter as QueryFilter.expression and returns only matches', async () => {
    fake.put(
      'Atom',
      ...atoms(3),
      ...atoms(2, { status: 'OFFLINE' }).map((a, i) => ({ ...a, id: `off-${i}` })),
    );

    const offline = await client.queryAll<Atom>(
      'Atom',
      and(equals('status', 'OFFLINE'), equals('type', 'ATOM')),
    );

    expect(offline.map((a) => a.id)).toEqual(['off-0', 'off-1']);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      QueryFilter: {
        expression: {
          operator: 'and',
          nestedExpression: [
            { property: 'status', operator: 'EQUALS', argument: ['OFFLINE'] },
            { property: 'type', operator: 'EQUALS', argument: ['ATOM'] },
          ],
        },
      },
    });
  });

  it('returns nothing for a query that matches nothing', async () => {
    fake.put('Atom', ...atoms(2));

    expect(await client.queryAll('Atom', equals('name', 'nope'))).toEqual([]);
  });
});

describe('bulkGet', () => {
  it('asks for 250 ids in three calls of at most 100 and maps every result by id', async () => {
    fake.put(
      'AtomConnectorVersions',
      ...atoms(250).map((a) => ({ '@type': 'AtomConnectorVersions', id: a.id })),
    );
    const ids = atoms(250).map((a) => a.id);

    const { items, errors } = await client.bulkGet('AtomConnectorVersions', ids);

    expect(items.size).toBe(250);
    expect(errors).toEqual([]);
    const calls = fake.requestsTo('AtomConnectorVersions');
    expect(calls.map((c) => c.rest)).toEqual(['bulk', 'bulk', 'bulk']);
    expect(calls.map((c) => (JSON.parse(c.body) as { request: unknown[] }).request.length)).toEqual([
      100, 100, 50,
    ]);
    const firstBatch = JSON.parse(calls[0]?.body ?? '') as { type: string; request: { id: string }[] };
    expect(firstBatch.type).toBe('GET');
    expect(firstBatch.request[0]).toEqual({ id: 'atom-000' });
  });

  it('reports unknown ids as per-item errors instead of failing', async () => {
    fake.put('Atom', ...atoms(1));

    const { items, errors } = await client.bulkGet<Atom>('Atom', ['atom-000', 'ghost']);

    expect(items.get('atom-000')?.name).toBe('Atom 0');
    expect(errors).toEqual([{ id: 'ghost', statusCode: 404, message: 'No object with id ghost' }]);
  });

  it('asks once for an id listed twice', async () => {
    fake.put('Atom', ...atoms(1));

    await client.bulkGet('Atom', ['atom-000', 'atom-000']);

    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ type: 'GET', request: [{ id: 'atom-000' }] });
  });

  it('makes no call for no ids', async () => {
    expect((await client.bulkGet('Atom', [])).items.size).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('requests on the wire', () => {
  it('uses Basic auth, JSON and the account URL', async () => {
    fake.put('Atom', ...atoms(1));

    const atom = await client.get<Atom>('Atom', 'atom-000');

    expect(atom.name).toBe('Atom 0');
    const [request] = fake.requests;
    expect(request?.path).toBe(`/api/rest/v1/${TEST_ACCOUNT}/Atom/atom-000`);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TEST_USERNAME}:${TEST_TOKEN}`).toString('base64')}`,
    );
    expect(request?.headers.accept).toBe('application/json');
  });

  it('uses the partner form with overrideAccount when a partner account is configured', async () => {
    fake.put('Atom', ...atoms(150));
    const partnerClient = testClient(fake, fakeClock(), { partnerAccountId: 'acme-publisher-A1B2C3' });

    await partnerClient.get('Atom', 'atom-000');
    await partnerClient.queryAll('Atom');

    expect(fake.requests.map((r) => r.path)).toEqual([
      '/partner/api/rest/v1/acme-publisher-A1B2C3/Atom/atom-000',
      '/partner/api/rest/v1/acme-publisher-A1B2C3/Atom/query',
      '/partner/api/rest/v1/acme-publisher-A1B2C3/Atom/queryMore',
    ]);
    expect(fake.requests.map((r) => r.search.get('overrideAccount'))).toEqual([
      TEST_ACCOUNT,
      TEST_ACCOUNT,
      TEST_ACCOUNT,
    ]);
  });

  it('escapes ids in the path', async () => {
    fake.put('IntegrationPackEnvironmentAttachment', { id: 'a/b c' });

    await client.get('IntegrationPackEnvironmentAttachment', 'a/b c');

    expect(fake.requests[0]?.path).toBe(
      `/api/rest/v1/${TEST_ACCOUNT}/IntegrationPackEnvironmentAttachment/a%2Fb%20c`,
    );
  });

  it('updates with a POST to the id and deletes with DELETE', async () => {
    fake.put('Atom', ...atoms(1));

    const updated = await client.update<Atom>('Atom', 'atom-000', { forceRestartTime: 60_000 });
    await client.delete('Atom', 'atom-000');

    expect(updated.forceRestartTime).toBe(60_000);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ '@type': 'Atom', forceRestartTime: 60_000 });
    expect(fake.requests.map((r) => `${r.method} ${r.rest}`)).toEqual(['POST atom-000', 'DELETE atom-000']);
    expect(fake.all('Atom')).toEqual([]);
  });

  it('throws NotFoundError for an unknown id', async () => {
    fake.put('Atom');

    await expect(client.get('Atom', 'ghost')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('request counters', () => {
  it('count requests by object, verb and status, retries included', async () => {
    fake.put('Atom', ...atoms(150));
    fake.put('AtomVersionUpdateRequest');
    fake.inject({ kind: 'status', status: 503 }, { match: (r) => r.rest === 'queryMore' });
    const events: string[] = [];
    const counted = testClient(fake, fakeClock(), { onRequest: (e) => events.push(`${e.verb} ${e.status}`) });

    await counted.queryAll('Atom');
    await counted.bulkGet('Atom', ['atom-001']);
    await counted.create('AtomVersionUpdateRequest', {
      atomId: 'atom-001',
      action: 'ROLLBACK',
      components: ['Atom'],
    });
    await expect(counted.get('Atom', 'ghost')).rejects.toThrow();

    expect(counted.stats).toEqual({
      total: 6,
      byObject: { Atom: 5, AtomVersionUpdateRequest: 1 },
      byVerb: { QUERY: 1, QUERY_MORE: 2, BULK: 1, CREATE: 1, GET: 1 },
      byStatus: { '200': 3, '202': 1, '503': 1, '404': 1 },
      rateLimited: 1,
      retries: 1,
    });
    expect(events).toEqual([
      'QUERY 200',
      'QUERY_MORE 503',
      'QUERY_MORE 200',
      'BULK 200',
      'CREATE 202',
      'GET 404',
    ]);
  });
});
