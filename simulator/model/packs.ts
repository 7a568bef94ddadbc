// R11/R12/R13 as a runtime shows them: for each pack instance of the runtime's account, the version on the
// runtime's environment, the pending version (only where the pack is attached to that environment), and
// why a pending version cannot be applied (INSTALL_BASE_LOCK, NOT_ATTACHED).
import { environmentIdOf } from './lookups.js';
import {
  isTerminal,
  packAccountKey,
  type PackAccountRecord,
  type PackAttachmentRecord,
  type PackRecord,
  type RuntimeRecord,
  type WorldState,
} from './state.js';

export interface PackVersionView {
  integrationPackInstanceId: string;
  integrationPackId: string;
  name: string;
  integrationPackOverrideName?: string;
  version: number;
  pendingVersion?: number;
  releaseOnDate?: string;
  lastUpdateDate?: string;
  applyBlockedReason?: 'INSTALL_BASE_LOCK' | 'NOT_ATTACHED';
  /** This environment took the pending version before its release date (R14 makes reattach the way back). */
  appliedEarly?: boolean;
  /** Environments the instance is attached to. */
  environmentIds: string[];
  integrationPackEnvironmentAttachmentId?: string;
  outstandingRequestId?: string;
}

export function findPackAccount(
  state: WorldState,
  accountId: string,
  packId: string,
): PackAccountRecord | undefined {
  return state.packAccounts[packAccountKey(accountId, packId)];
}

export function installBase(state: WorldState, packId: string): PackAccountRecord[] {
  return Object.values(state.packAccounts).filter((a) => a.integrationPackId === packId);
}

export function packAttachmentsOf(state: WorldState, instanceId: string): PackAttachmentRecord[] {
  return Object.values(state.packAttachments).filter((a) => a.integrationPackInstanceId === instanceId);
}

/** Every attachment of every instance of the pack in the account. */
export function accountPackAttachments(
  state: WorldState,
  accountId: string,
  packId: string,
): PackAttachmentRecord[] {
  return Object.values(state.packAttachments).filter(
    (a) =>
      a.accountId === accountId &&
      state.packInstances[a.integrationPackInstanceId]?.integrationPackId === packId,
  );
}

/** Packs the account can see: its own publications and those of its partner (parent) accounts. */
export function packVisibleTo(state: WorldState, pack: PackRecord, accountId: string): boolean {
  if (pack.publisherAccountId === accountId) return true;
  return state.accounts[accountId]?.parentAccountId === pack.publisherAccountId;
}

/** Attachment id → id of the not-yet-finished pack request that moves it. */
function packMovesInFlight(state: WorldState): Map<string, string> {
  const inFlight = new Map<string, string>();
  for (const request of Object.values(state.requests)) {
    if (request.kind !== 'IntegrationPackPendingUpdateRequest' || isTerminal(request.status)) continue;
    for (const move of request.packs)
      if (move.supersededBy === undefined) inFlight.set(move.attachmentId, request.id);
  }
  return inFlight;
}

/** R13: the account applied (or is applying) the pending release of this pack somewhere already. */
function installBaseLocked(state: WorldState, account: PackAccountRecord): boolean {
  if (account.lockedByReleaseId !== undefined) return true;
  return Object.values(state.requests).some(
    (r) =>
      r.kind === 'IntegrationPackPendingUpdateRequest' &&
      !isTerminal(r.status) &&
      r.accountId === account.accountId &&
      r.packs.some((m) => m.integrationPackId === account.integrationPackId && m.supersededBy === undefined),
  );
}

export function packViews(state: WorldState, runtime: RuntimeRecord): PackVersionView[] {
  const environmentId = environmentIdOf(state, runtime.id);
  const inFlight = packMovesInFlight(state);
  return Object.values(state.packInstances)
    .filter((instance) => instance.accountId === runtime.accountId)
    .flatMap((instance) => {
      const pack = state.packs[instance.integrationPackId];
      const account = findPackAccount(state, instance.accountId, instance.integrationPackId);
      if (!pack || !account) return [];
      const attachments = packAttachmentsOf(state, instance.id);
      const base: PackVersionView = {
        integrationPackInstanceId: instance.id,
        integrationPackId: pack.id,
        name: pack.name,
        ...(instance.overrideName !== undefined && { integrationPackOverrideName: instance.overrideName }),
        version: account.releasedVersion,
        environmentIds: attachments.map((a) => a.environmentId),
      };
      const here = attachments.find((a) => a.environmentId === environmentId);
      if (!here) return [{ ...base, applyBlockedReason: 'NOT_ATTACHED' as const }];
      return [attachedView(state, base, account, here, inFlight.get(here.id))];
    });
}

function attachedView(
  state: WorldState,
  base: PackVersionView,
  account: PackAccountRecord,
  attachment: PackAttachmentRecord,
  outstandingRequestId: string | undefined,
): PackVersionView {
  const view: PackVersionView = {
    ...base,
    version: attachment.version,
    lastUpdateDate: attachment.lastUpdateDate,
    integrationPackEnvironmentAttachmentId: attachment.id,
  };
  const pending = account.pending;
  if (
    attachment.appliedEarlyReleaseId !== undefined &&
    attachment.appliedEarlyReleaseId === pending?.releaseId
  ) {
    view.appliedEarly = true;
  }
  if (!pending || attachment.version >= pending.version) return view;
  view.pendingVersion = pending.version;
  const releaseOnDate = state.packReleases[pending.releaseId]?.releaseOnDate;
  if (releaseOnDate !== undefined) view.releaseOnDate = releaseOnDate;
  if (outstandingRequestId !== undefined) view.outstandingRequestId = outstandingRequestId;
  else if (installBaseLocked(state, account)) view.applyBlockedReason = 'INSTALL_BASE_LOCK';
  return view;
}
