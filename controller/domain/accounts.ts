// The account book: which account a name means, wherever a name is written — `spec.account` of a pin, an
// entry of `tenancy.namespaces`, a report's short names. Every place that turns an alias into an account
// id (or back) asks the book, so they all follow one precedence rule:
//
//   an account id always means that account; an alias means its account, unless the same string is
//   another account's id (the id wins); a name the book does not know is taken as an account id.
//
// Pure: built from the config's accounts (or a snapshot's), no I/O. See docs/architecture.md.
import type { RuntimeRef, Snapshot } from './types.js';

export interface AccountEntry {
  accountId: string;
  alias?: string | undefined;
}

export class AccountBook {
  /** Alias or id → account id. */
  private readonly idByName = new Map<string, string>();
  private readonly aliasById = new Map<string, string>();

  constructor(entries: Iterable<AccountEntry>) {
    const list = [...entries];
    for (const entry of list) this.idByName.set(entry.accountId, entry.accountId);
    for (const entry of list) {
      if (entry.alias === undefined) continue;
      if (!this.aliasById.has(entry.accountId)) this.aliasById.set(entry.accountId, entry.alias);
      if (!this.idByName.has(entry.alias)) this.idByName.set(entry.alias, entry.accountId);
    }
  }

  /** The book of the accounts a snapshot holds (their ids and the aliases the observer noted). */
  static ofSnapshot(snapshot: Snapshot): AccountBook {
    return new AccountBook(Object.values(snapshot.accounts));
  }

  /** The account id `name` (an alias or an id) means; an unknown name comes back unchanged. */
  idOf(name: string): string {
    return this.idByName.get(name) ?? name;
  }

  /** Whether `name` is a configured alias or account id. */
  knows(name: string): boolean {
    return this.idByName.has(name);
  }

  /** Do the two names (aliases or ids) mean one account? */
  same(a: string, b: string): boolean {
    return this.idOf(a) === this.idOf(b);
  }

  /** Account id → alias, for reports that show short names. */
  aliases(): Record<string, string> {
    return Object.fromEntries(this.aliasById);
  }

  /** Every alias and account id the book knows (for "did you mean" suggestions). */
  names(): string[] {
    return [...this.idByName.keys()];
  }
}

/**
 * Which runtime a pin means, as one comparable string: the account id (aliases resolved by the book) and
 * the runtime's id, else its name. Two pins of one runtime written with the alias and with the account id
 * get the same identity. `runtimeIdOf` (optional) turns a runtime name into its id where the platform
 * is known, so a pin by name and a pin by id of the same runtime match too; without it names and ids
 * stay distinct.
 */
export function runtimeIdentity(
  book: AccountBook,
  pin: { account: string; runtime: RuntimeRef },
  runtimeIdOf?: (accountId: string, runtimeName: string) => string | undefined,
): string {
  const accountId = book.idOf(pin.account);
  const { id, name } = pin.runtime;
  if (id !== undefined) return `${accountId}/id:${id}`;
  if (name === undefined) return `${accountId}/none`;
  const resolved = runtimeIdOf?.(accountId, name);
  return resolved !== undefined ? `${accountId}/id:${resolved}` : `${accountId}/name:${name}`;
}
