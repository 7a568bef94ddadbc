// Request statuses read in bulk, per account, and the keys that wait on them woken when they end.
//
// One poll loop per account (one timer, not one per key): an AtomVersion whose request is in flight
// registers with watch() and its pass ends without a requeue; every pollMs the loop reads the status of
// every watched request of the account at once (one bulk call per 100 ids, per request kind) and wakes
// only the keys whose requests ended. A key whose runtime changed while other requests of its account are
// still in flight waits with wakeWhenQuiet() (the Confirming hold): the loop wakes it when the account has
// nothing in flight and no write waiting for the rate limit, or at its deadline, so one observation then
// confirms many runtimes. Reads yield to writes: while keys of the account are still queued or being
// reconciled, or writes wait for the rate limit, the loop does not read (up to maxDeferMs): one read after
// the writes finds many requests ended. While nothing is watched the loop stops.
//
// A pass that asks on its own (start-up, resync, a change) gets statusOf(): the first ask of a round reads
// every outstanding request of the account, the other keys' passes in the same round are answered from
// that read, and a status the loop read less than half a pollMs ago (or a final one) is answered as is.
//
// Status reads yield to writes: while requests already wait for the account's rate limit (the client's
// token bucket has a backlog), a poll is answered with the last status seen (ACCEPTED when none was read
// yet) instead of spending a call, up to maxDeferMs; the writes go out first, and one read afterwards
// finds many requests ended. A request seen ending marks its runtime stale in the snapshot cache at once,
// so an observation that starts after the read shows its result.
import type { AtomSphereClient } from '../platform/client.js';
import { isTerminal, readRequestStatuses } from '../platform/execute.js';
import type { UpdateRequestStatus } from '../platform/wire.js';
import type { TimerHandle, Timers } from '../util/timers.js';
import type { JournalEntry, RequestJournal } from './request-journal.js';

export type BoardStatus = UpdateRequestStatus | 'NotFound';

type PolledKind = 'AtomVersionUpdateRequest' | 'IntegrationPackPendingUpdateRequest';

interface Seen {
  status: BoardStatus;
  readAt: number;
}

interface AccountRound {
  ids: Set<string>;
  done: Promise<void>;
}

/** What one account's poll loop follows. */
interface AccountWatch {
  /** Watched request ids → their kind and the keys to wake when they end. */
  requests: Map<string, { kind: PolledKind; keys: Set<string> }>;
  /** Keys to wake once the account is quiet, with the latest time (ms) to wake them anyway. */
  quiet: Map<string, number>;
  timer?: TimerHandle;
  /** The loop's tick is running (a read may be in flight). */
  ticking: boolean;
  /** When the loop last read statuses (ms); polls put off for writes count from here. */
  lastReadAt: number;
  /** Consecutive failed reads: the next tick waits longer (doubling, at most 32 × pollMs). */
  failures: number;
}

/** A request a key waits on. */
export interface WatchedRequest {
  kind: string;
  platformRequestId?: string;
}

export interface RequestStatusBoardDeps {
  journal: RequestJournal;
  clientFor: (accountId: string) => AtomSphereClient | undefined;
  pollMs: number;
  /** Longest a poll is put off while writes use the account's rate budget. Default 20 × pollMs. */
  maxDeferMs?: number;
  now: () => number;
  /** Told which runtimes' requests were seen ending (their observed state is stale). */
  onEnded?: (accountId: string, runtimeIds: string[], wholeAccount: boolean) => void;
  /** Runs the poll loops; without it watch() and wakeWhenQuiet() decline and passes poll on their own. */
  timers?: Timers;
  /** Keys to reconcile now: a request they wait on ended, or their account became quiet. */
  wake?: (keys: string[]) => void;
  /**
   * Keys of the account are queued or being reconciled: more writes may come. The poll loop does not
   * read while they do (up to maxDeferMs), nor call the account quiet.
   */
  workPending?: (accountId: string) => boolean;
  /** A read of the account that began after its last write is under way (snapshot-cache.ts). */
  readUnderWay?: (accountId: string) => boolean;
  /** A poll loop's read failed (it tries again, backing off). */
  onPollError?: (accountId: string, error: unknown) => void;
}

