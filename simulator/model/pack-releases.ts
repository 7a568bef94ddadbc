// R10/R11: the publisher releases an update of a pack to its install base, IMMEDIATELY (every install takes
// it now) or RELEASE_ON_SPECIFIED_DATE (a testing period starts: the update is pending in every install and
// on the date it reaches all that did not apply it early). One pending update per pack at a time; an
// immediate release during a testing period supersedes the pending one. Version numbers count releases to
// each account, so one release carries different numbers in different accounts.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import { PLATFORM_USER } from './audit.js';
import type { WorldCore } from './core.js';
import { EVENT_ORDER, type ModelEvent } from './events.js';
import { accountPackAttachments, installBase } from './packs.js';
import { supersedePackMoves } from './pack-requests.js';
import type {
  PackAccountRecord,
  PackagedComponentRecord,
  PackRecord,
  PackReleaseRecord,
  ReleaseSchedule,
} from './state.js';

const SCHEDULES: readonly ReleaseSchedule[] = ['IMMEDIATELY', 'RELEASE_ON_SPECIFIED_DATE'];

export function createPackRelease(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): PackReleaseRecord {
  const pack = requirePublishedPack(core, ctx, body['id']);
  requireAtomManagement(ctx, `Releasing integration pack "${pack.name}"`);
  const schedule = body['releaseSchedule'];
  if (!SCHEDULES.includes(schedule as ReleaseSchedule)) {
    throw new SimError(
      400,
      `releaseSchedule must be one of ${SCHEDULES.join(', ')}; got ${JSON.stringify(schedule ?? null)}.`,
    );
  }
  const release: PackReleaseRecord = {
    requestId: core.mintRequestId('release'),
    integrationPackId: pack.id,
    releaseSchedule: schedule as ReleaseSchedule,
    status: 'SCHEDULED',
    createdAt: core.nowIso(),
    createdBy: ctx.userId,
    components: packagedComponents(body['ReleasePackagedComponents']),
  };
  if (release.releaseSchedule === 'RELEASE_ON_SPECIFIED_DATE') {
    release.releaseOnDate = parseReleaseDate(core, body['releaseOnDate']);
    requireNoPendingRelease(core, pack);
  }
  core.state.packReleases[release.requestId] = release;
  markPendingComponents(pack, release);
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack.release',
    action: 'CREATE',
    modifier: release.releaseSchedule,
    message:
      `Release ${release.requestId} of "${pack.name}" ` +
      (release.releaseOnDate ? `scheduled for ${release.releaseOnDate}.` : 'released immediately.'),
  });
  if (release.releaseSchedule === 'IMMEDIATELY') releaseImmediately(core, pack, release);
  else startTestingPeriod(core, release);
  return release;
}

function requirePublishedPack(core: WorldCore, ctx: CallContext, id: unknown): PackRecord {
  if (typeof id !== 'string' || id === '')
    throw new SimError(400, 'id (the integration pack id) is required.');
  const pack = core.state.packs[id];
  if (!pack) throw new SimError(404, `Integration pack ${id} does not exist.`);
  if (pack.publisherAccountId !== ctx.accountId) {
    throw new SimError(
      403,
      `Integration pack "${pack.name}" is published by account ${pack.publisherAccountId}; only its publisher can release it.`,
    );
  }
  return pack;
}

/** Boomi documents yyyy-MM-dd (midnight UTC here); a full ISO instant is accepted too. */
function parseReleaseDate(core: WorldCore, value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (text === '' || Number.isNaN(ms)) {
    throw new SimError(
      400,
      'releaseOnDate (yyyy-MM-dd) is required when releaseSchedule is RELEASE_ON_SPECIFIED_DATE.',
    );
  }
  if (ms <= core.nowMs()) {
    throw new SimError(400, `releaseOnDate ${text} is not in the future (it is now ${core.nowIso()}).`);
  }
  return new Date(ms).toISOString();
}

