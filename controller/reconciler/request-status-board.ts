// Request statuses read in bulk, per account. While requests are in flight each AtomVersion's pass asks
// for its own request's status every pollMs; asked one by one that is one GET per request per poll. Here
// the first ask of a poll round reads the status of every outstanding request of that account at once
// (one bulk call per 100 ids, per request kind), and the other keys' passes in the same round are answered
// from that read. A round is at most one read per account per half pollMs.
//
// Status reads yield to writes: while requests already wait for the account's rate limit (the client's
// token bucket has a backlog), a poll is answered with the last status seen (ACCEPTED when none was read
// yet) instead of spending a call, up to maxDeferMs; the writes go out first, and one read afterwards
// finds many requests ended. A request seen ending marks its runtime stale in the snapshot cache at once,
// so an observation that starts after the read shows its result.
import type { AtomSphereClient } from '../platform/client.js';
import { isTerminal, readRequestStatuses } from '../platform/execute.js';
import type { UpdateRequestStatus } from '../platform/wire.js';
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

export interface RequestStatusBoardDeps {
  journal: RequestJournal;
  clientFor: (accountId: string) => AtomSphereClient | undefined;
  pollMs: number;
  /** Longest a poll is put off while writes use the account's rate budget. Default 20 × pollMs. */
  maxDeferMs?: number;
  now: () => number;
  /** Told which runtimes' requests were seen ending (their observed state is stale). */
  onEnded?: (accountId: string, runtimeIds: string[], wholeAccount: boolean) => void;
}

export class RequestStatusBoard {
  private readonly seen = new Map<string, Seen>();
  private readonly rounds = new Map<string, AccountRound>();
  /** When a request never read yet was first asked about (ms). */
  private readonly firstAsked = new Map<string, number>();

  constructor(private readonly deps: RequestStatusBoardDeps) {}

  /** The request's current status, from this round's bulk read of its account. */
  async statusOf(entry: JournalEntry & { platformRequestId: string }): Promise<BoardStatus> {
    const id = entry.platformRequestId;
    const known = this.seen.get(id);
    const now = this.deps.now();
    if (known && now - known.readAt < this.deps.pollMs / 2) return known.status;
    if (this.writesWaiting(entry.accountId)) {
      if (!this.firstAsked.has(id)) this.firstAsked.set(id, now);
      const since = known?.readAt ?? (this.firstAsked.get(id) as number);
      const maxDeferMs = this.deps.maxDeferMs ?? 20 * this.deps.pollMs;
      if (now - since < maxDeferMs) return known?.status ?? 'ACCEPTED';
    }
    const round = this.rounds.get(entry.accountId);
    if (!round || !round.ids.has(id)) await this.startRound(entry);
    else await round.done;
    const status = this.seen.get(id)?.status;
    if (status === undefined)
      throw new Error(`the platform did not answer the status of request ${id} in its bulk read`);
    return status;
  }

  /** The request ended (or is forgotten): its last status is no longer needed. */
  forget(platformRequestId: string): void {
    this.seen.delete(platformRequestId);
    this.firstAsked.delete(platformRequestId);
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
        this.seen.set(id, { status, readAt });
        if (isTerminal(status)) ended.push(id);
      }
      for (const id of notFound) this.seen.set(id, { status: 'NotFound', readAt });
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

/** Requests the platform keeps a status for (reattaches and setting writes are done when sent). */
function isPolled(kind: string): kind is PolledKind {
  return kind === 'AtomVersionUpdateRequest' || kind === 'IntegrationPackPendingUpdateRequest';
}
