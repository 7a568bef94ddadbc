// Which namespaces may target which accounts (config `tenancy.namespaces`). An AtomVersion whose
// namespace may not target its account is refused before anything else happens: it is not planned, no
// platform call is made for it, and its status says Stalled/AccountNotAllowed. Pure functions.
//
// Accounts are compared by identity: an alias and its account id are the same account, so
// `tenancy: {integration: [acme-prod]}` allows `spec.account: acme-prod-D4E5F6` too. Without a tenancy
// section every namespace may target every account; with one, a namespace it does not list may target none.

import type { AccountConfig, TenancyConfig } from '../config/types.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { setCondition, type AtomVersionStatus, type Condition } from '../reconciler/status-types.js';

export type TenancyDecision =
  { allowed: true } | { allowed: false; reason: 'AccountNotAllowed'; message: string };

export interface RefusedAtomVersion {
  desired: DesiredAtomVersion;
  message: string;
}

export const ACCOUNT_NOT_ALLOWED = 'AccountNotAllowed';

/** May an AtomVersion in `namespace` target `account` (an alias or an account id)? */
export function checkTenancy(
  namespace: string,
  account: string,
  tenancy: TenancyConfig | undefined,
  accounts: Record<string, AccountConfig>,
): TenancyDecision {
  if (!tenancy) return { allowed: true };
  const permitted = tenancy.namespaces[namespace] ?? [];
  const wanted = accountIdentity(account, accounts);
  if (permitted.some((entry) => accountIdentity(entry, accounts) === wanted)) return { allowed: true };
  const listed =
    permitted.length === 0
      ? `namespace ${namespace} may not target any account`
      : `namespace ${namespace} may target only ${permitted.join(', ')}`;
  return {
    allowed: false,
    reason: 'AccountNotAllowed',
    message: `account ${account} is not allowed here: ${listed} (tenancy.namespaces in the atomsync config)`,
  };
}

/** Splits AtomVersions into those tenancy allows and those it refuses (with the reason). */
export function partitionByTenancy(
  desired: readonly DesiredAtomVersion[],
  tenancy: TenancyConfig | undefined,
  accounts: Record<string, AccountConfig>,
): { allowed: DesiredAtomVersion[]; refused: RefusedAtomVersion[] } {
  const allowed: DesiredAtomVersion[] = [];
  const refused: RefusedAtomVersion[] = [];
  for (const item of desired) {
    const decision = checkTenancy(item.namespace, item.spec.account, tenancy, accounts);
    if (decision.allowed) allowed.push(item);
    else refused.push({ desired: item, message: decision.message });
  }
  return { allowed, refused };
}

/**
 * The status of a refused AtomVersion: Stalled True (AccountNotAllowed), Ready False, Reconciling False.
 * Keeps the previous status' conditions' transition times and its history; no pins (nothing was read).
 */
export function accountNotAllowedStatus(
  refused: RefusedAtomVersion,
  now: Date | string,
  previous?: AtomVersionStatus,
): AtomVersionStatus {
  let conditions: Condition[] = previous?.conditions ?? [];
  const reason = ACCOUNT_NOT_ALLOWED;
  const { message } = refused;
  conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason, message }, now);
  conditions = setCondition(conditions, { type: 'Stalled', status: 'True', reason, message }, now);
  conditions = setCondition(
    conditions,
    { type: 'Reconciling', status: 'False', reason, message: 'nothing to do until the account is allowed' },
    now,
  );
  conditions = conditions.filter((c) => c.type !== 'Drifted');
  return {
    key: refused.desired.key,
    observedGeneration: refused.desired.generation,
    conditions,
    pins: [],
    synced: 'False',
    history: previous?.history ?? [],
  };
}

function accountIdentity(account: string, accounts: Record<string, AccountConfig>): string {
  const byAlias = accounts[account];
  if (byAlias) return byAlias.accountId;
  return Object.values(accounts).find((a) => a.accountId === account)?.accountId ?? account;
}
