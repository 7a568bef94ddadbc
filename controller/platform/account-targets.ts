// One platform client per configured account, for the controller and the CLI verbs alike. Each client
// reads its account's credential from the CredentialSource when it makes a call (not here), so creating
// the targets never fails on a credential, and a rotated one is used by the next call.
import {
  configCredentialSource,
  credentialProvider,
  type CredentialSource,
} from '../config/credential-source.js';
import type { AccountConfig, AtomsyncConfig } from '../config/types.js';
import { AtomSphereClient, type AtomSphereClientOptions } from './client.js';
import { RequestCounter, type RequestEvent } from './request-counter.js';
import type { AccountTarget } from './observe.js';

interface TargetOptions {
  /** Only these accounts (the CLI's `--target`). Default: every configured account. */
  accounts?: readonly AccountConfig[];
  onRequest?: (event: RequestEvent) => void;
  counter?: RequestCounter;
  /** Told every credential read, so logs can scrub it. */
  onSecret?: (username: string, token: string) => void;
  /** Where credentials come from (e.g. Kubernetes Secrets). Default: the config's own, read per call. */
  credentials?: CredentialSource;
  /** Overrides config.platform.requestsPerSecond (0 = no client-side limit). */
  requestsPerSecond?: number;
  /** Client settings a command tunes (its retries, and the fetch and sleep of its deadline). */
  client?: Pick<AtomSphereClientOptions, 'maxRetries' | 'fetchImpl' | 'sleep'>;
}

export function createAccountTargets(
  config: Pick<AtomsyncConfig, 'accounts' | 'platform'>,
  baseUrl: string,
  options: TargetOptions = {},
): AccountTarget[] {
  const counter = options.counter ?? new RequestCounter();
  const source = options.credentials ?? configCredentialSource();
  const accounts = options.accounts ?? Object.values(config.accounts);
  return accounts.map((account) => {
    const client = new AtomSphereClient({
      baseUrl,
      accountId: account.accountId,
      ...(account.partnerAccountId ? { partnerAccountId: account.partnerAccountId } : {}),
      credentials: credentialProvider(source, account, (read) =>
        options.onSecret?.(read.username, read.token),
      ),
      requestsPerSecond: options.requestsPerSecond ?? config.platform.requestsPerSecond,
      timeoutMs: config.platform.timeoutSeconds * 1000,
      counter,
      ...options.client,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
    return { accountId: account.accountId, alias: account.alias, client };
  });
}
