// Who changed it, under `run` (issue 12, Deliver 4). A pass whose AtomVersion has something to explain —
// a version pin that drifted, a manual task open, or a pin that was out of sync and now is not (a task
// done) — is given the AuditLog entry behind the version its runtime runs (domain/attribution.ts).
//
// Cost: at most one AuditLog QUERY per account per observation of the account (the snapshot the account's
// passes share, snapshot-cache.ts), filtered by date: the first read looks ATTRIBUTION_LOOKBACK_MS back,
// each later one only since the previous read (less an overlap for entries the platform records late).
// No read at all while every pin is in sync, nor while what is out of sync was already explained (the
// answer is kept on the status and carried while the version stays), nor for a version no entry has
// explained for longer than the overlap (it will not be explained later). An AuditLog that cannot be read
// (privileges, an old platform) leaves the plan without attribution and never fails the pass.
import { attributeChanges, carryChangedBy, type AuditFact, type KnownChange } from '../domain/attribution.js';
import type { PinResult, Plan } from '../domain/types.js';
import { readAuditLog, type AuditEntry } from '../platform/audit-log.js';
import type { AccountTarget } from '../platform/observe.js';
import { ATTRIBUTION_LOOKBACK_MS } from '../pipeline/attribution.js';

/** Later reads reach back this far before the previous read: entries may be recorded a little late. */
const OVERLAP_MS = 15 * 60_000;
/** Entries kept per account (newest): a bound on memory, far above what a week of changes holds. */
const KEPT_PER_ACCOUNT = 5_000;

interface AccountLog {
  /** The observation the last read served. */
  cycle?: number;
  read?: Promise<readonly AuditFact[]>;
  /** The next read's date filter (ISO-8601). */
  nextSince?: string;
  entries: Map<string, AuditEntry>;
}

export interface AttributionRequest {
  target: AccountTarget;
  /** The account observation the pass planned on (SnapshotCache.observationOf); none: nothing is read. */
  cycle: number | undefined;
  key: string;
  plan: Plan;
  /** The pins as the key's last status recorded them. */
  before: readonly KnownChange[];
}

export class ChangeAttribution {
  private readonly accounts = new Map<string, AccountLog>();
  /** Per pin: the version no AuditLog entry explained, and since when (platform time, ms). */
  private readonly misses = new Map<string, { current: string; since: number }>();
  /** The last problem told per account: the same one is not told again every cycle. */
  private readonly told = new Map<string, string>();

  constructor(private readonly onProblem: (accountId: string, message: string) => void = () => undefined) {}

  /** The plan with `changedBy` on the key's pins that have something to explain. */
  async attribute(request: AttributionRequest): Promise<Plan> {
    const { target, cycle, key, before } = request;
    const plan = carryChangedBy(request.plan, key, before);
    const now = target.client.platformNow().getTime();
    const asking = pinsToExplain(plan, key, before).filter((pin) => !this.givenUp(pin, now));
    if (cycle === undefined || asking.length === 0) return plan;
    const entries = await this.entriesFor(target, cycle);
    const attributed = attributeChanges(plan, new Map([[target.accountId, entries]]));
    this.noteMisses(attributed, asking, now);
    return attributed;
  }

  /**
   * A version no entry explained for longer than the overlap (a Platform Release, a runtime installed
   * at that version, a pin waiting for its slot) is not asked about again until it changes: an entry
   * recorded late is dated within the overlap, so the reads of that time would have brought it.
   */
  private givenUp(pin: PinResult, now: number): boolean {
    const miss = this.misses.get(missId(pin));
    return miss !== undefined && miss.current === pin.current && now - miss.since > OVERLAP_MS;
  }

  private noteMisses(plan: Plan, asked: readonly PinResult[], now: number): void {
    for (const pin of asked) {
      const id = missId(pin);
      const explained = plan.pins.some((p) => missId(p) === id && p.changedBy !== undefined);
      const known = this.misses.get(id);
      if (explained) this.misses.delete(id);
      else if (known?.current !== pin.current)
        this.misses.set(id, { current: pin.current ?? '', since: now });
    }
  }

  /** The account's entries, read at most once per observation. */
  private entriesFor(target: AccountTarget, cycle: number): Promise<readonly AuditFact[]> {
    const log = this.logOf(target.accountId);
    if (log.cycle !== cycle || !log.read) {
      log.cycle = cycle;
      log.read = this.read(target, log);
    }
    return log.read;
  }

  private async read(target: AccountTarget, log: AccountLog): Promise<readonly AuditFact[]> {
    const now = target.client.platformNow().getTime();
    const since = log.nextSince ?? new Date(now - ATTRIBUTION_LOOKBACK_MS).toISOString();
    try {
      remember(log, await readAuditLog(target.client, since), now);
      log.nextSince = new Date(Math.max(Date.parse(since), now - OVERLAP_MS)).toISOString();
      this.told.delete(target.accountId);
    } catch (error) {
      this.problem(target.accountId, error instanceof Error ? error.message : String(error));
    }
    return [...log.entries.values()];
  }

  private problem(accountId: string, message: string): void {
    if (this.told.get(accountId) === message) return;
    this.told.set(accountId, message);
    this.onProblem(accountId, message);
  }

  private logOf(accountId: string): AccountLog {
    const known = this.accounts.get(accountId);
    if (known) return known;
    const log: AccountLog = { entries: new Map() };
    this.accounts.set(accountId, log);
    return log;
  }
}

/**
 * The version pins of `key` with no `changedBy` that drifted, wait for a person (Manual), or are in sync
 * now but were not before (a manual task done, a drift closed).
 */
function pinsToExplain(plan: Plan, key: string, before: readonly KnownChange[]): PinResult[] {
  const drifted = new Set(plan.drift.filter((item) => item.key === key).map((item) => pinId(item)));
  return plan.pins.filter(
    (pin) =>
      pin.key === key &&
      isVersionPin(pin) &&
      pin.current !== undefined &&
      pin.changedBy === undefined &&
      (drifted.has(pinId(pin)) || pin.outcome === 'Manual' || settledNow(pin, before)),
  );
}

function settledNow(pin: PinResult, before: readonly KnownChange[]): boolean {
  if (pin.outcome !== 'InSync') return false;
  const known = before.find((old) => old.kind === pin.kind && old.name === pin.name);
  return known !== undefined && known.outcome !== 'InSync';
}

function isVersionPin(pin: PinResult): boolean {
  return pin.kind === 'runtime' || pin.kind === 'connector';
}

function pinId(pin: { kind: string; name: string }): string {
  return `${pin.kind}\n${pin.name}`;
}

function missId(pin: PinResult): string {
  return `${pin.key}\n${pinId(pin)}`;
}

/** Adds the new entries (a later read repeats the overlap), drops those older than the lookback. */
function remember(log: AccountLog, entries: readonly AuditEntry[], now: number): void {
  for (const entry of entries) if (entry.containerId) log.entries.set(entryId(entry), entry);
  const oldest = new Date(now - ATTRIBUTION_LOOKBACK_MS).toISOString();
  for (const [id, entry] of log.entries) if (entry.date < oldest) log.entries.delete(id);
  const excess = log.entries.size - KEPT_PER_ACCOUNT;
  if (excess > 0) {
    const oldestFirst = [...log.entries].sort(([, a], [, b]) => (a.date < b.date ? -1 : 1));
    for (const [id] of oldestFirst.slice(0, excess)) log.entries.delete(id);
  }
}

function entryId(entry: AuditEntry): string {
  return [entry.documentId, entry.date, entry.type, entry.action, entry.containerId, entry.userId].join('|');
}
