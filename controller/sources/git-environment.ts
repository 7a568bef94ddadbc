// The environment and options every git call of the git source runs with: no prompts, no inherited
// pager/editor/askpass, English messages, and credentials that never appear on a command line.

import type { SimpleGitOptions } from 'simple-git';

export interface GitAuth {
  /** Name of the environment variable that holds an HTTP token (never the token itself). */
  tokenEnv?: string;
  /** How the token is sent: `Authorization: Bearer <token>` (default) or Basic with `username`. */
  scheme?: 'bearer' | 'basic';
  /** User for the Basic scheme (GitHub: `x-access-token`). */
  username?: string;
  /** Private key for ssh:// and scp-style URLs. */
  sshKeyPath?: string;
}

export class GitAuthError extends Error {
  readonly code = 'GitAuthMissing';
  constructor(message: string) {
    super(message);
    this.name = 'GitAuthError';
  }
}

/** Variables passed through from the controller's own environment (proxies, CA bundles, ssh-agent). */
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'SYSTEMROOT',
  'TMPDIR',
  'TEMP',
  'TMP',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GIT_SSL_CAINFO',
  'SSH_AUTH_SOCK',
];

export interface GitEnvironment {
  env: Record<string, string>;
  unsafe: SimpleGitOptions['unsafe'];
  /** Values that must be scrubbed from any message shown to people. */
  secrets: string[];
}

/**
 * Builds the child environment. The token goes in as git config through GIT_CONFIG_COUNT/KEY/VALUE
 * (the same as `-c http.extraHeader=…`, but not visible in the process list).
 */
export function gitEnvironment(
  auth: GitAuth | undefined,
  source: NodeJS.ProcessEnv,
  knownHostsFile: string,
): GitEnvironment {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C', LANGUAGE: 'C' });
  const unsafe: NonNullable<SimpleGitOptions['unsafe']> = {};
  const secrets: string[] = [];
  if (auth?.tokenEnv) {
    const token = source[auth.tokenEnv];
    if (!token)
      throw new GitAuthError(
        `environment variable ${auth.tokenEnv} (auth.tokenEnv of the git source) is not set`,
      );
    const header = authorizationHeader(auth, token);
    Object.assign(env, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: header,
    });
    unsafe.allowUnsafeConfigEnvCount = true;
    secrets.push(token, header.slice('Authorization: '.length));
  }
  if (auth?.sshKeyPath) {
    env.GIT_SSH_COMMAND = sshCommand(auth.sshKeyPath, knownHostsFile);
    unsafe.allowUnsafeSshCommand = true;
  }
  return { env, unsafe, secrets };
}

function authorizationHeader(auth: GitAuth, token: string): string {
  if (auth.scheme === 'basic') {
    const basic = Buffer.from(`${auth.username ?? 'x-access-token'}:${token}`).toString('base64');
    return `Authorization: Basic ${basic}`;
  }
  return `Authorization: Bearer ${token}`;
}

/** accept-new: trust a host the first time, refuse if its key changes later. BatchMode: never prompt. */
export function sshCommand(keyPath: string, knownHostsFile: string): string {
  return [
    'ssh',
    `-i ${shellQuote(keyPath)}`,
    '-o IdentitiesOnly=yes',
    '-o StrictHostKeyChecking=accept-new',
    `-o UserKnownHostsFile=${shellQuote(knownHostsFile)}`,
    '-o BatchMode=yes',
  ].join(' ');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Removes secrets and URL credentials (`https://user:pass@host`) from text shown to people. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
  for (const secret of secrets) if (secret) result = result.split(secret).join('***');
  return result;
}
