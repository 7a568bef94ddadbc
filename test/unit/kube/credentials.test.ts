import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../controller/config/types.js';
import {
  KubeCredentials,
  kubeSecretReader,
  parseAccountSecretRefs,
  type KubeCredentialsOptions,
} from '../../../controller/kube/credentials.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { FakeTimers } from '../reconciler/fake-timers.js';
import { startKube } from './kube-test-support.js';

const ADMIN_TOKEN = 'demo-admin-token';

const accounts: Record<string, AccountConfig> = {
  'acme-prod': {
    alias: 'acme-prod',
    accountId: 'acme-prod-D4E5F6',
    usernameEnv: 'ACME_PROD_USER',
    tokenEnv: 'ACME_PROD_TOKEN',
  },
  'acme-dev': {
    alias: 'acme-dev',
    accountId: 'acme-dev-G7H8I9',
    username: 'BOOMI_TOKEN.dev@demo',
    tokenEnv: 'ACME_DEV_TOKEN',
  },
};

describe('parseAccountSecretRefs', () => {
  it('reads account=secret and account=namespace/secret entries', () => {
    expect(
      parseAccountSecretRefs('acme-prod=atomsync/boomi-acme-prod, acme-dev-G7H8I9=boomi-acme-dev'),
    ).toEqual({
      refs: {
        'acme-prod': { name: 'boomi-acme-prod', namespace: 'atomsync' },
        'acme-dev-G7H8I9': { name: 'boomi-acme-dev' },
      },
      problems: [],
    });
    expect(parseAccountSecretRefs(undefined)).toEqual({ refs: {}, problems: [] });
  });

  it('names the entry it cannot read', () => {
    expect(parseAccountSecretRefs('acme-prod:boomi').problems).toEqual([
      "ATOMSYNC_ACCOUNT_SECRETS: 'acme-prod:boomi' is not account=secret or account=namespace/secret (e.g. acme-prod=atomsync/boomi-acme-prod)",
    ]);
  });
});

describe('KubeCredentials with Secrets in the fake API server', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let timers: FakeTimers;

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    timers = new FakeTimers();
    secret('atomsync', 'boomi-acme-prod', {
      username: 'BOOMI_TOKEN.admin@demo.atomsync',
      token: `${ADMIN_TOKEN}\n`,
    });
  });

  afterEach(async () => {
    await kube.close();
  });

  function secret(namespace: string, name: string, stringData: Record<string, string>): void {
    kube.store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData });
  }

  function credentials(options: Partial<KubeCredentialsOptions> = {}): KubeCredentials {
    return new KubeCredentials({
      reader: kubeSecretReader(kc),
      accounts,
      secretRefs: { 'acme-prod': { name: 'boomi-acme-prod' } },
      defaultNamespace: 'atomsync',
      timers,
      ...options,
    });
  }

  async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
    const error = await promise.then(
      () => undefined,
      (err: unknown) => err as { code: string; message: string },
    );
    if (!error) throw new Error('expected a failure');
    return error;
  }

  it("reads the account's Secret from the mapping, by alias or by account id", async () => {
    const creds = credentials();
    const expected = { username: 'BOOMI_TOKEN.admin@demo.atomsync', token: ADMIN_TOKEN };
    expect(await creds.resolve('acme-prod')).toEqual(expected);
    expect(await creds.resolve('acme-prod-D4E5F6')).toEqual(expected);
  });

  it('names a missing Secret or key, never a value', async () => {
    secret('atomsync', 'no-token', { username: 'BOOMI_TOKEN.admin@demo.atomsync', password: ADMIN_TOKEN });
    const missing = await failure(
      credentials({ secretRefs: { 'acme-prod': { name: 'nope' } } }).resolve('acme-prod'),
    );
    expect(missing).toMatchObject({
      code: 'SecretNotFound',
      message: 'Secret atomsync/nope for account acme-prod does not exist',
    });

    const noKey = await failure(
      credentials({ secretRefs: { 'acme-prod': { name: 'no-token' } } }).resolve('acme-prod'),
    );
    expect(noKey).toMatchObject({
      code: 'SecretKeyMissing',
      message: "Secret atomsync/no-token for account acme-prod has no key 'token'",
    });
    expect(JSON.stringify(noKey) + noKey.message).not.toContain(ADMIN_TOKEN);
  });

  it("falls back to the config's credential for an account with no Secret", async () => {
    const creds = credentials({
      fallback: (account) => ({ username: account.username ?? '?', token: 'from-env' }),
    });
    expect(await creds.resolve('acme-dev')).toEqual({
      username: 'BOOMI_TOKEN.dev@demo',
      token: 'from-env',
    });
    const none = await failure(credentials().resolve('acme-dev'));
    expect(none.code).toBe('NoCredential');
  });

  it('reuses a read Secret for a while, then picks up a rotated token', async () => {
    const creds = credentials({ cacheTtlMs: 30_000 });
    await creds.resolve('acme-prod');
    kube.store.patch(
      { apiVersion: 'v1', kind: 'Secret', name: 'boomi-acme-prod', namespace: 'atomsync' },
      { data: { token: Buffer.from('rotated-token').toString('base64') } },
    );
    expect((await creds.resolve('acme-prod')).token).toBe(ADMIN_TOKEN);
    timers.advance(30_000);
    expect((await creds.resolve('acme-prod')).token).toBe('rotated-token');
    const reads = kube.requests.filter((r) => r.path.endsWith('/secrets/boomi-acme-prod'));
    expect(reads).toHaveLength(2);
  });

  it('reads the Secret again at once when asked for a fresh credential (the platform said 401)', async () => {
    const creds = credentials({ cacheTtlMs: 30_000 });
    await creds.credentialsFor(accounts['acme-prod']!);
    kube.store.patch(
      { apiVersion: 'v1', kind: 'Secret', name: 'boomi-acme-prod', namespace: 'atomsync' },
      { data: { token: Buffer.from('rotated-token').toString('base64') } },
    );
    expect((await creds.credentialsFor(accounts['acme-prod']!, { fresh: true })).token).toBe('rotated-token');
  });

  it('tells which Secret a request would use (for RBAC and messages)', () => {
    expect(credentials().secretFor('acme-prod-D4E5F6')).toEqual({
      namespace: 'atomsync',
      name: 'boomi-acme-prod',
    });
    expect(credentials().secretFor('acme-dev')).toBeUndefined();
  });
});
