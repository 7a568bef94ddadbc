// One observation per account shared by every AtomVersion of a resync pass. A resync tick observes each
// account once with the scope of all its AtomVersions (observe.ts: 2 + ceil(N/100) + ceil(P/100) +
// ceil(K/100) calls) and each key's pass then plans against that snapshot instead of reading again.
// Entries expire after a short TTL and are dropped as soon as the controller writes to the account, so
// nothing is ever *sent* on the strength of a cached read: a pass that would write re-observes first.
import { indexRuntimes, type RuntimeIndex } from '../domain/runtime-lookup.js';
import type { AccountSnapshot, RuntimeRef } from '../domain/types.js';
import { observeAccount } from '../platform/observe.js';
import type { AccountTarget, ObserveScope } from '../platform/observe.js';

interface Entry {
  snapshot: AccountSnapshot;
  takenAt: number;
  /** Bumped by invalidate(), so a read that started before a write is not stored after it. */
  epoch: number;
  /** Built on first use: runtimes by id and by name. */
  index?: RuntimeIndex;
}

export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, { read: Promise<AccountSnapshot>; epoch: number }>();
  private readonly epochs = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The cached snapshot of the account while it is fresh (and, if given, taken at or after notBefore). */
  fresh(accountId: string, notBefore = -Infinity): AccountSnapshot | undefined {
    return this.entry(accountId, notBefore)?.snapshot;
  }

  /**
   * Like fresh(), but holding only the runtimes the reference names, so planning one AtomVersion does not
   * index an account of thousands of runtimes each time. A name that matches several runtimes keeps them
   * all (the planner reports the ambiguity); no match leaves none (RuntimeNotFound).
   */
  freshFor(accountId: string, ref: RuntimeRef, notBefore = -Infinity): AccountSnapshot | undefined {
    const entry = this.entry(accountId, notBefore);
    if (!entry) return undefined;
    entry.index ??= indexRuntimes(entry.snapshot.runtimes);
    const byId = ref.id !== undefined ? entry.index.byId.get(ref.id) : undefined;
    const runtimes =
      ref.id !== undefined ? (byId ? [byId] : []) : (entry.index.byName.get(ref.name ?? '') ?? []);
    return { ...entry.snapshot, runtimes };
  }

  private entry(accountId: string, notBefore: number): Entry | undefined {
    const entry = this.entries.get(accountId);
    if (!entry || entry.takenAt < notBefore) return undefined;
    if (this.now() - entry.takenAt > this.ttlMs || entry.epoch !== this.epoch(accountId)) {
      this.entries.delete(accountId);
      return undefined;
    }
    return entry;
  }

  /** Observes the account (one read at a time per account; concurrent callers share it) and caches it. */
  refresh(target: AccountTarget, scope: ObserveScope): Promise<AccountSnapshot> {
    const epoch = this.epoch(target.accountId);
    const running = this.reading.get(target.accountId);
    if (running && running.epoch === epoch) return running.read;
    const takenAt = this.now();
    const read = observeAccount(target, scope)
      .then((snapshot) => {
        if (epoch === this.epoch(target.accountId))
          this.entries.set(target.accountId, { snapshot, takenAt, epoch });
        return snapshot;
      })
      .finally(() => {
        if (this.reading.get(target.accountId)?.read === read) this.reading.delete(target.accountId);
      });
    this.reading.set(target.accountId, { read, epoch });
    return read;
  }

  /** The controller wrote to the account: what was read before is stale. */
  invalidate(accountId: string): void {
    this.epochs.set(accountId, this.epoch(accountId) + 1);
    this.entries.delete(accountId);
  }

  clear(): void {
    for (const accountId of this.entries.keys()) this.invalidate(accountId);
  }

  private epoch(accountId: string): number {
    return this.epochs.get(accountId) ?? 0;
  }
}