export class RequestStatusBoard {
  /** By account and request id (seenKeyOf). */
  private readonly seen = new Map<string, Seen>();
  private readonly rounds = new Map<string, AccountRound>();
  /** When a request never read yet was first asked about (ms). */
  private readonly firstAsked = new Map<string, number>();
  private readonly watches = new Map<string, AccountWatch>();
  /** Request ids read as ended and not forgotten yet, by account. */
  private readonly endedOf = new Map<string, Set<string>>();
  private closed = false;

  constructor(private readonly deps: RequestStatusBoardDeps) {}

  /**
   * Wakes `key` when one of `requests` (those with a platform id and a status the platform keeps) ends.
   * False when there is nothing to watch or no loop can run: the caller polls on its own then.
   */
  watch(accountId: string, key: string, requests: readonly WatchedRequest[]): boolean {
    const followed = requests.filter(
      (request): request is { kind: PolledKind; platformRequestId: string } =>
        request.platformRequestId !== undefined && isPolled(request.kind),
    );
    if (followed.length === 0 || !this.canLoop()) return false;
    const watch = this.watchOf(accountId);
    for (const { kind, platformRequestId } of followed) {
      const watched = watch.requests.get(platformRequestId) ?? { kind, keys: new Set<string>() };
      watched.keys.add(key);
      watch.requests.set(platformRequestId, watched);
    }
    this.schedule(accountId, watch);
    return true;
  }

  /** Wakes `key` once its account has nothing in flight and no write waiting, or at `latestMs`. */
  wakeWhenQuiet(accountId: string, key: string, latestMs: number): boolean {
    if (!this.canLoop()) return false;
    const watch = this.watchOf(accountId);
    watch.quiet.set(key, Math.min(watch.quiet.get(key) ?? Infinity, latestMs));
    this.schedule(accountId, watch);
    return true;
  }

  /**
   * The account's requests are in flight or its writes wait for the rate limit. A request this board has
   * read as ended is no longer in flight, though its key has not settled it yet: after one bulk read
   * finds all of an account's requests ended, the first key woken confirms at once, and the observation
   * it makes serves the others (instead of every key holding as Confirming for one more wake).
   */
  accountBusy(accountId: string): boolean {
    // A read of the account begun after its last write is under way: its own reads are what the rate
    // budget waits on, and it will show every change so far (a Confirming key joins it).
    const confirming = this.deps.readUnderWay?.(accountId) === true;
    if (!confirming && this.writesWaiting(accountId)) return true;
    // More requests outstanding than ever seen ending: one at least is still in flight (asked per pass).
    if (this.deps.journal.outstandingCountOf(accountId) > (this.endedOf.get(accountId)?.size ?? 0))
      return true;
    return this.deps.journal.anyOutstandingInAccount(accountId, (entry) => !this.seenEnded(entry));
  }

  private seenEnded(entry: Readonly<JournalEntry>): boolean {
    const id = entry.platformRequestId;
    if (id === undefined || !isPolled(entry.kind)) return false;
    const known = this.seen.get(seenKeyOf(entry.accountId, id));
    return known !== undefined && isFinal(known.status);
  }

  /** Stops every poll loop (the controller is stopping). */
  close(): void {
    this.closed = true;
    for (const watch of this.watches.values())
      if (watch.timer !== undefined) this.deps.timers?.clearTimeout(watch.timer);
    this.watches.clear();
  }