function requireNoPendingRelease(core: WorldCore, pack: PackRecord): void {
  const pending = scheduledReleaseOf(core, pack.id);
  if (!pending) return;
  throw new SimError(
    409,
    `Integration pack "${pack.name}" already has a pending update (${pending.requestId}, release on ` +
      `${pending.releaseOnDate}); only one update per pack is pending at a time. Release immediately to supersede it.`,
  );
}

function scheduledReleaseOf(core: WorldCore, packId: string): PackReleaseRecord | undefined {
  return Object.values(core.state.packReleases).find(
    (r) => r.integrationPackId === packId && r.status === 'SCHEDULED',
  );
}

function packagedComponents(value: unknown): PackagedComponentRecord[] {
  const list = (value as { ReleasePackagedComponent?: unknown } | undefined)?.ReleasePackagedComponent;
  if (!Array.isArray(list)) return [];
  return list
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null)
    .map((c) => ({
      componentId: String(c['componentId'] ?? ''),
      ...(typeof c['version'] === 'string' && { version: c['version'] }),
      ...(typeof c['releasedVersion'] === 'string' && { releasedVersion: c['releasedVersion'] }),
    }));
}

/** R10: the update is pending in every install from now until the date (R11: numbered per account). */
function startTestingPeriod(core: WorldCore, release: PackReleaseRecord): void {
  for (const account of installBase(core.state, release.integrationPackId)) {
    account.pending = { releaseId: release.requestId, version: account.releasedVersion + 1 };
  }
}

/** R10: every install takes it now; a pending update in its testing period is superseded. */
function releaseImmediately(core: WorldCore, pack: PackRecord, release: PackReleaseRecord): void {
  const superseded = scheduledReleaseOf(core, pack.id);
  if (superseded) {
    superseded.status = 'ERROR';
    superseded.supersededBy = release.requestId;
  }
  for (const account of installBase(core.state, pack.id)) {
    deliver(core, account, release, (account.pending?.version ?? account.releasedVersion) + 1);
  }
  finishRelease(core, release);
}

export function packReleaseDateEvents(core: WorldCore): ModelEvent[] {
  return Object.values(core.state.packReleases)
    .filter((r) => r.status === 'SCHEDULED' && r.releaseOnDate !== undefined)
    .map((release) => ({
      at: Date.parse(release.releaseOnDate!),
      order: EVENT_ORDER.packReleaseDate,
      kind: 'pack-release-date',
      description: `release ${release.requestId} of ${core.state.packs[release.integrationPackId]?.name ?? '?'} reaches its install base`,
      run: () => releaseOnItsDate(core, release),
    }));
}

function releaseOnItsDate(core: WorldCore, release: PackReleaseRecord): void {
  for (const account of installBase(core.state, release.integrationPackId)) {
    if (account.pending?.releaseId === release.requestId)
      deliver(core, account, release, account.pending.version);
  }
  finishRelease(core, release);
}

function finishRelease(core: WorldCore, release: PackReleaseRecord): void {
  release.status = 'SUCCESS';
  release.releasedAt = core.nowIso();
  const pack = core.state.packs[release.integrationPackId];
  if (pack) releaseComponents(pack, release);
  supersedePackMoves(core, release.integrationPackId, release.requestId);
}

/** The account's every attachment of the pack moves to `version`; pending and the R13 lock clear. */
function deliver(
  core: WorldCore,
  account: PackAccountRecord,
  release: PackReleaseRecord,
  version: number,
): void {
  const previous = account.releasedVersion;
  account.releasedVersion = version;
  delete account.pending;
  delete account.lockedByReleaseId;
  const now = core.nowIso();
  for (const attachment of accountPackAttachments(core.state, account.accountId, account.integrationPackId)) {
    delete attachment.appliedEarlyReleaseId;
    if (attachment.version === version) continue;
    attachment.version = version;
    attachment.lastUpdateDate = now;
  }
  core.audit({
    accountId: account.accountId,
    userId: PLATFORM_USER,
    type: 'as.integrationpack',
    action: 'RELEASE',
    modifier: release.releaseSchedule,
    message:
      `Integration pack "${core.state.packs[account.integrationPackId]?.name ?? account.integrationPackId}" ` +
      `released to this account as version ${version} (release ${release.requestId}).`,
    properties: [{ name: 'VERSION', previousValue: String(previous), value: String(version) }],
  });
}

