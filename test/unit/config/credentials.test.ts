import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CredentialError,
  resolveCredentials,
  resolveGitCredentials,
  resolveWebhookSecret,
} from '../../../controller/config/credentials.js';
import { loadConfig } from '../../../controller/config/load-config.js';
import type { AccountConfig } from '../../../controller/config/types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomsync-credentials-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const account = (fields: Partial<AccountConfig>): AccountConfig => ({
  alias: 'acme-prod',
  accountId: 'acme-prod-D4E5F6',
  ...fields,
});

function errorOf(fn: () => unknown): CredentialError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError);
    return error as CredentialError;
  }
  throw new Error('expected a CredentialError');
}

describe('resolveCredentials', () => {
  it('reads the demo tokens of examples/atomsync.yaml from their files', async () => {
    const config = await loadConfig('examples/atomsync.yaml');
    const admin = resolveCredentials(config.accounts['acme-prod'] as AccountConfig, {});
    const viewer = resolveCredentials(config.accounts['acme-eu'] as AccountConfig, {});
    expect(admin).toEqual({ username: 'BOOMI_TOKEN.admin@demo.atomsync', token: 'demo-admin-token' });
    expect(viewer).toEqual({ username: 'BOOMI_TOKEN.viewer@demo.atomsync', token: 'demo-viewer-token' });
  });

  it('reads user name and token from environment variables, trimmed', () => {
    const env = { ACME_USER: ' BOOMI_TOKEN.ci@acme.example\n', ACME_TOKEN: 'tok-123\n' };
    const credentials = resolveCredentials(
      account({ usernameEnv: 'ACME_USER', tokenEnv: 'ACME_TOKEN' }),
      env,
    );
    expect(credentials).toEqual({ username: 'BOOMI_TOKEN.ci@acme.example', token: 'tok-123' });
  });

  it('reads the token file at call time, so a rotated token is picked up', async () => {
    const tokenFile = join(dir, 'token');
    const fields = account({ username: 'u', tokenFile });
    await writeFile(tokenFile, 'first\n');
    expect(resolveCredentials(fields, {}).token).toBe('first');
    await writeFile(tokenFile, 'second\n');
    expect(resolveCredentials(fields, {}).token).toBe('second');
  });

  it('names the account and the missing variable, never a value', () => {
    const error = errorOf(() =>
      resolveCredentials(account({ username: 'u', tokenEnv: 'ACME_PROD_TOKEN' }), { OTHER: 'secret-value' }),
    );
    expect(error.message).toBe(
      'account acme-prod: environment variable ACME_PROD_TOKEN (tokenEnv) is not set',
    );
    expect(error.code).toBe('MissingCredential');
    expect(error.account).toBe('account acme-prod');
  });

  it('refuses an empty variable', () => {
    const error = errorOf(() =>
      resolveCredentials(account({ usernameEnv: 'U', tokenEnv: 'T' }), { U: 'u', T: '  ' }),
    );
    expect(error.message).toBe('account acme-prod: environment variable T (tokenEnv) is empty');
  });

  it('names the token file that is missing or empty', async () => {
    const missing = join(dir, 'missing.token');
    expect(
      errorOf(() => resolveCredentials(account({ username: 'u', tokenFile: missing }), {})).message,
    ).toBe(`account acme-prod: tokenFile ${missing} not found`);
    const empty = join(dir, 'empty.token');
    await writeFile(empty, '\n');
    expect(errorOf(() => resolveCredentials(account({ username: 'u', tokenFile: empty }), {})).message).toBe(
      `account acme-prod: tokenFile ${empty} is empty`,
    );
  });

  it('says when the token file cannot be read', () => {
    const error = errorOf(() => resolveCredentials(account({ username: 'u', tokenFile: dir }), {}));
    expect(error.message).toBe(`account acme-prod: tokenFile ${dir} cannot be read (EISDIR)`);
    expect(error.code).toBe('UnreadableCredential');
  });
});

describe('git and webhook secrets', () => {
  it('gives a git source without auth no credential, and one with auth its token', () => {
    expect(resolveGitCredentials({ url: 'https://github.com/acme/pins.git' }, {})).toBeUndefined();
    const source = { url: 'https://github.com/acme/pins.git', auth: { tokenEnv: 'GIT_TOKEN' } };
    expect(resolveGitCredentials(source, { GIT_TOKEN: 'ghp_x' })).toEqual({
      username: 'x-access-token',
      token: 'ghp_x',
    });
    expect(() => resolveGitCredentials(source, {})).toThrow(
      'git source https://github.com/acme/pins.git: environment variable GIT_TOKEN (tokenEnv) is not set',
    );
  });

  it('reads the webhook secret from its variable', () => {
    expect(resolveWebhookSecret({ secretEnv: 'HOOK' }, { HOOK: 's3cret' })).toBe('s3cret');
    expect(() => resolveWebhookSecret({ secretEnv: 'HOOK' }, {})).toThrow(
      'webhook: environment variable HOOK (secretEnv) is not set',
    );
  });
});