  /** The request's current status, from this round's bulk read of its account. */
  async statusOf(entry: JournalEntry & { platformRequestId: string }): Promise<BoardStatus> {
    const id = entry.platformRequestId;
    const seenKey = seenKeyOf(entry.accountId, id);
    const known = this.seen.get(seenKey);
    const now = this.deps.now();
    if (known && (isFinal(known.status) || now - known.readAt < this.deps.pollMs / 2)) return known.status;
    if (this.writesWaiting(entry.accountId)) {
      if (!this.firstAsked.has(seenKey)) this.firstAsked.set(seenKey, now);
      const since = known?.readAt ?? (this.firstAsked.get(seenKey) as number);
      const maxDeferMs = this.deps.maxDeferMs ?? 20 * this.deps.pollMs;
      if (now - since < maxDeferMs) return known?.status ?? 'ACCEPTED';
    }
    const round = this.rounds.get(entry.accountId);
    if (!round || !round.ids.has(id)) await this.startRound(entry);
    else await round.done;
    const status = this.seen.get(seenKey)?.status;
    if (status === undefined)
      throw new Error(`the platform did not answer the status of request ${id} in its bulk read`);
    return status;
  }

  /** The request ended (or is forgotten): its last status is no longer needed, nor its watch. */
  forget(accountId: string, platformRequestId: string): void {
    const seenKey = seenKeyOf(accountId, platformRequestId);
    this.seen.delete(seenKey);
    this.firstAsked.delete(seenKey);
    const ended = this.endedOf.get(accountId);
    ended?.delete(platformRequestId);
    if (ended?.size === 0) this.endedOf.delete(accountId);
    this.watches.get(accountId)?.requests.delete(platformRequestId);
  }

  private canLoop(): boolean {
    return !this.closed && this.deps.timers !== undefined && this.deps.wake !== undefined;
  }

  private watchOf(accountId: string): AccountWatch {
    let watch = this.watches.get(accountId);
    if (!watch) {
      watch = {
        requests: new Map(),
        quiet: new Map(),
        ticking: false,
        lastReadAt: this.deps.now(),
        failures: 0,
      };
      this.watches.set(accountId, watch);
    }
    return watch;
  }

  /** One timer per account: the next tick after pollMs (longer after failed reads). */
  private schedule(accountId: string, watch: AccountWatch): void {
    const timers = this.deps.timers;
    if (!timers || this.closed || watch.timer !== undefined || watch.ticking) return;
    const delay = this.deps.pollMs * Math.min(32, 2 ** watch.failures);
    watch.timer = timers.setTimeout(() => {
      watch.timer = undefined;
      void this.tick(accountId, watch);
    }, delay);
  }

  private async tick(accountId: string, watch: AccountWatch): Promise<void> {
    watch.ticking = true;
    const woken = new Set<string>();
    try {
      await this.pollWatched(accountId, watch, woken);
      watch.failures = 0;
    } catch (error) {
      watch.failures += 1;
      this.deps.onPollError?.(accountId, error);
    } finally {
      watch.ticking = false;
    }
    if (this.closed) return;
    this.wakeQuiet(accountId, watch, woken);
    if (woken.size > 0) this.deps.wake?.([...woken]);
    if (watch.requests.size > 0 || watch.quiet.size > 0) this.schedule(accountId, watch);
    else if (this.watches.get(accountId) === watch) this.watches.delete(accountId);
  }

  /** Reads every watched request's status at once (unless writes wait); collects the keys of those that ended. */
  private async pollWatched(accountId: string, watch: AccountWatch, woken: Set<string>): Promise<void> {
    if (watch.requests.size === 0) return;
    const maxDeferMs = this.deps.maxDeferMs ?? 20 * this.deps.pollMs;
    const writesToCome = this.writesWaiting(accountId) || this.deps.workPending?.(accountId) === true;
    if (writesToCome && this.deps.now() - watch.lastReadAt < maxDeferMs) return;
    const client = this.deps.clientFor(accountId);
    if (!client) throw new Error(`no client for account ${accountId}`);
    const byKind = new Map<PolledKind, string[]>();
    for (const [id, { kind }] of watch.requests) byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
    watch.lastReadAt = this.deps.now();
    await this.read(accountId, client, byKind);
    for (const [id, watched] of [...watch.requests]) {
      const status = this.seen.get(seenKeyOf(accountId, id))?.status;
      if (status === undefined || !isFinal(status)) continue;
      for (const key of watched.keys) woken.add(key);
      watch.requests.delete(id);
    }
  }

