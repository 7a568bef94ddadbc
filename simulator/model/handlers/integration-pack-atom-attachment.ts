// IntegrationPackAtomAttachment: QUERY, CREATE, DELETE — an installed pack attached to a runtime directly,
// the form of accounts that do not use environments. Pack versions follow environment attachments
// (IntegrationPackEnvironmentAttachment); an atom attachment records where the pack runs.
import { SimError, type CallContext, type ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, requireAtomManagement, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { encodedId } from '../ids.js';
import { requireRuntime } from '../lookups.js';
import { requireInstance } from '../pack-installs.js';
import type { PackAtomAttachmentRecord } from '../state.js';
import { accountScoped, ALL_OPERATORS, field, wire } from './wire.js';

export function integrationPackAtomAttachmentHandler(core: WorldCore): ObjectHandler {
  const toWire = (a: PackAtomAttachmentRecord) =>
    wire('IntegrationPackAtomAttachment', {
      id: a.id,
      atomId: a.atomId,
      integrationPackInstanceId: a.integrationPackInstanceId,
    });
  return {
    type: 'IntegrationPackAtomAttachment',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    query: {
      operators: ALL_OPERATORS,
      properties: { atomId: field('atomId'), integrationPackInstanceId: field('integrationPackInstanceId') },
    },
    list: accountScoped(() => core.state.packAtomAttachments, toWire).list,
    create: (ctx, body) => ({ status: 200, body: toWire(attachPackToAtom(core, ctx, body)) }),
    delete: (ctx, id) => detachPackFromAtom(core, ctx, id),
  };
}

function attachPackToAtom(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): PackAtomAttachmentRecord {
  requireAtomManagement(ctx, 'Attaching an integration pack to a runtime');
  const instance = requireInstance(core, ctx.accountId, body['integrationPackInstanceId']);
  const runtime = requireRuntime(core.state, ctx.accountId, body['atomId']);
  const id = encodedId('IPACK_ATOM', instance.id, runtime.id);
  if (core.state.packAtomAttachments[id]) {
    throw new SimError(
      409,
      `Integration pack instance ${instance.id} is already attached to runtime "${runtime.name}".`,
    );
  }
  const attachment: PackAtomAttachmentRecord = {
    id,
    accountId: ctx.accountId,
    integrationPackInstanceId: instance.id,
    atomId: runtime.id,
  };
  core.state.packAtomAttachments[id] = attachment;
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'ATTACH',
    containerId: runtime.id,
    message: `Integration pack instance ${instance.id} attached to runtime "${runtime.name}".`,
  });
  return attachment;
}

function detachPackFromAtom(core: WorldCore, ctx: CallContext, id: string): void {
  requireAtomManagement(ctx, 'Detaching an integration pack from a runtime');
  const attachment = core.state.packAtomAttachments[id];
  if (attachment?.accountId !== ctx.accountId) {
    throw new SimError(
      404,
      `IntegrationPackAtomAttachment ${id} does not exist in account ${ctx.accountId}.`,
    );
  }
  delete core.state.packAtomAttachments[id];
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'DETACH',
    containerId: attachment.atomId,
    message: `Integration pack instance ${attachment.integrationPackInstanceId} detached from runtime ${attachment.atomId}.`,
  });
}
