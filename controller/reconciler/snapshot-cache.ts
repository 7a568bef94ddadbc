// One observation per account shared by every AtomVersion of that account. An observation reads the
// account with the scope of all its AtomVersions (observe.ts: 2 + ceil(N/100) + ceil(P/100) + ceil(K/100)
// calls), and the keys' passes plan against it instead of each reading again: a wave of N keys in one
// account costs one observation, not N.
//
// What a write makes stale is tracked per runtime: a version request changes only its own runtime, so
// sending it (or seeing it end) marks that runtime, and a snapshot serves a pass only when it was read
// after the last write to the pass's runtime. A pack request or reattach may change what other runtimes
// of the environment show, so it marks the whole account. Nothing is ever sent on a read older than a
// write to the same runtime, nor older than the TTL.
import { indexRuntimes, type RuntimeIndex } from '../domain/runtime-lookup.js';
import type { AccountSnapshot, RuntimeRef } from '../domain/types.js';
import { observeAccount } from '../platform/observe.js';
import type { AccountTarget, ObserveScope } from '../platform/observe.js';

interface Entry {
  snapshot: AccountSnapshot;
  takenAt: number;
  /** The write sequence number when the read began: writes numbered after it are not in it. */
  seq: number;
  /** Built on first use: runtimes by id and by name. */
  index?: RuntimeIndex;
}

interface Reading {
  read: Promise<AccountSnapshot>;
  takenAt: number;
  seq: number;
}

export interface RefreshOptions {
  /** Only a read that began at or after this time (ms) will do. */
  notBefore?: number;
  /** Runs on the new snapshot before anyone plans with it (e.g. reads environments the plan needs). */
  prepare?: (snapshot: AccountSnapshot) => Promise<void>;
  /**
   * Default true: keep the privileges the account's read within the TTL found instead of reading the
   * credential's roles again (2 calls), for the observations passes make between resyncs, such as the one
   * confirming a wave of writes. A resync passes false and reads them afresh.
   */
  reusePrincipal?: boolean;
}

