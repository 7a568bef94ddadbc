// IntegrationPackPendingUpdateRequest (atomsync extension): CREATE {atomId} → 202, GET, QUERY by
// atomId/status. Apply Pending Updates on a runtime: every pending pack update visible there, at once.
import type { ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { createPackRequest } from '../pack-requests.js';
import type { PackRequestRecord } from '../state.js';
import { EXTENSION_OPERATORS, field, wire } from './wire.js';

export function integrationPackPendingUpdateRequestHandler(core: WorldCore): ObjectHandler {
  const requestsOf = (accountId: string): PackRequestRecord[] =>
    Object.values(core.state.requests).filter(
      (r): r is PackRequestRecord =>
        r.kind === 'IntegrationPackPendingUpdateRequest' && r.accountId === accountId,
    );
  return {
    type: 'IntegrationPackPendingUpdateRequest',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: EXTENSION_OPERATORS,
      properties: { id: field('id'), atomId: field('atomId'), status: field('status') },
    },
    get: (ctx, id) => {
      const request = requestsOf(ctx.accountId).find((r) => r.id === id);
      return request && packRequestWire(request);
    },
    list: (ctx) => requestsOf(ctx.accountId).map(packRequestWire),
    create: (ctx, body) => ({ status: 202, body: packRequestWire(createPackRequest(core, ctx, body)) }),
  };
}

function packRequestWire(request: PackRequestRecord): WireObject {
  return wire('IntegrationPackPendingUpdateRequest', {
    id: request.id,
    atomId: request.atomId,
    environmentId: request.environmentId,
    status: request.status,
    message: request.message,
    createdBy: request.createdBy,
    createdDate: request.createdAt,
    statusDate: request.updatedAt,
    IntegrationPack: request.packs.map((m) =>
      wire('IntegrationPackPendingUpdate', {
        integrationPackInstanceId: m.integrationPackInstanceId,
        integrationPackId: m.integrationPackId,
        fromVersion: m.fromVersion,
        toVersion: m.toVersion,
        supersededBy: m.supersededBy,
      }),
    ),
  });
}
