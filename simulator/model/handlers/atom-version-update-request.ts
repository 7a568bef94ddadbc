// AtomVersionUpdateRequest (atomsync extension): CREATE (202), GET, QUERY by atomId/status/action.
import type { ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import type { VersionRequestRecord } from '../state.js';
import { createVersionRequest } from '../version-requests.js';
import { EXTENSION_OPERATORS, field, wire } from './wire.js';

export function atomVersionUpdateRequestHandler(core: WorldCore): ObjectHandler {
  const requestsOf = (accountId: string): VersionRequestRecord[] =>
    Object.values(core.state.requests).filter(
      (r): r is VersionRequestRecord => r.kind === 'AtomVersionUpdateRequest' && r.accountId === accountId,
    );
  return {
    type: 'AtomVersionUpdateRequest',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: EXTENSION_OPERATORS,
      properties: {
        id: field('id'),
        atomId: field('atomId'),
        status: field('status'),
        action: field('action'),
      },
    },
    get: (ctx, id) => {
      const request = requestsOf(ctx.accountId).find((r) => r.id === id);
      return request && versionRequestWire(request);
    },
    list: (ctx) => requestsOf(ctx.accountId).map(versionRequestWire),
    create: (ctx, body) => ({ status: 202, body: versionRequestWire(createVersionRequest(core, ctx, body)) }),
  };
}

function versionRequestWire(request: VersionRequestRecord): WireObject {
  return wire('AtomVersionUpdateRequest', {
    id: request.id,
    atomId: request.atomId,
    action: request.action,
    components: [...request.components],
    status: request.status,
    message: request.message,
    createdBy: request.createdBy,
    createdDate: request.createdAt,
    statusDate: request.updatedAt,
    VersionChange: request.targets.map((t) => wire('VersionChange', { ...t })),
  });
}
