// Executes one planned request on the platform and follows it to the end. `apply` (CLI) and the
// controller both come through here. A create is never sent twice: when an attempt may have reached the
// platform, the client asks `findExisting` first — for requests, the one still outstanding on the runtime
// or one this principal made since the first attempt (it may have finished meanwhile); for attachments,
// the attachment itself.
import { sameSchedule } from '../domain/plan-settings.js';
import type { ExpectedVersion, PlannedRequest, ScheduleSetting } from '../domain/types.js';
import type { AtomSphereClient } from './client.js';
import { ConflictError, NotFoundError } from './errors.js';
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

/**
 * The platform refused a request because the versions it was planned on no longer hold (409 on a request
 * that carried `expected`): the runtime moved since the plan. Names the runtime, what was expected and the
 * platform's account of what is there now.
 */
export class ExpectationFailedError extends Error {
  constructor(
    readonly request: PlannedRequest,
    readonly platformMessage: string,
  ) {
    super(
      `${request.runtimeName} (${request.accountId}): ${describeRequest(request)} was refused because the ` +
        `runtime no longer shows the planned versions (${describeExpected(request.expected ?? [])}); ` +
        `the platform says: ${platformMessage} Nothing more is sent to this runtime; run plan again.`,
    );
    this.name = 'ExpectationFailedError';
  }
}

export function describeRequest(request: PlannedRequest): string {
  if (request.kind === 'AtomVersionUpdateRequest')
    return `${request.action ?? 'APPLY_PENDING'} ${request.components.join(', ')}`;
  if (request.kind === 'IntegrationPackPendingUpdateRequest') return 'Apply Pending Updates';
  if (request.kind === 'ReattachPack') return `reattach of ${request.components.join(', ')}`;
  return request.kind;
}

export function describeExpected(expected: readonly ExpectedVersion[]): string {
  return expected.map((e) => `${e.name} ${e.current} → ${e.target}`).join(', ');
}

/** Sends the request. ReattachPack completes here (detach + attach); the others are followed by `follow`. */
export async function sendPlannedRequest(
  client: AtomSphereClient,
  request: PlannedRequest,
): Promise<SentRequest> {
  try {
    return await sendByKind(client, request);
  } catch (err) {
    if (err instanceof ConflictError && request.expected !== undefined && request.kind !== 'ReattachPack')
      throw new ExpectationFailedError(request, err.platformMessage);
    throw err;
  }
}

async function sendByKind(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
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

/**
 * The statuses of many requests of one kind in bulk (one call per 100 ids): by id, and the ids the
 * platform does not know (404). Ids it answered with another error are in neither.
 */
export async function readRequestStatuses(
  client: AtomSphereClient,
  kind: 'AtomVersionUpdateRequest' | 'IntegrationPackPendingUpdateRequest',
  ids: readonly string[],
): Promise<{ statuses: Map<string, UpdateRequestStatus>; notFound: Set<string> }> {
  const shape = kind === 'AtomVersionUpdateRequest' ? VERSION_REQUEST : PACK_REQUEST;
  const { items, errors } = await client.bulkGet<{ status?: UpdateRequestStatus }>(kind, ids, shape);
  const statuses = new Map<string, UpdateRequestStatus>();
  for (const [id, item] of items) statuses.set(id, item.status ?? 'ACCEPTED');
  const notFound = new Set(errors.filter((error) => error.statusCode === 404).map((error) => error.id));
  return { statuses, notFound };
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
  const body = {
    atomId: request.runtimeId,
    action: request.action,
    components: request.components,
    ...(request.expected && { expected: request.expected.map(componentExpectation) }),
  };
  const sender = senderOf(client);
  const created = await client.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', body, {
    findExisting: () => findOutstandingVersionRequest(client, request, sender),
    shape: VERSION_REQUEST,
  });
  return { kind: request.kind, id: created.id ?? '', status: created.status ?? 'ACCEPTED' };
}

/** The wire form of an expectation (docs/platform-api.md, "Expected versions"). */
function componentExpectation(expected: ExpectedVersion): Record<string, string> {
  return { name: expected.name, currentVersion: expected.current, targetVersion: expected.target };
}

function packExpectation(expected: ExpectedVersion): Record<string, string | number> {
  return {
    integrationPackInstanceId: expected.integrationPackInstanceId ?? '',
    currentVersion: Number(expected.current),
    targetVersion: Number(expected.target),
  };
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
    {
      atomId: request.runtimeId,
      ...(request.expected && { expected: request.expected.map(packExpectation) }),
    },
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
