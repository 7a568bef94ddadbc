// One platform client per configured account, for the controller: like the CLI's openPlatform, plus the
// onRequest hook (metrics, readiness) and the secrets the log scrubber must know.
import type { AtomsyncConfig } from '../config/types.js';
import { resolveCredentials, type Credentials } from '../config/credentials.js';
import { AtomSphereClient, RequestCounter } from '../platform/index.js';
import type { RequestEvent } from '../platform/index.js';
import type { AccountTarget } from '../platform/observe.js';

export interface TargetOptions {
  onRequest?: (event: RequestEvent) => void;
  counter?: RequestCounter;
  /** Told every credential read, so logs can scrub it. */
  onSecret?: (username: string, token: string) => void;
  /** Credentials by account alias (e.g. from Kubernetes Secrets); others are resolved from the config. */
  credentials?: ReadonlyMap<string, Credentials>;
  /** Overrides config.platform.requestsPerSecond (0 = no client-side limit). */
  requestsPerSecond?: number;
}

export function createAccountTargets(
  config: Pick<AtomsyncConfig, 'accounts' | 'platform'>,
  baseUrl: string,
  options: TargetOptions = {},
): AccountTarget[] {
  const counter = options.counter ?? new RequestCounter();
  return Object.values(config.accounts).map((account) => {
    const credentials = options.credentials?.get(account.alias) ?? resolveCredentials(account);
    options.onSecret?.(credentials.username, credentials.token);
    const client = new AtomSphereClient({
      baseUrl,
      accountId: account.accountId,
      ...(account.partnerAccountId ? { partnerAccountId: account.partnerAccountId } : {}),
      username: credentials.username,
      token: credentials.token,
      requestsPerSecond: options.requestsPerSecond ?? config.platform.requestsPerSecond,
      timeoutMs: config.platform.timeoutSeconds * 1000,
      counter,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
    return { accountId: account.accountId, alias: account.alias, client };
  });
}
