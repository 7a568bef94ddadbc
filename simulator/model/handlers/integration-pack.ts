// IntegrationPack: GET, QUERY, bulk. An account sees the packs it publishes and those of its partner.
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { packVisibleTo } from '../packs.js';
import type { PackRecord } from '../state.js';
import { noneListed } from './read-only.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

/** IntegrationPack and PublisherIntegrationPack are queried by the same properties. */
export const PACK_QUERY: NonNullable<ObjectHandler['query']> = {
  operators: ALL_OPERATORS,
  properties: { name: field('name'), id: field('id'), installationType: field('installationType') },
};

export function integrationPackHandler(core: WorldCore): ObjectHandler {
  const toWire = (p: PackRecord) =>
    wire('IntegrationPack', {
      id: p.id,
      name: p.name,
      Description: p.description,
      installationType: p.installationType,
    });
  return {
    type: 'IntegrationPack',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: PACK_QUERY,
    get: (ctx, id) => {
      const pack = core.state.packs[id];
      return pack && packVisibleTo(core.state, pack, ctx.accountId) ? toWire(pack) : undefined;
    },
    list: (ctx) =>
      Object.values(core.state.packs)
        .filter((p) => packVisibleTo(core.state, p, ctx.accountId))
        .map(toWire),
  };
}

/**
 * Process: the processes of installed packs. The simulated packs are versions only and carry no
 * components, so a query lists none and a process read by id does not exist.
 */
export function integrationPackProcessHandler(): ObjectHandler {
  return noneListed('Process', ['name', 'id', 'integrationPackId', 'integrationPackInstanceId'], {
    byId: true,
    bulk: true,
  });
}
