// Executes one planned request on the platform and follows it to the end. `apply` (CLI) and the
// controller both come through here. A create is never sent twice: when an attempt may have reached the
// platform, the client asks `findExisting` first — for requests, the one still outstanding on the runtime
// or one this principal made since the first attempt (it may have finished meanwhile); for attachments,
// the attachment itself.
import { sameSchedule } from '../domain/plan-settings.js';
import type { PlannedRequest, ScheduleSetting } from '../domain/types.js';
import type { AtomSphereClient } from './client.js';
import { NotFoundError } from './errors.js';
import { ATOM, PACK_ATTACHMENT, PACK_REQUEST, RELEASE_SCHEDULE, VERSION_REQUEST } from './answer-shapes.js';
import { and, equals } from './query-expression.js';
import { TERMINAL_REQUEST_STATUSES } from './wire.js';
import type {
  Atom,
  AtomVersionUpdateRequest,
  RuntimeReleaseSchedule,
  IntegrationPackEnvironmentAttachment,
  IntegrationPackPendingUpdateRequest,
  UpdateRequestStatus,
} from './wire.js';

export interface SentRequest {
  kind: PlannedRequest['kind'];
  /** Platform request id; for ReattachPack, the new attachment id. */
  id: string;
  status: UpdateRequestStatus;
}

/** Sends the request. ReattachPack completes here (detach + attach); the others are followed by `follow`. */
export async function sendPlannedRequest(
  client: AtomSphereClient,
  request: PlannedRequest,
): Promise<SentRequest> {
  switch (request.kind) {
    case 'AtomVersionUpdateRequest':
      return sendVersionRequest(client, request);
    case 'IntegrationPackPendingUpdateRequest':
      return sendPackRequest(client, request);
    case 'ReattachPack':
      return reattachPacks(client, request);
    case 'RuntimeReleaseSchedule':
      return writeReleaseSchedule(client, request);
    case 'AtomForceRestartTime':
      return writeForceRestartTime(client, request);
  }
}

/** Reads the request's current status once. */
export async function readRequestStatus(
  client: AtomSphereClient,
  sent: SentRequest,
): Promise<UpdateRequestStatus> {
  if (sent.kind !== 'AtomVersionUpdateRequest' && sent.kind !== 'IntegrationPackPendingUpdateRequest')
    return sent.status;
  const object = sent.kind;
  const current = await client.get<{ status?: UpdateRequestStatus }>(object, sent.id, {
    status: { optional: 'string' },
  });
  return current.status ?? 'ACCEPTED';
}

export function isTerminal(status: UpdateRequestStatus): boolean {
  return TERMINAL_REQUEST_STATUSES.includes(status);
}

export interface FollowOptions {
  pollMs: number;
  deadline: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onStatus?: (status: UpdateRequestStatus) => void;
}

/** Polls until the request ends or the deadline passes; returns the last status seen. */
export async function follow(
  client: AtomSphereClient,
  sent: SentRequest,
  options: FollowOptions,
): Promise<UpdateRequestStatus> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let status = sent.status;
  let last: UpdateRequestStatus | undefined;
  while (!isTerminal(status) && now() < options.deadline) {
    await sleep(options.pollMs);
    status = await readRequestStatus(client, sent);
    if (status !== last) options.onStatus?.(status);
    last = status;
  }
  return status;
}

/**
 * Who sent a create, and since when: a request of theirs made since then may be the one whose answer was
 * lost, even when it has already finished (a finished request no longer shows as outstanding).
 */
export interface Sender {
  userId: string;
  sinceMs: number;
}

/** The Date header has second resolution: look a little before the first attempt. */
const CLOCK_SLACK_MS = 2_000;

function senderOf(client: AtomSphereClient): Sender {
  return { userId: client.userId, sinceMs: client.platformNow().getTime() - CLOCK_SLACK_MS };
}

function isMadeBy(candidate: { createdBy?: string; createdDate?: string }, sender?: Sender): boolean {
  return (
    sender !== undefined &&
    candidate.createdBy === sender.userId &&
    Date.parse(candidate.createdDate ?? '') >= sender.sinceMs
  );
}

/** Newest first, so the latest of several matching requests is the one a lost answer hid. */
function newestFirst<T extends { createdDate?: string }>(requests: T[]): T[] {
  const time = (request: T) => Date.parse(request.createdDate ?? '') || 0;
  return [...requests].sort((a, b) => time(b) - time(a));
}

async function sendVersionRequest(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
  const body = { atomId: request.runtimeId, action: request.action, components: request.components };
  const sender = senderOf(client);
  const created = await client.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', body, {
    findExisting: () => findOutstandingVersionRequest(client, request, sender),
    shape: VERSION_REQUEST,
  });
  return { kind: request.kind, id: created.id ?? '', status: created.status ?? 'ACCEPTED' };
}

/**
 * The request for the same runtime, action and components that a lost answer hid: one still outstanding,
 * or — when `madeBy` is given — one this user made since then, which may already have finished.
 */
export async function findOutstandingVersionRequest(
  client: AtomSphereClient,
  request: Pick<PlannedRequest, 'runtimeId' | 'action' | 'components'>,
  madeBy?: Sender,
): Promise<AtomVersionUpdateRequest | undefined> {
  const existing = await client.queryAll<AtomVersionUpdateRequest>(
    'AtomVersionUpdateRequest',
    equals('atomId', request.runtimeId),
    VERSION_REQUEST,
  );
  const wanted = [...request.components].sort().join('\n');
  return newestFirst(existing).find(
    (candidate) =>
      (!isTerminal(candidate.status ?? 'ACCEPTED') || isMadeBy(candidate, madeBy)) &&
      candidate.action === request.action &&
      [...(candidate.components ?? [])].sort().join('\n') === wanted,
  );
}

