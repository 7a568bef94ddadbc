// R-all: every change (who, what, when) lands in the audit log, served as Boomi's AuditLog object.
import type { AuditProperty, AuditRecord, WorldState } from './state.js';

/** Oldest records are dropped past this many, so a long-running simulator's state stays small. */
const AUDIT_LOG_LIMIT = 10_000;

/**
 * The user recorded for changes the platform makes by itself (releases, schedules, restarts). Boomi names
 * users by e-mail everywhere (createdBy, userId), so the simulator's own actors have e-mails too.
 */
export const PLATFORM_USER = 'platform@sim.atomsync.io';
/** The user recorded for simulator control calls (/_sim/). */
export const SIMULATOR_USER = 'simulator@sim.atomsync.io';
/** The user recorded as having installed what a scenario starts with (runtimes, pack releases). */
export const SCENARIO_USER = 'scenario@sim.atomsync.io';

export interface AuditEntry {
  accountId: string;
  userId: string;
  type: string;
  action: string;
  modifier?: string;
  level?: AuditRecord['level'];
  containerId?: string;
  message: string;
  properties?: AuditProperty[];
  /** Default: INTERNAL for the platform and the simulator, API for users. */
  source?: AuditRecord['source'];
}

export function appendAudit(
  state: WorldState,
  documentId: string,
  date: string,
  entry: AuditEntry,
): AuditRecord {
  const record: AuditRecord = {
    documentId,
    accountId: entry.accountId,
    userId: entry.userId,
    date,
    type: entry.type,
    action: entry.action,
    modifier: entry.modifier ?? 'NONE',
    level: entry.level ?? 'INFO',
    source:
      entry.source ??
      (entry.userId === PLATFORM_USER || entry.userId === SIMULATOR_USER ? 'INTERNAL' : 'API'),
    ...(entry.containerId !== undefined && { containerId: entry.containerId }),
    message: entry.message,
    properties: entry.properties ?? [],
  };
  state.auditLog.push(record);
  if (state.auditLog.length > AUDIT_LOG_LIMIT)
    state.auditLog.splice(0, state.auditLog.length - AUDIT_LOG_LIMIT);
  return record;
}
