// Tenancy (config `tenancy.namespaces`): which accounts the AtomVersions of a namespace may target. The
// one check every path uses — plan(), and through it `plan`, `apply`, `run` and the PR report: a refused
// AtomVersion is planned Blocked/AccountNotAllowed and never observed nor changed on the platform.
//
// Accounts are compared through the account book, so `tenancy: {integration: [acme-prod]}` also allows
// `spec.account: acme-prod-D4E5F6`. Without a tenancy section every namespace may target every account;
// with one, a namespace it does not list may target none.
import type { AccountBook } from './accounts.js';

export interface Tenancy {
  /** Namespace → account aliases or ids its AtomVersions may target. */
  namespaces: Readonly<Record<string, readonly string[]>>;
}

export interface TenancyDenial {
  message: string;
  advice: string;
}

/** Why an AtomVersion of `namespace` may not target `account`, or undefined when it may. */
export function tenancyDenial(
  tenancy: Tenancy | undefined,
  book: AccountBook,
  namespace: string,
  account: string,
): TenancyDenial | undefined {
  if (!tenancy) return undefined;
  const allowed = Object.hasOwn(tenancy.namespaces, namespace) ? tenancy.namespaces[namespace] : undefined;
  if (allowed?.some((entry) => book.same(entry, account))) return undefined;
  const listed =
    allowed && allowed.length > 0 ? `may target only ${allowed.join(', ')}` : 'may target no account';
  return {
    message: `namespace ${namespace} ${listed}; account ${account} is not allowed (tenancy)`,
    advice: `move the AtomVersion to a namespace allowed to target ${account}, or add the account to tenancy.namespaces.${namespace} in the config`,
  };
}
