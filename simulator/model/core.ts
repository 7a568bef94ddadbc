// The handle every rule and handler works through: the state, model time, id minting and the audit log.
// It also counts changes to the state (generations): what is derived from the state and kept between
// calls (the next event's due time, views served by the API) holds for the generation it was derived in.
import { appendAudit, type AuditEntry } from './audit.js';
import { documentIdFrom, uuidFrom } from './ids.js';
import type { WorldState } from './state.js';

export class WorldCore {
  /** clock.now as last parsed: many reads per API call, few clock moves. */
  private parsedNow = { iso: '', ms: NaN };
  private changes = 0;

  constructor(readonly state: WorldState) {}

  /** Changes so far. Moving the clock alone is not a change; an event it runs is. */
  get generation(): number {
    return this.changes;
  }

  /**
   * Every change to the state reports here once done (or failed half-way): a write through a handler, a
   * /_sim/ control call, an event the clock ran. Whatever was derived from the state is derived again.
   */
  changed(): void {
    this.changes += 1;
  }

  nowMs(): number {
    const iso = this.state.clock.now;
    if (iso !== this.parsedNow.iso) this.parsedNow = { iso, ms: Date.parse(iso) };
    return this.parsedNow.ms;
  }

  nowIso(): string {
    return this.state.clock.now;
  }

  /** A fresh deterministic id (the sequence is part of the persisted state). */
  mintId(kind: string): string {
    this.state.seq += 1;
    return uuidFrom('minted', kind, String(this.state.seq));
  }

  /** A fresh request id in Boomi's style: a kind prefix and a uuid (`release-11031691-dc62-…`). */
  mintRequestId(prefix: string): string {
    return `${prefix}-${this.mintId(prefix)}`;
  }

  /** A fresh running number, for ids that must differ between otherwise equal objects. */
  nextSeq(): number {
    this.state.seq += 1;
    return this.state.seq;
  }

  audit(entry: AuditEntry): void {
    this.state.seq += 1;
    appendAudit(this.state, documentIdFrom('audit', String(this.state.seq)), this.nowIso(), entry);
  }
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
