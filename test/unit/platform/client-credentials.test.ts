// The client asks its credential provider before every attempt: a rotated token is used by the next
// call without a new client, a 401 asks the provider once more for a fresh credential, and a provider
// that cannot answer fails the call before anything is sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialRequestOptions } from '../../../controller/config/credential-source.js';
import type { Credentials } from '../../../controller/config/credentials.js';
import { PlatformError } from '../../../controller/platform/errors.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, platformFailureOf, TEST_USERNAME, testClient } from './test-client.js';

const NEW_TOKEN = 'rotated-token-456';

let fake: FakePlatform;

beforeEach(async () => {
  fake = await FakePlatform.start({ username: TEST_USERNAME, token: NEW_TOKEN });
  fake.put('Atom', { id: 'atom-1', name: 'Prod Atom' });
});

afterEach(async () => {
  await fake.close();
});

function authorizationOf(token: string): string {
  return `Basic ${Buffer.from(`${TEST_USERNAME}:${token}`).toString('base64')}`;
}

/** A provider whose current token the test changes, recording how it was asked. */
function rotatingProvider(initial: string) {
  const state = {
    token: initial,
    freshToken: initial,
    asked: [] as (CredentialRequestOptions | undefined)[],
  };
  const provider = (options?: CredentialRequestOptions): Promise<Credentials> => {
    state.asked.push(options);
    return Promise.resolve({
      username: TEST_USERNAME,
      token: options?.fresh ? state.freshToken : state.token,
    });
  };
  return { state, provider };
}

describe('AtomSphereClient with a credential provider', () => {
  it('uses a rotated token on the next call, with the same client', async () => {
    const { state, provider } = rotatingProvider('old-token-123');
    const client = testClient(fake, fakeClock(), {
      credentials: provider,
      username: undefined,
      token: undefined,
    });
    state.token = NEW_TOKEN;
    state.freshToken = NEW_TOKEN;

    expect(await client.get('Atom', 'atom-1')).toMatchObject({ name: 'Prod Atom' });
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([authorizationOf(NEW_TOKEN)]);
    expect(client.userId).toBe('admin@test');
  });

  it('asks for a fresh credential once after a 401 and sends again at once', async () => {
    const { state, provider } = rotatingProvider('old-token-123');
    state.freshToken = NEW_TOKEN;
    const clock = fakeClock();
    const client = testClient(fake, clock, { credentials: provider, username: undefined, token: undefined });

    expect(await client.get('Atom', 'atom-1')).toMatchObject({ name: 'Prod Atom' });
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      authorizationOf('old-token-123'),
      authorizationOf(NEW_TOKEN),
    ]);
    expect(state.asked).toEqual([undefined, { fresh: true }]);
    expect(clock.waits).toEqual([]);
  });

  it('fails with Unauthorized when the fresh credential is refused too, and never shows a token', async () => {
    const { provider } = rotatingProvider('old-token-123');
    const client = testClient(fake, fakeClock(), {
      credentials: provider,
      username: undefined,
      token: undefined,
    });

    const error = await platformFailureOf(client.get('Atom', 'atom-1'));

    expect(error).toBeInstanceOf(PlatformError);
    expect(error.code).toBe('Unauthorized');
    expect(fake.requests).toHaveLength(2);
    expect(error.message).not.toContain('old-token-123');
  });

  it('fails as NoCredential without sending anything when the provider cannot answer', async () => {
    const provider = () =>
      Promise.reject(new Error('account acme-eu: environment variable ACME_EU_TOKEN (tokenEnv) is not set'));
    const client = testClient(fake, fakeClock(), {
      credentials: provider,
      username: undefined,
      token: undefined,
    });

    const error = await platformFailureOf(client.get('Atom', 'atom-1'));

    expect(error).toBeInstanceOf(PlatformError);
    expect(error.code).toBe('NoCredential');
    expect(error.message).toBe(
      'GET Atom/atom-1 for account acme-prod-D4E5F6 was not sent: ' +
        'account acme-eu: environment variable ACME_EU_TOKEN (tokenEnv) is not set',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('does not ask again after a 401 when the credential is fixed', async () => {
    const client = testClient(fake, fakeClock(), { token: 'old-token-123' });

    const error = await platformFailureOf(client.get('Atom', 'atom-1'));

    expect(error.code).toBe('Unauthorized');
    expect(fake.requests).toHaveLength(1);
  });
});