  private wakeQuiet(accountId: string, watch: AccountWatch, woken: Set<string>): void {
    if (watch.quiet.size === 0) return;
    const quiet = !this.accountBusy(accountId) && this.deps.workPending?.(accountId) !== true;
    const now = this.deps.now();
    for (const [key, latestMs] of [...watch.quiet]) {
      if (!quiet && now < latestMs) continue;
      woken.add(key);
      watch.quiet.delete(key);
    }
  }

  private startRound(asking: JournalEntry & { platformRequestId: string }): Promise<void> {
    const { accountId } = asking;
    const client = this.deps.clientFor(accountId);
    if (!client) return Promise.reject(new Error(`no client for account ${accountId}`));
    const byKind = this.outstandingIds(asking);
    const ids = new Set([...byKind.values()].flat());
    const done = this.read(accountId, client, byKind).finally(() => {
      if (this.rounds.get(accountId)?.done === done) this.rounds.delete(accountId);
    });
    this.rounds.set(accountId, { ids, done });
    return done;
  }

  private writesWaiting(accountId: string): boolean {
    return (this.deps.clientFor(accountId)?.rateBacklogMs() ?? 0) > 0;
  }

  private async read(
    accountId: string,
    client: AtomSphereClient,
    byKind: Map<PolledKind, string[]>,
  ): Promise<void> {
    for (const [kind, ids] of byKind) {
      const { statuses, notFound } = await readRequestStatuses(client, kind, ids);
      const readAt = this.deps.now();
      const ended: string[] = [];
      for (const [id, status] of statuses) {
        this.seen.set(seenKeyOf(accountId, id), { status, readAt });
        if (isTerminal(status)) ended.push(id);
      }
      for (const id of notFound) this.seen.set(seenKeyOf(accountId, id), { status: 'NotFound', readAt });
      const endedHere = this.endedOf.get(accountId) ?? new Set<string>();
      for (const id of [...ended, ...notFound]) endedHere.add(id);
      if (endedHere.size > 0) this.endedOf.set(accountId, endedHere);
      const runtimes = this.runtimesOf(accountId, [...ended, ...notFound]);
      if (runtimes.length > 0) this.deps.onEnded?.(accountId, runtimes, kind !== 'AtomVersionUpdateRequest');
    }
  }

  private runtimesOf(accountId: string, requestIds: readonly string[]): string[] {
    const wanted = new Set(requestIds);
    const runtimes = new Set<string>();
    for (const entry of this.deps.journal.outstandingOfAccount(accountId))
      if (entry.platformRequestId !== undefined && wanted.has(entry.platformRequestId))
        runtimes.add(entry.runtimeId);
    return [...runtimes];
  }

  /** Every request of the account the journal follows (with a platform id), by kind; the asking one included. */
  private outstandingIds(asking: JournalEntry & { platformRequestId: string }): Map<PolledKind, string[]> {
    const byKind = new Map<PolledKind, string[]>();
    const add = (kind: PolledKind, id: string) => {
      const ids = byKind.get(kind) ?? [];
      if (ids.length === 0) byKind.set(kind, ids);
      ids.push(id);
    };
    let included = false;
    for (const entry of this.deps.journal.outstandingOfAccount(asking.accountId)) {
      if (entry.platformRequestId === undefined || !isPolled(entry.kind)) continue;
      add(entry.kind, entry.platformRequestId);
      included ||= entry.platformRequestId === asking.platformRequestId;
    }
    if (!included && isPolled(asking.kind)) add(asking.kind, asking.platformRequestId);
    return byKind;
  }
}

/** Request ids are the platform's, unique within an account; two platforms (or accounts) may repeat one. */
function seenKeyOf(accountId: string, platformRequestId: string): string {
  return `${accountId}\n${platformRequestId}`;
}

function isFinal(status: BoardStatus): boolean {
  return status === 'NotFound' || isTerminal(status);
}

/** Requests the platform keeps a status for (reattaches and setting writes are done when sent). */
function isPolled(kind: string): kind is PolledKind {
  return kind === 'AtomVersionUpdateRequest' || kind === 'IntegrationPackPendingUpdateRequest';
}
