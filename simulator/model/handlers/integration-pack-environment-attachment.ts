// IntegrationPackEnvironmentAttachment: QUERY, CREATE, DELETE. Versions are kept per attachment (see
// IntegrationPackVersions); a re-created attachment starts on the released version (R14).
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { attachPack, detachPack } from '../pack-installs.js';
import type { PackAttachmentRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function integrationPackEnvironmentAttachmentHandler(core: WorldCore): ObjectHandler {
  const toWire = (a: PackAttachmentRecord) =>
    wire('IntegrationPackEnvironmentAttachment', {
      id: a.id,
      integrationPackInstanceId: a.integrationPackInstanceId,
      environmentId: a.environmentId,
    });
  return {
    type: 'IntegrationPackEnvironmentAttachment',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    query: {
      operators: ALL_OPERATORS,
      properties: {
        environmentId: field('environmentId'),
        integrationPackInstanceId: field('integrationPackInstanceId'),
      },
    },
    list: (ctx) =>
      Object.values(core.state.packAttachments)
        .filter((a) => a.accountId === ctx.accountId)
        .map(toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(attachPack(core, ctx, body)) }),
    delete: (ctx, id) => detachPack(core, ctx, id),
  };
}
