// Cloud: GET, QUERY, bulk. The public Atom Clouds of the world are visible to every account; each lists
// only the caller's own attachments to it (CloudAtom), never another tenant's.
import type { CallContext, ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import type { CloudRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function cloudHandler(core: WorldCore): ObjectHandler {
  const toWire = (ctx: CallContext, cloud: CloudRecord) =>
    wire('Cloud', {
      id: cloud.id,
      name: cloud.name,
      Atom: Object.values(core.state.runtimes)
        .filter((r) => r.cloudId === cloud.id && r.accountId === ctx.accountId)
        .map((r) => wire('CloudAtom', { atomId: r.id, deleted: false })),
    });
  return {
    type: 'Cloud',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: { operators: ALL_OPERATORS, properties: { name: field('name'), id: field('id') } },
    get: (ctx, id) => {
      const cloud = core.state.clouds[id];
      return cloud && toWire(ctx, cloud);
    },
    list: (ctx) => Object.values(core.state.clouds).map((cloud) => toWire(ctx, cloud)),
  };
}
