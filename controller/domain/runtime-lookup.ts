// Finding the account and runtime an AtomVersion names, with indexes built once per snapshot.
import type { AccountSnapshot, AtomVersionSpec, RuntimeRef, RuntimeState, Snapshot } from './types.js';

/**
 * The account id a spec targets: `spec.account` may be an alias or an account id. Names the aliases map
 * does not know come back unchanged (they are taken to be account ids).
 */
export function accountIdFor(
  spec: Pick<AtomVersionSpec, 'account'>,
  aliases: ReadonlyMap<string, string>,
): string {
  return aliases.get(spec.account) ?? spec.account;
}

/** Alias → account id for every account in the snapshot; account ids map to themselves and win over aliases. */
export function accountAliases(snapshot: Snapshot): Map<string, string> {
  const aliases = new Map<string, string>();
  const accounts = Object.values(snapshot.accounts);
  for (const account of accounts) aliases.set(account.accountId, account.accountId);
  for (const account of accounts) {
    if (account.alias !== undefined && !aliases.has(account.alias))
      aliases.set(account.alias, account.accountId);
  }
  return aliases;
}

export type RuntimeLookup = { found: true; runtime: RuntimeState } | { found: false; message: string };

interface AccountRuntimeIndex {
  byId: Map<string, RuntimeState>;
  byName: Map<string, RuntimeState[]>;
}

/** Lazily built per-account indexes of runtimes by id and by name. */
export class RuntimeDirectory {
  private readonly indexes = new Map<string, AccountRuntimeIndex>();

  find(account: AccountSnapshot, ref: RuntimeRef): RuntimeLookup {
    const index = this.indexFor(account);
    if (ref.id !== undefined) return this.findById(index, account, ref.id);
    if (ref.name !== undefined) return this.findByName(index, account, ref.name);
    return {
      found: false,
      message: 'the AtomVersion names no runtime (set spec.runtime.name or spec.runtime.id)',
    };
  }

  private findById(index: AccountRuntimeIndex, account: AccountSnapshot, id: string): RuntimeLookup {
    const runtime = index.byId.get(id);
    if (runtime) return { found: true, runtime };
    return { found: false, message: `account ${account.accountId} has no runtime with id "${id}"` };
  }

  private findByName(index: AccountRuntimeIndex, account: AccountSnapshot, name: string): RuntimeLookup {
    const matches = index.byName.get(name);
    if (!matches)
      return { found: false, message: `account ${account.accountId} has no runtime named "${name}"` };
    if (matches.length === 1 && matches[0]) return { found: true, runtime: matches[0] };
    const ids = matches.map((runtime) => runtime.id).join(', ');
    return {
      found: false,
      message: `the runtime name "${name}" is ambiguous in account ${account.accountId}: ${matches.length} runtimes carry it (ids ${ids}); pin it by spec.runtime.id`,
    };
  }

  private indexFor(account: AccountSnapshot): AccountRuntimeIndex {
    let index = this.indexes.get(account.accountId);
    if (!index) {
      index = buildIndex(account.runtimes);
      this.indexes.set(account.accountId, index);
    }
    return index;
  }
}

function buildIndex(runtimes: readonly RuntimeState[]): AccountRuntimeIndex {
  const byId = new Map<string, RuntimeState>();
  const byName = new Map<string, RuntimeState[]>();
  for (const runtime of runtimes) {
    byId.set(runtime.id, runtime);
    const named = byName.get(runtime.name);
    if (named) named.push(runtime);
    else byName.set(runtime.name, [runtime]);
  }
  return { byId, byName };
}
