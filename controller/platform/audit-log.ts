// The platform's AuditLog: who changed what on a runtime, and when (version updates and rollbacks made in
// the platform's UI or by atomsync, restarts, releases). One QUERY per account, filtered by date, so a
// reader that comes back every few seconds asks only for what is new (R16: 10 requests/s per account).
import type { Shape } from './answer-shapes.js';
import type { AtomSphereClient } from './client.js';
import type { AuditLog } from './wire.js';

export interface AuditEntry {
  documentId?: string;
  /** ISO-8601. */
  date: string;
  userId?: string;
  /** `as.atom`, `as.atom.version`, `as.connector`… */
  type: string;
  /** `UPDATE`, `ROLLBACK`, `RESTART`, `APPLY_PENDING`… */
  action: string;
  modifier?: string;
  /** `UI`, `API`, `INTERNAL`… */
  source?: string;
  /** The runtime (Atom id) the entry is about, when it is about one. */
  containerId?: string;
  message?: string;
  properties: { name: string; value?: string; previousValue?: string }[];
}

const AUDIT_LOG: Shape = {
  date: 'string',
  type: 'string',
  action: 'string',
  documentId: { optional: 'string' },
  userId: { optional: 'string' },
  modifier: { optional: 'string' },
  source: { optional: 'string' },
  containerId: { optional: 'string' },
  message: { optional: 'string' },
};

type WireEntry = Omit<AuditLog, 'AuditLogProperty'> & {
  message?: string;
  AuditLogProperty?: { name: string; value?: string; previousValue?: string }[];
};

/** Every AuditLog entry of the account dated at or after `since` (ISO-8601), oldest first. */
export async function readAuditLog(client: AtomSphereClient, since: string): Promise<AuditEntry[]> {
  const entries = await client.queryAll<WireEntry>(
    'AuditLog',
    { property: 'date', operator: 'GREATER_THAN_OR_EQUAL', argument: [since] },
    AUDIT_LOG,
  );
  return entries.map(toEntry).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A restart of a runtime (started or completed), as the platform records it. */
export function isRestart(entry: AuditEntry): boolean {
  return entry.type === 'as.atom' && entry.action === 'RESTART';
}

function toEntry(wire: WireEntry): AuditEntry {
  const entry: AuditEntry = {
    date: wire.date,
    type: wire.type,
    action: wire.action,
    properties: (wire.AuditLogProperty ?? []).map((p) => ({
      name: p.name,
      ...(p.value !== undefined ? { value: p.value } : {}),
      ...(p.previousValue !== undefined ? { previousValue: p.previousValue } : {}),
    })),
  };
  for (const field of ['documentId', 'userId', 'modifier', 'source', 'containerId', 'message'] as const) {
    const value = wire[field];
    if (value !== undefined) entry[field] = value;
  }
  return entry;
}
