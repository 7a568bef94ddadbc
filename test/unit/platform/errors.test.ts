import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  PlatformError,
  UnauthorizedError,
  UnreachableError,
} from '../../../controller/platform/errors.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, TEST_ACCOUNT, TEST_TOKEN, testClient } from './test-client.js';

let fake: FakePlatform;

beforeEach(async () => {
  fake = await FakePlatform.start();
  fake.put('AtomVersionUpdateRequest');
});

afterEach(async () => {
  await fake.close();
});

const rollback = { atomId: 'atom-1', action: 'ROLLBACK', components: ['Atom'] };

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}

describe('platform errors', () => {
  it('name the request, the account and the platform message', async () => {
    fake.inject({ kind: 'status', status: 403, message: 'Access denied due to insufficient permissions.' });
    const client = testClient(fake, fakeClock());

    const error = await failure(client.create('AtomVersionUpdateRequest', rollback));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({
      code: 'Forbidden',
      status: 403,
      object: 'AtomVersionUpdateRequest',
      verb: 'CREATE',
      request: 'POST AtomVersionUpdateRequest',
      accountId: TEST_ACCOUNT,
      platformMessage: 'Access denied due to insufficient permissions.',
    });
    expect(error.message).toMatch(
      /^POST AtomVersionUpdateRequest for account acme-prod-D4E5F6 failed with HTTP 403: Access denied/,
    );
    expect(error.message).toContain('ATOM_MANAGEMENT');
  });

  it('never contain the token, even when the platform echoes it', async () => {
    fake.inject({ kind: 'status', status: 400, message: `Bad password ${TEST_TOKEN} for this call` });
    const client = testClient(fake, fakeClock());

    const error = await failure(client.get('AtomVersionUpdateRequest', 'r-1'));

    expect(error.message).not.toContain(TEST_TOKEN);
    expect(error.platformMessage).toBe('Bad password [REDACTED] for this call');
    expect(JSON.stringify(error)).not.toContain(TEST_TOKEN);
  });

  it('report bad credentials as UnauthorizedError without the token', async () => {
    const wrongToken = 'wrong-token-456';
    const client = testClient(fake, fakeClock(), { token: wrongToken });

    const error = await failure(client.get('AtomVersionUpdateRequest', 'r-1'));

    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toContain('Invalid credentials');
    expect(error.message).toContain('API token');
    expect(error.message).not.toContain(wrongToken);
    expect(error.message).not.toContain(
      Buffer.from(`BOOMI_TOKEN.admin@test:${wrongToken}`).toString('base64'),
    );
  });

  it('report a refused second request for the same components as ConflictError', async () => {
    fake.inject({ kind: 'status', status: 409, message: 'A request for Atom is already outstanding' });
    const client = testClient(fake, fakeClock());

    const error = await failure(client.create('AtomVersionUpdateRequest', rollback));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('A request for Atom is already outstanding');
  });

  it('report a platform that is down as UnreachableError naming the request', async () => {
    const down = await FakePlatform.start();
    await down.close();
    const client = testClient(down, fakeClock(), { maxRetries: 1 });

    const error = await failure(client.get('Atom', 'atom-1'));

    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.attempts).toBe(2);
    expect(error.message).toContain(
      'GET Atom/atom-1 for account acme-prod-D4E5F6 got no answer after 2 attempts',
    );
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('report a success answer that is not JSON as InvalidResponse', async () => {
    const client = testClient(fake, fakeClock(), {
      fetchImpl: async () => new Response('<html>proxy login</html>', { status: 200 }),
    });

    const error = await failure(client.get('Atom', 'atom-1'));

    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toContain('<html>proxy login</html>');
  });
});
