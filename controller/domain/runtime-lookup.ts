// Finding the account and runtime an AtomVersion names, with indexes built once per snapshot.
import { closestNames, didYouMean } from './closest-names.js';
import type { AccountSnapshot, RuntimeRef, RuntimeState } from './types.js';

export type RuntimeLookup = { found: true; runtime: RuntimeState } | { found: false; message: string };

/** An account's runtimes by id and by name (names may repeat). */
export interface RuntimeIndex {
  byId: Map<string, RuntimeState>;
  byName: Map<string, RuntimeState[]>;
}

/** Lazily built per-account indexes of runtimes by id and by name. */
export class RuntimeDirectory {
  private readonly indexes = new Map<string, RuntimeIndex>();

  find(account: AccountSnapshot, ref: RuntimeRef): RuntimeLookup {
    const index = this.indexFor(account);
    if (ref.id !== undefined) return this.findById(index, account, ref.id);
    if (ref.name !== undefined) return this.findByName(index, account, ref.name);
    return {
      found: false,
      message: 'the AtomVersion names no runtime (set spec.runtime.name or spec.runtime.id)',
    };
  }

  private findById(index: RuntimeIndex, account: AccountSnapshot, id: string): RuntimeLookup {
    const runtime = index.byId.get(id);
    if (runtime) return { found: true, runtime };
    return { found: false, message: `account ${account.accountId} has no runtime with id "${id}"` };
  }

  private findByName(index: RuntimeIndex, account: AccountSnapshot, name: string): RuntimeLookup {
    const matches = index.byName.get(name);
    if (!matches) {
      const suggestion = didYouMean(closestNames(name, [...index.byName.keys()]));
      return {
        found: false,
        message: `account ${account.accountId} has no runtime named "${name}"${suggestion}`,
      };
    }
    if (matches.length === 1 && matches[0]) return { found: true, runtime: matches[0] };
    const ids = matches.map((runtime) => runtime.id).join(', ');
    return {
      found: false,
      message: `the runtime name "${name}" is ambiguous in account ${account.accountId}: ${matches.length} runtimes carry it (ids ${ids}); pin it by spec.runtime.id`,
    };
  }

  private indexFor(account: AccountSnapshot): RuntimeIndex {
    let index = this.indexes.get(account.accountId);
    if (!index) {
      index = indexRuntimes(account.runtimes);
      this.indexes.set(account.accountId, index);
    }
    return index;
  }
}

export function indexRuntimes(runtimes: readonly RuntimeState[]): RuntimeIndex {
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