async function sendPackRequest(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
  const sender = senderOf(client);
  const created = await client.create<IntegrationPackPendingUpdateRequest>(
    'IntegrationPackPendingUpdateRequest',
    { atomId: request.runtimeId },
    {
      findExisting: () => findOutstandingPackRequest(client, request.runtimeId, sender),
      shape: PACK_REQUEST,
    },
  );
  return { kind: request.kind, id: created.id ?? '', status: created.status ?? 'ACCEPTED' };
}

/**
 * The Apply Pending Updates request on the runtime that a lost answer hid: one still in flight, or — when
 * `madeBy` is given — one this user made since then, which may already have finished. (Only one can be in
 * flight per runtime, and it takes every pending update, so any of ours since the first attempt is it.)
 */
export async function findOutstandingPackRequest(
  client: AtomSphereClient,
  runtimeId: string,
  madeBy?: Sender,
): Promise<IntegrationPackPendingUpdateRequest | undefined> {
  const existing = await client.queryAll<IntegrationPackPendingUpdateRequest>(
    'IntegrationPackPendingUpdateRequest',
    equals('atomId', runtimeId),
    PACK_REQUEST,
  );
  return newestFirst(existing).find(
    (candidate) => !isTerminal(candidate.status ?? 'ACCEPTED') || isMadeBy(candidate, madeBy),
  );
}

/**
 * R14: detach and reattach each pack instance to the environment. Not atomic on the platform: if the
 * attach fails after the detach, the error says so and the next plan shows the pack as not attached.
 */
async function reattachPacks(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
  const environmentId = request.environmentId;
  if (!environmentId) throw new Error(`ReattachPack for ${request.runtimeName} has no environment`);
  let lastId = '';
  for (const pack of request.packs ?? []) {
    const filter = and(
      equals('environmentId', environmentId),
      equals('integrationPackInstanceId', pack.integrationPackInstanceId),
    );
    const find = async () =>
      (
        await client.queryAll<IntegrationPackEnvironmentAttachment>(
          'IntegrationPackEnvironmentAttachment',
          filter,
          PACK_ATTACHMENT,
        )
      )[0];
    const attachment = await find();
    if (attachment?.id) await client.delete('IntegrationPackEnvironmentAttachment', attachment.id);
    const created = await client.create<IntegrationPackEnvironmentAttachment>(
      'IntegrationPackEnvironmentAttachment',
      { environmentId, integrationPackInstanceId: pack.integrationPackInstanceId },
      { findExisting: find, shape: PACK_ATTACHMENT },
    );
    lastId = created.id ?? lastId;
  }
  return { kind: request.kind, id: lastId, status: 'COMPLETE' };
}

/**
 * RuntimeReleaseSchedule UPDATE (CREATE when the runtime had none). After an attempt whose answer was lost,
 * the schedule is read first: when it already is the one asked for, nothing is sent again.
 */
async function writeReleaseSchedule(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
  const schedule = request.releaseSchedule;
  if (!schedule) throw new Error(`RuntimeReleaseSchedule for ${request.runtimeName} has no schedule`);
  const body = scheduleBody(request.runtimeId, schedule);
  const findExisting = () => findSchedule(client, request.runtimeId, schedule);
  if (request.create) {
    await client.create('RuntimeReleaseSchedule', body, { findExisting, shape: RELEASE_SCHEDULE });
  } else {
    await client.update('RuntimeReleaseSchedule', request.runtimeId, body, { findExisting });
  }
  return { kind: request.kind, id: request.runtimeId, status: 'COMPLETE' };
}

/** Boomi's schema requires dayOfWeek and timeZone even for NEVER. */
function scheduleBody(atomId: string, schedule: ScheduleSetting): RuntimeReleaseSchedule {
  if (schedule.scheduleType === 'NEVER') {
    return { atomId, scheduleType: 'NEVER', dayOfWeek: 'SUNDAY', timeZone: 'Etc/UTC' };
  }
  const body: RuntimeReleaseSchedule = {
    atomId,
    scheduleType: schedule.scheduleType,
    dayOfWeek: schedule.dayOfWeek ?? 'SUNDAY',
    timeZone: schedule.timeZone ?? 'Etc/UTC',
  };
  if (schedule.hourOfDay !== undefined) body.hourOfDay = schedule.hourOfDay;
  return body;
}

/** The runtime's schedule when it already is `wanted` (a lost answer's write arrived), else undefined. */
async function findSchedule(
  client: AtomSphereClient,
  atomId: string,
  wanted: ScheduleSetting,
): Promise<RuntimeReleaseSchedule | undefined> {
  try {
    const current = await client.get<RuntimeReleaseSchedule>(
      'RuntimeReleaseSchedule',
      atomId,
      RELEASE_SCHEDULE,
    );
    return sameSchedule(current, wanted) ? current : undefined;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Atom UPDATE with forceRestartTime; after a lost answer the Atom is read first and not written twice. */
async function writeForceRestartTime(
  client: AtomSphereClient,
  request: PlannedRequest,
): Promise<SentRequest> {
  const forceRestartTime = request.forceRestartTime;
  if (forceRestartTime === undefined)
    throw new Error(`AtomForceRestartTime for ${request.runtimeName} has no forceRestartTime`);
  const findExisting = async () => {
    const atom = await client.get<Atom>('Atom', request.runtimeId, ATOM);
    return atom.forceRestartTime === forceRestartTime ? atom : undefined;
  };
  await client.update(
    'Atom',
    request.runtimeId,
    { id: request.runtimeId, forceRestartTime },
    { findExisting },
  );
  return { kind: request.kind, id: request.runtimeId, status: 'COMPLETE' };
}
