// R1: a runtime is attached to at most one environment; attaching it elsewhere moves it.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import type { WorldCore } from './core.js';
import { atomAttachmentId } from './ids.js';
import { requireEnvironment, requireRuntime } from './lookups.js';
import type { RuntimeAttachmentRecord } from './state.js';

export function attachRuntime(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): RuntimeAttachmentRecord {
  const runtime = requireRuntime(core.state, ctx.accountId, body['atomId']);
  const environment = requireEnvironment(core.state, ctx.accountId, body['environmentId']);
  requireAtomManagement(ctx, `Attaching runtime "${runtime.name}" to an environment`);
  const previous = Object.values(core.state.runtimeAttachments).find((a) => a.atomId === runtime.id);
  if (previous?.environmentId === environment.id) {
    throw new SimError(
      409,
      `Runtime "${runtime.name}" is already attached to environment "${environment.name}".`,
    );
  }
  if (previous) delete core.state.runtimeAttachments[previous.id];
  const attachment: RuntimeAttachmentRecord = {
    id: atomAttachmentId(runtime.id, environment.id),
    accountId: ctx.accountId,
    atomId: runtime.id,
    environmentId: environment.id,
  };
  core.state.runtimeAttachments[attachment.id] = attachment;
  const from = previous ? core.state.environments[previous.environmentId]?.name : undefined;
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.environment',
    action: 'ATTACH',
    containerId: runtime.id,
    message: from
      ? `Runtime "${runtime.name}" moved from environment "${from}" to "${environment.name}".`
      : `Runtime "${runtime.name}" attached to environment "${environment.name}".`,
  });
  return attachment;
}

export function detachRuntime(core: WorldCore, ctx: CallContext, id: string): void {
  const attachment = core.state.runtimeAttachments[id];
  if (attachment?.accountId !== ctx.accountId) {
    throw new SimError(404, `EnvironmentAtomAttachment ${id} does not exist in account ${ctx.accountId}.`);
  }
  requireAtomManagement(ctx, 'Detaching a runtime from its environment');
  delete core.state.runtimeAttachments[id];
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.environment',
    action: 'DETACH',
    containerId: attachment.atomId,
    message: `Runtime ${attachment.atomId} detached from environment ${attachment.environmentId}.`,
  });
}
