// A request's status changes, each recorded in the audit log.
import { PLATFORM_USER } from './audit.js';
import type { WorldCore } from './core.js';
import type { UpdateRequestRecord } from './state.js';

export function setStatus(
  core: WorldCore,
  request: UpdateRequestRecord,
  status: UpdateRequestRecord['status'],
  level: 'INFO' | 'ERROR' = 'INFO',
): void {
  const previous = request.status;
  request.status = status;
  request.updatedAt = core.nowIso();
  if (status !== 'WAITING_FOR_INACTIVITY' && status !== 'RESTARTING') delete request.waitingSince;
  core.audit({
    accountId: request.accountId,
    userId: PLATFORM_USER,
    type: request.kind === 'AtomVersionUpdateRequest' ? 'as.atom.version' : 'as.integrationpack',
    action: 'STATUS',
    modifier: status,
    level,
    containerId: request.atomId,
    message: `${request.kind} ${request.id}: ${previous} → ${status}${request.message ? ` (${request.message})` : ''}.`,
    properties: [{ name: 'STATUS', previousValue: previous, value: status }],
  });
}
