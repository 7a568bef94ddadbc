// The dashboard's memory of the platform's AuditLog: per runtime, who changed its versions and when it
// restarted. Each refresh asks every readable account once, for the entries dated since the newest one it
// already holds (the first time: LOOKBACK_DAYS back), so an open dashboard costs one AuditLog query per
// account per refresh however large the fleet. An account whose AuditLog cannot be read is noted, never
// fatal: the matrix does not depend on it.
import { isRestart, readAuditLog, type AuditEntry } from '../platform/audit-log.js';
import type { AccountTarget } from '../platform/observe.js';

export const LOOKBACK_DAYS = 7;
/** Entries kept per runtime (newest). */
const PER_RUNTIME = 50;
/** Restarts kept for the fleet-wide timeline (newest). */
const RESTARTS_KEPT = 200;

export interface RestartEntry extends AuditEntry {
  accountId: string;
}

interface AccountTrail {
  /** ISO date of the newest entry held: the next query starts there. */
  newest?: string;
  /** Ids of the entries dated `newest`: the next query (`date >= newest`) returns them once more. */
  seenAtNewest: Set<string>;
  byRuntime: Map<string, AuditEntry[]>;
}

export class AuditTrail {
  private readonly accounts = new Map<string, AccountTrail>();
  private readonly problems = new Map<string, string>();

  /** One query per account; returns nothing, remembers what came back. */
  async refresh(targets: readonly AccountTarget[]): Promise<void> {
    await Promise.all(targets.map((target) => this.refreshAccount(target)));
  }

  /** Newest last. */
  forRuntime(accountId: string, runtimeId: string): AuditEntry[] {
    return this.accounts.get(accountId)?.byRuntime.get(runtimeId) ?? [];
  }

  /** Restarts across the fleet, newest first. */
  restarts(): RestartEntry[] {
    const all: RestartEntry[] = [];
    for (const [accountId, trail] of this.accounts)
      for (const entries of trail.byRuntime.values())
        for (const entry of entries) if (isRestart(entry)) all.push({ ...entry, accountId });
    return all.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).slice(0, RESTARTS_KEPT);
  }

  /** Accounts whose AuditLog could not be read, with why. */
  unreadable(): { accountId: string; message: string }[] {
    return [...this.problems].map(([accountId, message]) => ({ accountId, message }));
  }

  private async refreshAccount(target: AccountTarget): Promise<void> {
    const trail: AccountTrail = this.accounts.get(target.accountId) ?? {
      seenAtNewest: new Set(),
      byRuntime: new Map(),
    };
    const since =
      trail.newest ??
      new Date(target.client.platformNow().getTime() - LOOKBACK_DAYS * 86_400_000).toISOString();
    let entries: AuditEntry[];
    try {
      entries = await readAuditLog(target.client, since);
    } catch (error) {
      this.problems.set(target.accountId, error instanceof Error ? error.message : String(error));
      return;
    }
    this.problems.delete(target.accountId);
    for (const entry of entries) remember(trail, entry);
    this.accounts.set(target.accountId, trail);
  }
}

function remember(trail: AccountTrail, entry: AuditEntry): void {
  const id = entry.documentId ?? `${entry.date}|${entry.type}|${entry.action}|${entry.containerId ?? ''}`;
  if (trail.newest !== undefined && entry.date < trail.newest) return;
  if (entry.date === trail.newest) {
    if (trail.seenAtNewest.has(id)) return;
  } else {
    trail.newest = entry.date;
    trail.seenAtNewest = new Set();
  }
  trail.seenAtNewest.add(id);
  if (!entry.containerId) return;
  const list = trail.byRuntime.get(entry.containerId) ?? [];
  list.push(entry);
  if (list.length > PER_RUNTIME) list.splice(0, list.length - PER_RUNTIME);
  trail.byRuntime.set(entry.containerId, list);
}
