// Why 5 (issue 16): a hostile or broken platform. Answers far too large are refused unread with an error
// naming the object and the cap; JSON of the wrong shape (a map where a list belongs, null, objects without
// the fields atomsync reads) is one InvalidResponse per account naming the object and the field — never a
// TypeError, and never mistaken for "runtime not found".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomSphereClient, PlatformError } from '../../../controller/platform/index.js';
import { observeAccount } from '../../../controller/platform/observe.js';

type Route = (res: http.ServerResponse) => void;

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A platform whose answers are given per `METHOD Object/rest`; anything else is a proper empty answer. */
async function hostilePlatform(routes: Record<string, Route>): Promise<string> {
  server = http.createServer((req, res) => {
    void (async () => {
      for await (const chunk of req) void chunk;
      const path = (req.url ?? '').split('?')[0]!.replace(/^\/api\/rest\/v1\/[^/]+\//, '');
      const route = routes[`${req.method} ${path}`];
      if (route) return route(res);
      json(res, { '@type': 'QueryResult', result: [] });
    })();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function client(baseUrl: string, maxAnswerBytes?: number): AtomSphereClient {
  return new AtomSphereClient({
    baseUrl,
    accountId: 'acme-prod-D4E5F6',
    username: 'BOOMI_TOKEN.admin@test',
    token: 'hostile-test-token',
    requestsPerSecond: 0,
    maxRetries: 0,
    ...(maxAnswerBytes !== undefined ? { maxAnswerBytes } : {}),
  });
}

const pinned = { runtimes: [{ name: 'Prod West Atom' }], withPacks: [{ name: 'Prod West Atom' }] };
const atom = { id: 'a-1', name: 'Prod West Atom', type: 'ATOM', status: 'ONLINE', currentVersion: '26.11.0' };

async function accountError(routes: Record<string, Route>) {
  const url = await hostilePlatform(routes);
  const snapshot = await observeAccount({ accountId: 'acme-prod-D4E5F6', client: client(url) }, pinned);
  return snapshot.error;
}

describe('a hostile platform', () => {
  it('an answer over the cap is refused unread, naming the object and the cap (streamed without a Content-Length)', async () => {
    const url = await hostilePlatform({
      'POST Atom/query': (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const more = (): void => {
          while (sent < 300) {
            sent += 1;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end();
        };
        res.on('error', () => undefined);
        more();
      },
    });
    const error = (await client(url, 4 * 1024 * 1024)
      .queryAll('Atom')
      .catch((e: unknown) => e)) as PlatformError;
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toContain('POST Atom/query');
    expect(error.message).toContain('Atom answer is larger than the 4 MiB cap');
  });

  it('a bulk answer whose `response` is not a list is an error naming the object and field, not a TypeError', async () => {
    const error = await accountError({
      'POST Atom/query': (res) => json(res, { result: [atom] }),
      'POST AtomVersions/bulk': (res) => json(res, { response: {} }),
    });
    expect(error?.code).toBe('InvalidResponse');
    expect(error?.message).toContain('POST AtomVersions/bulk');
    expect(error?.message).toContain('the answer.response is an object (expected a list)');
    expect(error?.message).not.toMatch(/TypeError|is not a function/);
  });

  it('a `null` answer is an error, not "Cannot read properties of null"', async () => {
    const error = await accountError({ 'POST Atom/query': (res) => json(res, null) });
    expect(error?.code).toBe('InvalidResponse');
    expect(error?.message).toContain('POST Atom/query');
    expect(error?.message).toContain('the answer is null (expected an object)');
  });

  it('valid JSON without the fields atomsync reads is an error naming the field, not RuntimeNotFound', async () => {
    const error = await accountError({
      'POST Atom/query': (res) =>
        json(res, { result: [atom, { id: 'a-2', type: 'ATOM', status: 'ONLINE' }] }),
    });
    expect(error?.code).toBe('InvalidResponse');
    expect(error?.message).toContain('result[1].name is missing (expected a string)');
  });

  it('a successful bulk entry without its Result, or a version of the wrong type, names the entry and field', async () => {
    const missing = await accountError({
      'POST Atom/query': (res) => json(res, { result: [atom] }),
      'POST AtomVersions/bulk': (res) => json(res, { response: [{ statusCode: 200, id: 'a-1' }] }),
    });
    expect(missing?.message).toContain('response[0].Result is missing (expected an object)');
    const wrongType = await accountError({
      'POST Atom/query': (res) => json(res, { result: [atom] }),
      'POST AtomVersions/bulk': (res) =>
        json(res, {
          response: [
            { statusCode: 200, id: 'a-1', Result: { AtomVersion: [{ name: 'Atom', version: 26 }] } },
          ],
        }),
    });
    expect(wrongType?.message).toContain(
      'response[0].Result.AtomVersion[0].version is a number (expected a string)',
    );
  });
});
