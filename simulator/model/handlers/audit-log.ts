// AuditLog: GET by documentId, QUERY, bulk. Fields and query properties follow Boomi's full OpenAPI
// (containerId, userId, date, type, action, modifier, level, source); `date` is ISO, so string order is
// time order for BETWEEN and the comparison operators.
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import type { AuditRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function auditLogHandler(core: WorldCore): ObjectHandler {
  const toWire = (r: AuditRecord) =>
    wire('AuditLog', {
      documentId: r.documentId,
      accountId: r.accountId,
      userId: r.userId,
      date: r.date,
      type: r.type,
      action: r.action,
      modifier: r.modifier,
      level: r.level,
      source: r.source,
      containerId: r.containerId,
      message: r.message,
      AuditLogProperty: r.properties.map((p) => wire('AuditLogProperty', { ...p })),
    });
  const properties = Object.fromEntries(
    ['containerId', 'userId', 'date', 'type', 'action', 'modifier', 'level', 'source'].map((name) => [
      name,
      field(name),
    ]),
  );
  return {
    type: 'AuditLog',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: { operators: ALL_OPERATORS, properties },
    get: (ctx, id) => {
      const record = core.state.auditLog.find((r) => r.documentId === id && r.accountId === ctx.accountId);
      return record && toWire(record);
    },
    list: (ctx) => core.state.auditLog.filter((r) => r.accountId === ctx.accountId).map(toWire),
  };
}
