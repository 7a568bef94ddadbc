// Reads credentials when they are needed (not at load time), so a rotated token file or a changed
// environment is picked up. Errors name the account and the variable or file — never the value.

import { readFileSync } from 'node:fs';
import type { AccountConfig, GitAuthConfig } from './types.js';

export interface Credentials {
  username: string;
  token: string;
}

export type CredentialErrorCode = 'MissingCredential' | 'UnreadableCredential';

export class CredentialError extends Error {
  constructor(
    readonly code: CredentialErrorCode,
    /** The account alias (or `git source <url>`) the credential is for. */
    readonly account: string,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}

type Env = Record<string, string | undefined>;

interface CredentialFields {
  username?: string;
  usernameEnv?: string;
  tokenEnv?: string;
  tokenFile?: string;
}

/** The account's user name and API token, read now from the environment or the token file (trimmed). */
export function resolveCredentials(account: AccountConfig, env: Env = process.env): Credentials {
  return resolveFields(account, `account ${account.alias}`, env);
}

/** The git source's credential, or undefined when it has no auth (public or SSH-agent remotes). */
export function resolveGitCredentials(
  source: { url: string; auth?: GitAuthConfig },
  env: Env = process.env,
): Credentials | undefined {
  if (!source.auth) return undefined;
  const username = source.auth.username ?? source.auth.usernameEnv;
  const fields = { ...source.auth, ...(username === undefined ? { username: 'x-access-token' } : {}) };
  return resolveFields(fields, `git source ${source.url}`, env);
}

/** The webhook signing secret from its environment variable. */
export function resolveWebhookSecret(webhook: { secretEnv: string }, env: Env = process.env): string {
  return fromEnv(webhook.secretEnv, 'webhook', 'secretEnv', env);
}

/** The dashboard/status API bearer token, when server.tokenEnv or server.tokenFile is configured. */
export function resolveServerToken(
  server: { tokenEnv?: string; tokenFile?: string },
  env: Env = process.env,
): string | undefined {
  if (server.tokenEnv !== undefined) return fromEnv(server.tokenEnv, 'server', 'tokenEnv', env);
  if (server.tokenFile !== undefined) return fromFile(server.tokenFile, 'server');
  return undefined;
}

function resolveFields(fields: CredentialFields, owner: string, env: Env): Credentials {
  const username =
    fields.usernameEnv !== undefined
      ? fromEnv(fields.usernameEnv, owner, 'usernameEnv', env)
      : fields.username;
  if (username === undefined)
    throw new CredentialError('MissingCredential', owner, `${owner}: no username or usernameEnv configured`);
  if (fields.tokenEnv !== undefined)
    return { username, token: fromEnv(fields.tokenEnv, owner, 'tokenEnv', env) };
  if (fields.tokenFile !== undefined) return { username, token: fromFile(fields.tokenFile, owner) };
  throw new CredentialError('MissingCredential', owner, `${owner}: no tokenEnv or tokenFile configured`);
}

function fromEnv(variable: string, owner: string, field: string, env: Env): string {
  const value = env[variable]?.trim();
  if (value === undefined) {
    throw new CredentialError(
      'MissingCredential',
      owner,
      `${owner}: environment variable ${variable} (${field}) is not set`,
    );
  }
  if (value === '') {
    throw new CredentialError(
      'MissingCredential',
      owner,
      `${owner}: environment variable ${variable} (${field}) is empty`,
    );
  }
  return value;
}

function fromFile(path: string, owner: string): string {
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code})`;
    throw new CredentialError('UnreadableCredential', owner, `${owner}: tokenFile ${path} ${reason}`);
  }
  if (value === '')
    throw new CredentialError('MissingCredential', owner, `${owner}: tokenFile ${path} is empty`);
  return value;
}
