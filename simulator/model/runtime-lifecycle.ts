// Atom CREATE and DELETE. Boomi's API creates only attachments to a Runtime cloud (`{cloudId, name}`: "this
// operation cannot be used to create a local Runtime", which an installer does); DELETE removes a runtime
// from the account with its environment and integration pack attachments and its release schedule.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import type { WorldCore } from './core.js';
import { outstandingRequests, requireRuntime } from './lookups.js';
import { RUNTIME_COMPONENT } from './runtime-versions.js';
import type { ComponentRecord, RuntimeRecord, WorldState } from './state.js';

/** How many attachments one account may have to one cloud (RuntimeCloud's maxAttachmentsPerAccount). */
export const MAX_ATTACHMENTS_PER_ACCOUNT = 10;

export function createCloudAttachment(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): RuntimeRecord {
  requireAtomManagement(ctx, 'Creating a runtime');
  const { cloudId, name } = body;
  if (typeof cloudId !== 'string' || cloudId === '') {
    throw new SimError(
      400,
      'cloudId is required: Atom CREATE attaches a runtime to a Runtime cloud (local runtimes are installed, not created).',
    );
  }
  if (typeof name !== 'string' || name.trim() === '')
    throw new SimError(400, 'name must be a non-empty string.');
  const cloud = core.state.clouds[cloudId];
  if (!cloud) throw new SimError(400, `Runtime cloud ${cloudId} does not exist.`);
  const own = Object.values(core.state.runtimes).filter((r) => r.accountId === ctx.accountId);
  if (own.some((r) => r.name === name)) {
    throw new SimError(409, `Account ${ctx.accountId} already has a runtime named "${name}".`);
  }
  if (own.filter((r) => r.cloudId === cloudId).length >= MAX_ATTACHMENTS_PER_ACCOUNT) {
    throw new SimError(
      409,
      `Account ${ctx.accountId} already has ${MAX_ATTACHMENTS_PER_ACCOUNT} attachments to cloud "${cloud.name}", its maximum.`,
    );
  }
  const now = core.nowIso();
  const runtime: RuntimeRecord = {
    id: core.mintId('runtime'),
    accountId: ctx.accountId,
    name,
    type: 'CLOUD',
    nodes: cloud.nodes,
    hostName: cloud.name,
    createdBy: ctx.userId,
    dateInstalled: now,
    cloudId,
    status: 'ONLINE',
    statusSince: now,
    runningExecutions: 0,
    idleSince: now,
    forceRestartTime: 0,
    purgeHistoryDays: 30,
    purgeImmediate: false,
    components: releasedComponents(core.state, now),
    restart: null,
    failNextRequests: 0,
  };
  core.state.runtimes[runtime.id] = runtime;
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.atom',
    action: 'INSTALL',
    containerId: runtime.id,
    message: `Runtime "${name}" attached to cloud "${cloud.name}".`,
  });
  return runtime;
}

/** A new attachment runs the released version of the runtime and of every connector. */
function releasedComponents(state: WorldState, now: string): Record<string, ComponentRecord> {
  const names = Object.keys(state.calendar.components).sort((a, b) =>
    a === RUNTIME_COMPONENT ? -1 : b === RUNTIME_COMPONENT ? 1 : 0,
  );
  return Object.fromEntries(
    names.map((name) => [name, { version: state.calendar.components[name]!.released, lastUpdated: now }]),
  );
}

export function deleteRuntime(core: WorldCore, ctx: CallContext, id: string): void {
  const runtime = requireRuntime(core.state, ctx.accountId, id);
  requireAtomManagement(ctx, `Deleting runtime "${runtime.name}"`);
  if (runtime.restart || outstandingRequests(core.state, runtime.id).length > 0) {
    throw new SimError(
      409,
      `Runtime "${runtime.name}" has update requests in progress; delete it once they have finished.`,
    );
  }
  const { state } = core;
  for (const [key, a] of Object.entries(state.runtimeAttachments)) {
    if (a.atomId === id) delete state.runtimeAttachments[key];
  }
  for (const [key, a] of Object.entries(state.packAtomAttachments)) {
    if (a.atomId === id) delete state.packAtomAttachments[key];
  }
  delete state.schedules[id];
  delete state.runtimes[id];
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.atom',
    action: 'DELETE',
    containerId: id,
    message: `Runtime "${runtime.name}" deleted.`,
  });
}
