// Environment: GET, QUERY, bulk.
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import type { EnvironmentRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function environmentHandler(core: WorldCore): ObjectHandler {
  const toWire = (e: EnvironmentRecord) =>
    wire('Environment', { id: e.id, name: e.name, classification: e.classification });
  return {
    type: 'Environment',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ALL_OPERATORS,
      properties: { name: field('name'), id: field('id'), classification: field('classification') },
    },
    get: (ctx, id) => {
      const environment = core.state.environments[id];
      return environment?.accountId === ctx.accountId ? toWire(environment) : undefined;
    },
    list: (ctx) =>
      Object.values(core.state.environments)
        .filter((e) => e.accountId === ctx.accountId)
        .map(toWire),
  };
}
