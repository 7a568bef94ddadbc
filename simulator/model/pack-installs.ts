// Installing a pack in an account (IntegrationPackInstance) and attaching an instance to environments
// (IntegrationPackEnvironmentAttachment). R14: an attachment created anew starts on the account's released
// version, so detaching and reattaching drops an early update; it comes back on the release date.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import type { WorldCore } from './core.js';
import { encodedId, packAttachmentId } from './ids.js';
import { requireEnvironment } from './lookups.js';
import { findPackAccount, packAttachmentsOf, packVisibleTo } from './packs.js';
import {
  packAccountKey,
  type PackAccountRecord,
  type PackAttachmentRecord,
  type PackInstanceRecord,
  type PackRecord,
} from './state.js';

export function installPack(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): PackInstanceRecord {
  requireAtomManagement(ctx, 'Installing an integration pack');
  const pack = requireVisiblePack(core, ctx.accountId, body['integrationPackId']);
  const overrideName = body['integrationPackOverrideName'];
  if (overrideName !== undefined && (typeof overrideName !== 'string' || pack.installationType !== 'MULTI')) {
    throw new SimError(
      400,
      `integrationPackOverrideName can be set only for a MULTI integration pack ("${pack.name}" is ${pack.installationType}).`,
    );
  }
  const installed = Object.values(core.state.packInstances).filter(
    (i) => i.accountId === ctx.accountId && i.integrationPackId === pack.id,
  );
  if (pack.installationType === 'SINGLE' && installed.length > 0) {
    throw new SimError(
      409,
      `Integration pack "${pack.name}" is SINGLE and already installed in account ${ctx.accountId}.`,
    );
  }
  const instance: PackInstanceRecord = {
    id: encodedId(`${core.nextSeq()}|`, pack.id),
    accountId: ctx.accountId,
    integrationPackId: pack.id,
    ...(typeof overrideName === 'string' && { overrideName }),
  };
  core.state.packInstances[instance.id] = instance;
  joinInstallBase(core, ctx.accountId, pack);
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'INSTALL',
    message: `Integration pack "${pack.name}" installed as instance ${instance.id}.`,
  });
  return instance;
}

export function uninstallPack(core: WorldCore, ctx: CallContext, id: string): void {
  requireAtomManagement(ctx, 'Uninstalling an integration pack');
  const instance = requireInstance(core, ctx.accountId, id);
  for (const attachment of packAttachmentsOf(core.state, instance.id))
    delete core.state.packAttachments[attachment.id];
  for (const attachment of Object.values(core.state.packAtomAttachments)) {
    if (attachment.integrationPackInstanceId === instance.id)
      delete core.state.packAtomAttachments[attachment.id];
  }
  delete core.state.packInstances[instance.id];
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'UNINSTALL',
    message: `Integration pack instance ${instance.id} uninstalled.`,
  });
}

export function attachPack(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): PackAttachmentRecord {
  requireAtomManagement(ctx, 'Attaching an integration pack to an environment');
  const instance = requireInstance(core, ctx.accountId, body['integrationPackInstanceId']);
  const environment = requireEnvironment(core.state, ctx.accountId, body['environmentId']);
  if (packAttachmentsOf(core.state, instance.id).some((a) => a.environmentId === environment.id)) {
    throw new SimError(
      409,
      `Integration pack instance ${instance.id} is already attached to environment "${environment.name}".`,
    );
  }
  const account = findPackAccount(core.state, ctx.accountId, instance.integrationPackId)!;
  const attachment: PackAttachmentRecord = {
    id: packAttachmentId(instance.id, environment.id),
    accountId: ctx.accountId,
    integrationPackInstanceId: instance.id,
    environmentId: environment.id,
    version: account.releasedVersion,
    lastUpdateDate: core.nowIso(),
  };
  core.state.packAttachments[attachment.id] = attachment;
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'ATTACH',
    message: `Integration pack instance ${instance.id} attached to environment "${environment.name}" on version ${attachment.version}.`,
  });
  return attachment;
}

export function detachPack(core: WorldCore, ctx: CallContext, id: string): void {
  requireAtomManagement(ctx, 'Detaching an integration pack from an environment');
  const attachment = core.state.packAttachments[id];
  if (attachment?.accountId !== ctx.accountId) {
    throw new SimError(
      404,
      `IntegrationPackEnvironmentAttachment ${id} does not exist in account ${ctx.accountId}.`,
    );
  }
  delete core.state.packAttachments[id];
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'DETACH',
    message:
      `Integration pack instance ${attachment.integrationPackInstanceId} detached from environment ` +
      `${attachment.environmentId} (it was on version ${attachment.version}).`,
  });
}

function requireVisiblePack(core: WorldCore, accountId: string, id: unknown): PackRecord {
  if (typeof id !== 'string' || id === '') throw new SimError(400, 'integrationPackId is required.');
  const pack = core.state.packs[id];
  if (!pack || !packVisibleTo(core.state, pack, accountId)) {
    throw new SimError(404, `Integration pack ${id} is not available to account ${accountId}.`);
  }
  return pack;
}

export function requireInstance(core: WorldCore, accountId: string, id: unknown): PackInstanceRecord {
  if (typeof id !== 'string' || id === '') throw new SimError(400, 'integrationPackInstanceId is required.');
  const instance = core.state.packInstances[id];
  if (instance?.accountId !== accountId) {
    throw new SimError(404, `IntegrationPackInstance ${id} does not exist in account ${accountId}.`);
  }
  return instance;
}

/** An account new to the pack starts on release 1 of its own count (R11), with any update in testing pending. */
function joinInstallBase(core: WorldCore, accountId: string, pack: PackRecord): PackAccountRecord {
  const key = packAccountKey(accountId, pack.id);
  const existing = core.state.packAccounts[key];
  if (existing) return existing;
  const scheduled = Object.values(core.state.packReleases).find(
    (r) => r.integrationPackId === pack.id && r.status === 'SCHEDULED',
  );
  const account: PackAccountRecord = {
    accountId,
    integrationPackId: pack.id,
    releasedVersion: 1,
    ...(scheduled && { pending: { releaseId: scheduled.requestId, version: 2 } }),
  };
  core.state.packAccounts[key] = account;
  return account;
}
