// The handle every rule and handler works through: the state, model time, id minting and the audit log.
import { appendAudit, type AuditEntry } from './audit.js';
import { uuidFrom } from './ids.js';
import type { SimState } from './state.js';

export class ModelCore {
  constructor(readonly state: SimState) {}

  nowMs(): number {
    return Date.parse(this.state.clock.now);
  }

  nowIso(): string {
    return this.state.clock.now;
  }

  /** A fresh deterministic id (the sequence is part of the persisted state). */
  mintId(kind: string): string {
    this.state.seq += 1;
    return uuidFrom('minted', kind, String(this.state.seq));
  }

  audit(entry: AuditEntry): void {
    appendAudit(this.state, this.mintId('audit'), this.nowIso(), entry);
  }
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
