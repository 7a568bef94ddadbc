// IntegrationPackInstance: GET, QUERY, bulk, CREATE (install), DELETE (uninstall).
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { installPack, uninstallPack } from '../pack-installs.js';
import type { PackInstanceRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function integrationPackInstanceHandler(core: WorldCore): ObjectHandler {
  const toWire = (i: PackInstanceRecord) =>
    wire('IntegrationPackInstance', {
      id: i.id,
      integrationPackId: i.integrationPackId,
      integrationPackOverrideName: i.overrideName,
      ProcessId: [],
    });
  return {
    type: 'IntegrationPackInstance',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ALL_OPERATORS,
      properties: {
        integrationPackOverrideName: field('integrationPackOverrideName'),
        integrationPackName: (obj) => core.state.packs[String(obj['integrationPackId'])]?.name,
        integrationPackId: field('integrationPackId'),
      },
    },
    get: (ctx, id) => {
      const instance = core.state.packInstances[id];
      return instance?.accountId === ctx.accountId ? toWire(instance) : undefined;
    },
    list: (ctx) =>
      Object.values(core.state.packInstances)
        .filter((i) => i.accountId === ctx.accountId)
        .map(toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(installPack(core, ctx, body)) }),
    delete: (ctx, id) => uninstallPack(core, ctx, id),
  };
}