export class SnapshotCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Reading>();
  private seq = 0;
  /** Sequence number of the last write that made a whole account stale. */
  private readonly accountWrites = new Map<string, number>();
  /** Sequence number of the last write to a runtime, by `account\nruntime`. */
  private readonly runtimeWrites = new Map<string, number>();
  /** Sequence number of the last write of any kind in the account. */
  private readonly anyWrites = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * The cached snapshot of the account while it is fresh (taken at or after notBefore, within the TTL)
   * and nothing was written to the account since it was read.
   */
  fresh(accountId: string, notBefore = -Infinity): AccountSnapshot | undefined {
    const entry = this.entry(accountId, notBefore);
    if (!entry || (this.anyWrites.get(accountId) ?? -1) >= entry.seq) return undefined;
    return entry.snapshot;
  }

  /**
   * Like fresh(), but holding only the runtimes the reference names, so planning one AtomVersion does not
   * index an account of thousands of runtimes each time; and fresh when nothing was written to *those*
   * runtimes since the read. A name that matches several runtimes keeps them all (the planner reports the
   * ambiguity); no match leaves none (RuntimeNotFound).
   */
  freshFor(accountId: string, ref: RuntimeRef, notBefore = -Infinity): AccountSnapshot | undefined {
    const entry = this.entry(accountId, notBefore);
    if (!entry) return undefined;
    entry.index ??= indexRuntimes(entry.snapshot.runtimes);
    const byId = ref.id !== undefined ? entry.index.byId.get(ref.id) : undefined;
    const runtimes =
      ref.id !== undefined ? (byId ? [byId] : []) : (entry.index.byName.get(ref.name ?? '') ?? []);
    if (runtimes.some((runtime) => this.runtimeWrite(accountId, runtime.id) >= entry.seq)) return undefined;
    return { ...entry.snapshot, runtimes };
  }

  /**
   * Which observation of the account is cached now (a number that changes with each new read), so that
   * work done once per observation (the AuditLog read of change-attribution.ts) can tell them apart.
   */
  observationOf(accountId: string): number | undefined {
    return this.entries.get(accountId)?.seq;
  }

  private entry(accountId: string, notBefore: number): Entry | undefined {
    const entry = this.entries.get(accountId);
    if (!entry || entry.takenAt < notBefore) return undefined;
    if (this.now() - entry.takenAt > this.ttlMs || this.accountWrite(accountId) >= entry.seq) {
      this.entries.delete(accountId);
      return undefined;
    }
    return entry;
  }

  /**
   * Observes the account and caches it. Callers share a read in flight when it began at or after their
   * notBefore and no write made the whole account stale since; otherwise a new read starts.
   */
  async refresh(
    target: AccountTarget,
    scope: ObserveScope,
    options: RefreshOptions = {},
  ): Promise<AccountSnapshot> {
    const { accountId } = target;
    const running = this.reading.get(accountId);
    if (
      running &&
      running.takenAt >= (options.notBefore ?? -Infinity) &&
      running.seq > this.accountWrite(accountId)
    )
      return running.read;
    const seq = ++this.seq;
    const takenAt = this.now();
    const read = this.observe(target, scope, seq, takenAt, options);
    this.reading.set(accountId, { read, takenAt, seq });
    try {
      return await read;
    } finally {
      if (this.reading.get(accountId)?.read === read) this.reading.delete(accountId);
    }
  }

  private async observe(
    target: AccountTarget,
    scope: ObserveScope,
    seq: number,
    takenAt: number,
    { prepare, reusePrincipal }: RefreshOptions,
  ): Promise<AccountSnapshot> {
    const { accountId } = target;
    const known = reusePrincipal === false ? {} : this.recentPrincipal(accountId);
    const snapshot = await observeAccount(target, scope, known);

    if (!snapshot.error) {
      this.carryEnvironments(accountId, snapshot);
      await prepare?.(snapshot);
    }
    // A read during which the whole account was written to is returned to its callers but not kept.
    if (this.accountWrite(accountId) >= seq) return snapshot;
    const current = this.entries.get(accountId);
    if (!current || current.seq < seq) this.entries.set(accountId, { snapshot, takenAt, seq });
    return snapshot;
  }

  /**
   * The privileges an account's read within the TTL found (RefreshOptions.reusePrincipal). A privilege
   * revoked meanwhile shows as the platform's refusal of a write, and at the next resync.
   */
  private recentPrincipal(accountId: string): { principal?: AccountSnapshot['principal'] } {
    const previous = this.entries.get(accountId);
    if (!previous || previous.snapshot.error || this.now() - previous.takenAt > this.ttlMs) return {};
    return { principal: previous.snapshot.principal };
  }

  /**
   * Environments are read separately from the runtimes (observe.ts: only for runtimes a plan changes) and
   * no request of atomsync changes them: the previous read's, while within the TTL, saves reading them again.
   */
  private carryEnvironments(accountId: string, snapshot: AccountSnapshot): void {
    const previous = this.entries.get(accountId);
    if (!previous || this.now() - previous.takenAt > this.ttlMs) return;
    const known = new Map(previous.snapshot.runtimes.map((runtime) => [runtime.id, runtime] as const));
    for (const runtime of snapshot.runtimes) {
      const before = known.get(runtime.id);
      if (!before?.environmentId || runtime.environmentId !== undefined) continue;
      runtime.environmentId = before.environmentId;
      if (before.environmentName !== undefined) runtime.environmentName = before.environmentName;
      if (before.classification !== undefined) runtime.classification = before.classification;
    }
  }

  /**
   * The controller wrote to the account (or saw a request of its own end): what was read before is stale
   * for these runtimes, or for the whole account when none are named.
   */
  invalidate(accountId: string, runtimeIds?: readonly string[]): void {
    const seq = ++this.seq;
    this.anyWrites.set(accountId, seq);
    if (runtimeIds === undefined) {
      this.accountWrites.set(accountId, seq);
      this.entries.delete(accountId);
      return;
    }
    for (const id of runtimeIds) this.runtimeWrites.set(`${accountId}\n${id}`, seq);
  }

  /** A read of the account is under way that began after every write to it: it will show them all. */
  readingAfterLastWrite(accountId: string): boolean {
    const running = this.reading.get(accountId);
    return running !== undefined && running.seq > (this.anyWrites.get(accountId) ?? -1);
  }

  clear(): void {
    for (const accountId of [...this.entries.keys()]) this.invalidate(accountId);
  }

  private accountWrite(accountId: string): number {
    return this.accountWrites.get(accountId) ?? -1;
  }

  private runtimeWrite(accountId: string, runtimeId: string): number {
    return Math.max(this.runtimeWrites.get(`${accountId}\n${runtimeId}`) ?? -1, this.accountWrite(accountId));
  }
}
