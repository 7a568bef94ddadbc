// Executes one planned request on the platform and follows it to the end. `apply` (CLI) and the
// controller both come through here. A create is never sent twice: when an attempt may have reached the
// platform, the client asks `findExisting` (the outstanding request for the same runtime) first.
import type { PlannedRequest } from '../domain/types.js';
import type { AtomSphereClient } from './client.js';
import { and, equals } from './query-expression.js';
import { TERMINAL_REQUEST_STATUSES } from './wire.js';
import type {
  AtomVersionUpdateRequest,
  IntegrationPackEnvironmentAttachment,
  IntegrationPackPendingUpdateRequest,
  IntegrationPackVersions,
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
  }
}

/** Reads the request's current status once. */
export async function readRequestStatus(
  client: AtomSphereClient,
  sent: SentRequest,
): Promise<UpdateRequestStatus> {
  if (sent.kind === 'ReattachPack') return sent.status;
  const object = sent.kind;
  const current = await client.get<{ status?: UpdateRequestStatus }>(object, sent.id);
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

async function sendVersionRequest(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
  const body = { atomId: request.runtimeId, action: request.action, components: request.components };
  // The Date header has second resolution: look a little before the first attempt.
  const sentSince = client.platformNow().getTime() - 2_000;
  const created = await client.create<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', body, {
    findExisting: () =>
      findOutstandingVersionRequest(client, request, { userId: client.userId, sinceMs: sentSince }),
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
  madeBy?: { userId: string; sinceMs: number },
): Promise<AtomVersionUpdateRequest | undefined> {
  const existing = await client.queryAll<AtomVersionUpdateRequest>(
    'AtomVersionUpdateRequest',
    equals('atomId', request.runtimeId),
  );
  const wanted = [...request.components].sort().join('\n');
  const isOurs = (candidate: AtomVersionUpdateRequest): boolean =>
    madeBy !== undefined &&
    candidate.createdBy === madeBy.userId &&
    Date.parse(candidate.createdDate ?? '') >= madeBy.sinceMs;
  return existing.find(
    (candidate) =>
      (!isTerminal(candidate.status ?? 'ACCEPTED') || isOurs(candidate)) &&
      candidate.action === request.action &&
      [...candidate.components].sort().join('\n') === wanted,
  );
}

async function sendPackRequest(client: AtomSphereClient, request: PlannedRequest): Promise<SentRequest> {
  const created = await client.create<IntegrationPackPendingUpdateRequest>(
    'IntegrationPackPendingUpdateRequest',
    { atomId: request.runtimeId },
    { findExisting: () => findOutstandingPackRequest(client, request.runtimeId) },
  );
  return { kind: request.kind, id: created.id ?? '', status: created.status ?? 'ACCEPTED' };
}

/** A pack request in flight shows as outstandingRequestId on the runtime's pack versions. */
export async function findOutstandingPackRequest(
  client: AtomSphereClient,
  runtimeId: string,
): Promise<IntegrationPackPendingUpdateRequest | undefined> {
  const versions = await client.get<IntegrationPackVersions>('IntegrationPackVersions', runtimeId);
  const id = versions.IntegrationPackVersion.find(
    (entry) => entry.outstandingRequestId,
  )?.outstandingRequestId;
  if (!id) return undefined;
  return client.get<IntegrationPackPendingUpdateRequest>('IntegrationPackPendingUpdateRequest', id);
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
        )
      )[0];
    const attachment = await find();
    if (attachment?.id) await client.delete('IntegrationPackEnvironmentAttachment', attachment.id);
    const created = await client.create<IntegrationPackEnvironmentAttachment>(
      'IntegrationPackEnvironmentAttachment',
      { environmentId, integrationPackInstanceId: pack.integrationPackInstanceId },
      { findExisting: find },
    );
    lastId = created.id ?? lastId;
  }
  return { kind: request.kind, id: lastId, status: 'COMPLETE' };
}
