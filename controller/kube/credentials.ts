// Platform credentials from Kubernetes Secrets (keys `username` and `token`): a CredentialSource
// (controller/config/credential-source.ts). Where an account's credential comes from, first match wins:
//   1. the account's Secret from the Kubernetes account mapping (ATOMSYNC_ACCOUNT_SECRETS, by alias or id);
//   2. the config's own credential (usernameEnv/tokenEnv/tokenFile), when a fallback is given.
// Secrets are read with `get` only (RBAC can name them) when a platform call needs them, cached for a
// few seconds; a 401 from the platform reads the Secret again at once, so a rotation is picked up by the
// next call. Values never appear in errors or logs: messages name the Secret and the key, nothing else.
// There is no per-AtomVersion credential (spec.credentialsRef): docs/kubernetes.md says why.

import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { AccountConfig } from '../config/types.js';
import type { CredentialRequestOptions, CredentialSource } from '../config/credential-source.js';
import type { Credentials } from '../config/credentials.js';
import { realTimers, type Timers } from '../util/timers.js';
import { describeKubeFailure } from './kube-errors.js';

export interface SecretRef {
  name: string;
  namespace?: string;
}

/** Account alias (or account id) → the Secret holding its credential. */
export type AccountSecretRefs = Record<string, SecretRef>;

/** The environment variable that carries the account → Secret mapping (see docs/kubernetes.md). */
export const ACCOUNT_SECRETS_ENV = 'ATOMSYNC_ACCOUNT_SECRETS';

const USERNAME_KEY = 'username';
const TOKEN_KEY = 'token';

export type KubeCredentialErrorCode =
  'SecretNotFound' | 'SecretKeyMissing' | 'SecretUnreadable' | 'NoCredential';

class KubeCredentialError extends Error {
  constructor(
    readonly code: KubeCredentialErrorCode,
    /** The account (alias or id) the credential was for. */
    readonly account: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeCredentialError';
  }
}

// -----------------------------------------------------------------------------------------------------
// The mapping

/**
 * Parses `acme-prod=atomsync/boomi-acme-prod, acme-dev=boomi-acme-dev` (account=[namespace/]secret,
 * separated by commas or whitespace). Problems name the entry, so a typo is found at start-up.
 */