/**
 * ReleaseIntegrationPack UPDATE (`POST /ReleaseIntegrationPack/{packId}`): modifies the pack's scheduled
 * release — its date, its packaged components, or IMMEDIATELY to release it now. Boomi performs it "only
 * when there is an existing scheduled release request for the integration pack" (409 otherwise).
 */
export function updatePackRelease(
  core: WorldCore,
  ctx: CallContext,
  packId: string,
  body: Record<string, unknown>,
): PackReleaseRecord {
  const pack = requirePublishedPack(core, ctx, packId);
  requireAtomManagement(ctx, `Changing the scheduled release of integration pack "${pack.name}"`);
  const release = scheduledReleaseOf(core, pack.id);
  if (!release) {
    throw new SimError(
      409,
      `Integration pack "${pack.name}" has no scheduled release to modify; create one (ReleaseIntegrationPack CREATE).`,
    );
  }
  const schedule = body['releaseSchedule'] ?? release.releaseSchedule;
  if (!SCHEDULES.includes(schedule as ReleaseSchedule)) {
    throw new SimError(
      400,
      `releaseSchedule must be one of ${SCHEDULES.join(', ')}; got ${JSON.stringify(schedule)}.`,
    );
  }
  if (body['ReleasePackagedComponents'] !== undefined) {
    clearPendingComponents(pack, release);
    release.components = packagedComponents(body['ReleasePackagedComponents']);
    markPendingComponents(pack, release);
  }
  if (schedule === 'RELEASE_ON_SPECIFIED_DATE' && body['releaseOnDate'] !== undefined) {
    release.releaseOnDate = parseReleaseDate(core, body['releaseOnDate']);
  }
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack.release',
    action: 'UPDATE',
    modifier: schedule as string,
    message: `Release ${release.requestId} of "${pack.name}" changed (release on ${release.releaseOnDate ?? 'now'}).`,
  });
  if (schedule === 'IMMEDIATELY') {
    release.releaseSchedule = 'IMMEDIATELY';
    delete release.releaseOnDate;
    for (const account of installBase(core.state, pack.id)) {
      deliver(core, account, release, account.pending?.version ?? account.releasedVersion + 1);
    }
    finishRelease(core, release);
  }
  return release;
}

/** PublisherPackagedComponent.pendingVersion: what the scheduled release carries (added to the pack if new). */
function markPendingComponents(pack: PackRecord, release: PackReleaseRecord): void {
  const components = (pack.packagedComponents ??= []);
  for (const released of release.components) {
    if (released.version === undefined) continue;
    const component = components.find((c) => c.componentId === released.componentId);
    if (component) component.pendingVersion = released.version;
    else components.push({ componentId: released.componentId, pendingVersion: released.version });
  }
}

function clearPendingComponents(pack: PackRecord, release: PackReleaseRecord): void {
  for (const component of pack.packagedComponents ?? []) {
    if (release.components.some((c) => c.componentId === component.componentId))
      delete component.pendingVersion;
  }
}

/** PublisherPackagedComponent.currentVersion: the version the install base now has. */
function releaseComponents(pack: PackRecord, release: PackReleaseRecord): void {
  for (const released of release.components) {
    const component = pack.packagedComponents?.find((c) => c.componentId === released.componentId);
    if (!component || released.version === undefined) continue;
    component.releasedVersion = released.version;
    if (component.pendingVersion === released.version) delete component.pendingVersion;
  }
}
