// Where platform credentials come from. A platform client asks its account's CredentialSource before
// every HTTP attempt, so a rotated token (a changed environment, a rewritten token file, an edited
// Kubernetes Secret) is used by the next call without a restart, and an account nobody calls never
// needs a credential at all (the Deployment starts even when one account has none yet).
//
// Implementations: configCredentialSource (usernameEnv/tokenEnv/tokenFile from atomsync.yaml, read on
// every call) and KubeCredentials (controller/kube/credentials.ts: the account's Secret, read with a
// short cache, the config's credential as fallback).

import { resolveCredentials, type Credentials } from './credentials.js';
import type { AccountConfig } from './types.js';

export interface CredentialRequestOptions {
  /** The last credential was refused (401): skip any cache and read the credential again. */
  fresh?: boolean;
}

export interface CredentialSource {
  /**
   * The account's credential as of now. Throws an error whose message names the account and where the
   * credential was looked for (variable, file or Secret and key) — never a value.
   */
  credentialsFor(account: AccountConfig, options?: CredentialRequestOptions): Promise<Credentials>;
}

/** What a platform client calls before each attempt: one account's credential, read now. */
export type CredentialProvider = (options?: CredentialRequestOptions) => Promise<Credentials>;

type Env = Record<string, string | undefined>;

/** The config's own credential, read from the environment or the token file on every call (no cache). */
export function configCredentialSource(env: Env = process.env): CredentialSource {
  return {
    credentialsFor: (account) => Promise.resolve().then(() => resolveCredentials(account, env)),
  };
}

/**
 * One account's provider from a source; `onCredential` sees every credential read (the log scrubber
 * learns a rotated token before any message could carry it).
 */
export function credentialProvider(
  source: CredentialSource,
  account: AccountConfig,
  onCredential?: (credentials: Credentials) => void,
): CredentialProvider {
  return async (options) => {
    const credentials = await source.credentialsFor(account, options);
    onCredential?.(credentials);
    return credentials;
  };
}
