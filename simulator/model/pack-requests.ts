// R12/R13: Apply Pending Updates on a runtime (IntegrationPackPendingUpdateRequest). It takes every pending
// pack update visible on the runtime's environment at once, cannot be undone, and takes effect after
// runtime inactivity (restarts.ts decides when). Once applied, the account is locked out of that pack's
// further updates until the release reaches the whole install base.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import type { WorldCore } from './core.js';
import { addRequest, environmentIdOf, requireRuntime } from './lookups.js';
import { findPackAccount, packViews, type PackVersionView } from './packs.js';
import { isTerminal, type PackMove, type PackRequestRecord, type RuntimeRecord } from './state.js';
import { setStatus } from './request-status.js';
import { takeInjectedFailure } from './version-requests.js';
import { parsePackExpectations, requirePackExpectations } from './request-expectations.js';

export function createPackRequest(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): PackRequestRecord {
  const state = core.state;
  const runtime = requireRuntime(state, ctx.accountId, body['atomId']);
  requireAtomManagement(ctx, `Applying pending integration pack updates on runtime "${runtime.name}"`);
  const environmentId = environmentIdOf(state, runtime.id);
  if (environmentId === undefined) {
    throw new SimError(
      400,
      `Runtime "${runtime.name}" is not attached to an environment, so no integration pack update is visible on it.`,
    );
  }
  const expected = parsePackExpectations(body['expected']);
  const views = packViews(state, runtime);
  const applicable = views.filter(
    (v) =>
      v.pendingVersion !== undefined &&
      v.applyBlockedReason === undefined &&
      v.outstandingRequestId === undefined,
  );
  if (expected) requirePackExpectations(runtime, expected, applicable, views);
  if (applicable.length === 0) refuseNothingToApply(core, runtime, views);
  const packs = applicable.map((view) => moveFor(core, view));
  const now = core.nowIso();
  const request: PackRequestRecord = {
    kind: 'IntegrationPackPendingUpdateRequest',
    id: core.mintRequestId('ipackupdate'),
    accountId: runtime.accountId,
    atomId: runtime.id,
    environmentId,
    packs,
    status: 'ACCEPTED',
    createdAt: now,
    createdBy: ctx.userId,
    updatedAt: now,
    willFail: takeInjectedFailure(runtime),
  };
  addRequest(state, request);
  core.audit({
    accountId: runtime.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action: 'APPLY_PENDING',
    modifier: 'ACCEPTED',
    containerId: runtime.id,
    message: `Apply Pending Updates on runtime "${runtime.name}": ${describeMoves(core, packs)} (request ${request.id}).`,
    properties: packs.map((m) => ({
      name: m.integrationPackInstanceId,
      previousValue: String(m.fromVersion),
      value: String(m.toVersion),
    })),
  });
  return request;
}

function moveFor(core: WorldCore, view: PackVersionView): PackMove {
  const instance = core.state.packInstances[view.integrationPackInstanceId]!;
  const pending = findPackAccount(core.state, instance.accountId, view.integrationPackId)!.pending!;
  return {
    integrationPackInstanceId: view.integrationPackInstanceId,
    integrationPackId: view.integrationPackId,
    attachmentId: view.integrationPackEnvironmentAttachmentId!,
    releaseId: pending.releaseId,
    fromVersion: view.version,
    toVersion: pending.version,
  };
}

function refuseNothingToApply(core: WorldCore, runtime: RuntimeRecord, views: PackVersionView[]): never {
  const running = views.find((v) => v.outstandingRequestId !== undefined);
  if (running) {
    throw new SimError(
      409,
      `Pending updates on runtime "${runtime.name}" are already being applied by request ${running.outstandingRequestId}.`,
    );
  }
  const locked = views.find((v) => v.applyBlockedReason === 'INSTALL_BASE_LOCK');
  if (locked) {
    const when = locked.releaseOnDate !== undefined ? ` on ${locked.releaseOnDate}` : '';
    throw new SimError(
      409,
      `Integration pack "${locked.name}": account ${runtime.accountId} already applied pending version ` +
        `${locked.pendingVersion} early; no other update of this pack can be applied until that update reaches ` +
        `the whole install base${when} or the publisher releases a newer update immediately.`,
    );
  }
  const environment = core.state.environments[environmentIdOf(core.state, runtime.id) ?? '']?.name ?? 'none';
  throw new SimError(
    400,
    `No pending integration pack update is visible on runtime "${runtime.name}" (environment "${environment}").`,
  );
}

/** The request's moment has come: every move still valid takes effect; the account is now locked (R13). */
export function completePackRequest(core: WorldCore, request: PackRequestRecord): void {
  if (request.willFail) {
    request.message =
      'The runtime could not take the integration pack updates (injected fault); versions are unchanged.';
    setStatus(core, request, 'FAILED', 'ERROR');
    return;
  }
  const now = core.nowIso();
  for (const move of request.packs) {
    if (move.supersededBy !== undefined) continue;
    const attachment = core.state.packAttachments[move.attachmentId];
    const account = findPackAccount(core.state, request.accountId, move.integrationPackId);
    if (
      !attachment ||
      attachment.version !== move.fromVersion ||
      account?.pending?.releaseId !== move.releaseId
    ) {
      continue;
    }
    attachment.version = move.toVersion;
    attachment.lastUpdateDate = now;
    attachment.appliedEarlyReleaseId = move.releaseId;
    account.lockedByReleaseId = move.releaseId;
  }
  core.audit({
    accountId: request.accountId,
    userId: request.createdBy,
    type: 'as.integrationpack',
    action: 'APPLY_PENDING',
    modifier: 'APPLIED',
    containerId: request.atomId,
    message: `Integration pack updates applied early: ${describeMoves(core, request.packs)}.`,
  });
  setStatus(core, request, 'COMPLETE');
}

/** R10: a release overtook these moves; a request left with none to make is SUPERSEDED. */
export function supersedePackMoves(core: WorldCore, packId: string, releaseRequestId: string): void {
  for (const request of Object.values(core.state.requests)) {
    if (request.kind !== 'IntegrationPackPendingUpdateRequest' || isTerminal(request.status)) continue;
    const overtaken = request.packs.filter(
      (m) => m.integrationPackId === packId && m.supersededBy === undefined,
    );
    if (overtaken.length === 0) continue;
    for (const move of overtaken) move.supersededBy = releaseRequestId;
    if (request.packs.some((m) => m.supersededBy === undefined)) continue;
    request.message = `Release ${releaseRequestId} reached the whole install base first.`;
    setStatus(core, request, 'SUPERSEDED');
  }
}

function describeMoves(core: WorldCore, moves: readonly PackMove[]): string {
  return moves
    .map(
      (m) =>
        `"${core.state.packs[m.integrationPackId]?.name ?? m.integrationPackId}" ${m.fromVersion} → ${m.toVersion}`,
    )
    .join(', ');
}
