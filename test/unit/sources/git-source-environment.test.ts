import { describe, expect, it } from 'vitest';
import {
  GitAuthError,
  gitEnvironment,
  redact,
  sshCommand,
} from '../../../controller/sources/git-environment.js';

describe('gitEnvironment', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/op', EDITOR: 'vim', GIT_ASKPASS: '/bin/ask', PAGER: 'less' };

  it('never lets git prompt, and drops editors, pagers and askpass helpers of the caller', () => {
    const { env, unsafe, secrets } = gitEnvironment(undefined, base, '/state/git/known_hosts');
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/op',
      GIT_TERMINAL_PROMPT: '0',
      GCM_INTERACTIVE: 'never',
      LC_ALL: 'C',
      LANGUAGE: 'C',
    });
    expect(unsafe).toEqual({});
    expect(secrets).toEqual([]);
  });

  it('passes a token as http.extraHeader through the environment, not the command line', () => {
    const { env, unsafe, secrets } = gitEnvironment(
      { tokenEnv: 'GIT_TOKEN' },
      { ...base, GIT_TOKEN: 'tok' },
      '/kh',
    );
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: 'Authorization: Bearer tok',
    });
    expect(env.GIT_TOKEN).toBeUndefined();
    expect(unsafe).toEqual({ allowUnsafeConfigEnvCount: true });
    expect(secrets).toContain('tok');
  });

  it('can send the token with Basic auth for hosts that want a user name', () => {
    const { env, secrets } = gitEnvironment(
      { tokenEnv: 'T', scheme: 'basic', username: 'x-access-token' },
      { T: 'tok' },
      '/kh',
    );
    const encoded = Buffer.from('x-access-token:tok').toString('base64');
    expect(env.GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${encoded}`);
    expect(secrets).toContain(`Basic ${encoded}`);
  });

  it('fails with a message naming the variable when the token is missing', () => {
    expect(() => gitEnvironment({ tokenEnv: 'GIT_TOKEN' }, base, '/kh')).toThrow(GitAuthError);
    expect(() => gitEnvironment({ tokenEnv: 'GIT_TOKEN' }, base, '/kh')).toThrow(/GIT_TOKEN/);
  });

  it('uses only the given SSH key and accepts a host key the first time, but not a changed one', () => {
    const { env, unsafe } = gitEnvironment({ sshKeyPath: "/keys/it's key" }, base, '/state/git/known_hosts');
    expect(env.GIT_SSH_COMMAND).toBe(sshCommand("/keys/it's key", '/state/git/known_hosts'));
    expect(env.GIT_SSH_COMMAND).toBe(
      "ssh -i '/keys/it'\\''s key' -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new " +
        "-o UserKnownHostsFile='/state/git/known_hosts' -o BatchMode=yes",
    );
    expect(unsafe).toEqual({ allowUnsafeSshCommand: true });
  });
});

describe('redact', () => {
  it('hides secrets and credentials in urls', () => {
    expect(redact('fatal: https://bob:pw@example.com/r.git said tok-123', ['tok-123'])).toBe(
      'fatal: https://***@example.com/r.git said ***',
    );
  });
});
