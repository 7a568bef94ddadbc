// The controller's view of pins that cannot be meant (domain/pin-refusals.ts): reviewed over the whole
// desired set whenever a source changes or an observation shows an account's runtimes differently, so
// two AtomVersions on one runtime are both refused however the account (alias or id) and the runtime
// (name or id) are written. A runtime the platform lacks is left to the planner (RuntimeNotFound, from a
// fresh read), since what was learned earlier may be older than a runtime just installed.
import type { AccountBook } from '../domain/accounts.js';
import { refusePins, type PinRefusal } from '../domain/pin-refusals.js';
import type { AccountSnapshot, DesiredAtomVersion } from '../domain/types.js';

interface KnownRuntime {
  id: string;
  name: string;
}

export class PinRefusals {
  private current = new Map<string, PinRefusal>();
  /** By account id: the runtimes (id and name) the latest observation showed. */
  private readonly runtimes = new Map<string, KnownRuntime[]>();

  of(key: string): PinRefusal | undefined {
    return this.current.get(key);
  }

  /** Recomputes the refusals; returns the keys whose refusal appeared, changed or went away. */
  review(docs: readonly DesiredAtomVersion[], book: AccountBook): string[] {
    const next = new Map(
      [...refusePins(docs, book, (accountId) => this.runtimes.get(accountId))].filter(
        ([, refusal]) => refusal.reason !== 'RuntimeNotFound',
      ),
    );
    const changed = [...new Set([...this.current.keys(), ...next.keys()])].filter(
      (key) => this.current.get(key)?.message !== next.get(key)?.message,
    );
    this.current = next;
    return changed;
  }

  /** Notes the runtimes of observed accounts (unreadable ones are skipped); true when anything changed. */
  learn(accounts: readonly AccountSnapshot[]): boolean {
    let changed = false;
    for (const account of accounts) {
      if (account.error) continue;
      const runtimes = account.runtimes.map(({ id, name }) => ({ id, name }));
      if (sameRuntimes(this.runtimes.get(account.accountId), runtimes)) continue;
      this.runtimes.set(account.accountId, runtimes);
      changed = true;
    }
    return changed;
  }
}

function sameRuntimes(a: readonly KnownRuntime[] | undefined, b: readonly KnownRuntime[]): boolean {
  return (
    a !== undefined && a.length === b.length && a.every((r, i) => r.id === b[i]?.id && r.name === b[i]?.name)
  );
}
