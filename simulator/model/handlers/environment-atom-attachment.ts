// EnvironmentAtomAttachment: QUERY, CREATE (R1: attaching elsewhere moves the runtime), DELETE.
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { attachRuntime, detachRuntime } from '../runtime-attachments.js';
import type { RuntimeAttachmentRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function environmentAtomAttachmentHandler(core: WorldCore): ObjectHandler {
  const toWire = (a: RuntimeAttachmentRecord) =>
    wire('EnvironmentAtomAttachment', { id: a.id, atomId: a.atomId, environmentId: a.environmentId });
  return {
    type: 'EnvironmentAtomAttachment',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    query: {
      operators: ALL_OPERATORS,
      properties: { atomId: field('atomId'), environmentId: field('environmentId') },
    },
    list: (ctx) =>
      Object.values(core.state.runtimeAttachments)
        .filter((a) => a.accountId === ctx.accountId)
        .map(toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(attachRuntime(core, ctx, body)) }),
    delete: (ctx, id) => detachRuntime(core, ctx, id),
  };
}