export function parseAccountSecretRefs(text: string | undefined): {
  refs: AccountSecretRefs;
  problems: string[];
} {
  const refs: AccountSecretRefs = {};
  const problems: string[] = [];
  for (const entry of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const match = /^([^=\s]+)=(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/)?([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(
      entry,
    );
    if (!match?.[1] || !match[4]) {
      problems.push(
        `${ACCOUNT_SECRETS_ENV}: '${entry}' is not account=secret or account=namespace/secret (e.g. acme-prod=atomsync/boomi-acme-prod)`,
      );
      continue;
    }
    refs[match[1]] = { name: match[4], ...(match[2] ? { namespace: match[2] } : {}) };
  }
  return { refs, problems };
}

// -----------------------------------------------------------------------------------------------------
// Reading Secrets

export interface SecretReader {
  /** The Secret's data, decoded; undefined when it does not exist. */
  read(namespace: string, name: string): Promise<Record<string, string> | undefined>;
}

export function kubeSecretReader(kubeConfig: KubeConfig): SecretReader {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  return {
    async read(namespace, name) {
      try {
        const secret = await api.readNamespacedSecret({ namespace, name });
        const data: Record<string, string> = {};
        for (const [key, value] of Object.entries(secret.data ?? {})) {
          data[key] = Buffer.from(value, 'base64').toString('utf8');
        }
        for (const [key, value] of Object.entries(secret.stringData ?? {})) data[key] = value;
        return data;
      } catch (error) {
        if (describeKubeFailure(error).statusCode === 404) return undefined;
        throw error;
      }
    },
  };
}

// -----------------------------------------------------------------------------------------------------
// Resolving

/** How long a Secret read is reused by default: short, and a 401 skips it anyway. */
const SECRET_CACHE_TTL_MS = 5_000;

export interface KubeCredentialsOptions {
  reader: SecretReader;
  /** The config's accounts, by alias. */
  accounts: Record<string, AccountConfig>;
  secretRefs: AccountSecretRefs;
  /** Namespace of mapped Secrets that name none: atomsync's own. */
  defaultNamespace: string;
  /** The config's credential when no Secret applies (resolveCredentials from controller/config). */
  fallback?: (account: AccountConfig) => Credentials;
  /** How long a Secret read is reused. Default SECRET_CACHE_TTL_MS. */
  cacheTtlMs?: number;
  timers?: Timers;
}

interface CachedSecret {
  at: number;
  data: Record<string, string> | undefined;
}

export class KubeCredentials implements CredentialSource {
  private readonly cache = new Map<string, CachedSecret>();
  private readonly timers: Timers;

  constructor(private readonly options: KubeCredentialsOptions) {
    this.timers = options.timers ?? realTimers;
  }

  /** Which Secret an account (alias or id) uses, or undefined for the config's credential. */
  secretFor(account: string): { namespace: string; name: string } | undefined {
    const ref = this.mappedRef(account);
    if (!ref) return undefined;
    return { namespace: ref.namespace ?? this.options.defaultNamespace, name: ref.name };
  }

  /** CredentialSource: the configured account's credential, read now. */
  credentialsFor(account: AccountConfig, options: CredentialRequestOptions = {}): Promise<Credentials> {
    return this.resolve(account.alias, options);
  }

  /**
   * The credential of an account (alias or id); throws KubeCredentialError (or the fallback's
   * CredentialError). `fresh` skips the cache.
   */
  async resolve(account: string, options: CredentialRequestOptions = {}): Promise<Credentials> {
    const secret = this.secretFor(account);
    if (secret) return this.fromSecret(account, secret.namespace, secret.name, options.fresh ?? false);
    const config = this.accountConfig(account);
    if (config && this.options.fallback) return this.options.fallback(config);
    throw new KubeCredentialError(
      'NoCredential',
      account,
      `no credential for account ${account}: map it to a Secret in ${ACCOUNT_SECRETS_ENV} ` +
        'or configure it under accounts in atomsync.yaml',
    );
  }

  /** Forgets cached Secrets (all, or one), so the next resolve reads them again. */
  invalidate(namespace?: string, name?: string): void {
    if (namespace === undefined) this.cache.clear();
    else this.cache.delete(`${namespace}/${name ?? ''}`);
  }

  private async fromSecret(
    account: string,
    namespace: string,
    name: string,
    fresh: boolean,
  ): Promise<Credentials> {
    const where = `Secret ${namespace}/${name}`;
    let data: Record<string, string> | undefined;
    try {
      data = await this.read(namespace, name, fresh);
    } catch (error) {
      const failure = describeKubeFailure(error);
      const hint =
        failure.statusCode === 403
          ? ' (the service account may get only the Secrets named in examples/kubernetes/install/rbac.yaml: add it there)'
          : '';
      throw new KubeCredentialError(
        'SecretUnreadable',
        account,
        `cannot read ${where} for account ${account}: ${failure.message}${hint}`,
      );
    }
    if (!data) {
      throw new KubeCredentialError(
        'SecretNotFound',
        account,
        `${where} for account ${account} does not exist`,
      );
    }
    return {
      username: this.key(data, USERNAME_KEY, where, account),
      token: this.key(data, TOKEN_KEY, where, account),
    };
  }

  private key(data: Record<string, string>, key: string, where: string, account: string): string {
    const value = data[key]?.trim();
    if (!value) {
      const state = data[key] === undefined ? 'has no key' : 'has an empty key';
      throw new KubeCredentialError(
        'SecretKeyMissing',
        account,
        `${where} for account ${account} ${state} '${key}'`,
      );
    }
    return value;
  }

  private async read(
    namespace: string,
    name: string,
    fresh: boolean,
  ): Promise<Record<string, string> | undefined> {
    const id = `${namespace}/${name}`;
    const cached = this.cache.get(id);
    const now = this.timers.now();
    const ttl = this.options.cacheTtlMs ?? SECRET_CACHE_TTL_MS;
    if (!fresh && cached && now - cached.at < ttl) return cached.data;
    const data = await this.options.reader.read(namespace, name);
    this.cache.set(id, { at: now, data });
    return data;
  }

  private mappedRef(account: string): SecretRef | undefined {
    const { secretRefs } = this.options;
    if (secretRefs[account]) return secretRefs[account];
    const config = this.accountConfig(account);
    if (!config) return undefined;
    return secretRefs[config.alias] ?? secretRefs[config.accountId];
  }

  private accountConfig(account: string): AccountConfig | undefined {
    const { accounts } = this.options;
    return accounts[account] ?? Object.values(accounts).find((a) => a.accountId === account);
  }
}
