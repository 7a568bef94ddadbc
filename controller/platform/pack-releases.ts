// The publisher's calls (docs/publisher.md): what a publisher account shows of its packs
// (PublisherIntegrationPack QUERY, one call per 100 packs), the releases atomsync follows
// (ReleaseIntegrationPackStatus bulk, one call per 100), sending a release (ReleaseIntegrationPack CREATE,
// or UPDATE of the scheduled one) and following it while the platform answers 202 (INPROGRESS).
import type {
  ObservedPublisherPack,
  ObservedReleaseStatus,
  PackReleaseChange,
  PublisherObservation,
} from '../domain/plan-pack-releases.js';
import { canManageAtoms } from '../domain/privileges.js';
import type { AtomSphereClient } from './client.js';
import { PlatformError } from './errors.js';
import type { AccountTarget } from './observe.js';
import { readPrincipal } from './principal.js';

interface PublisherPackWire {
  id: string;
  name: string;
  PublisherPackagedComponents?: {
    PublisherPackagedComponent?: { componentId: string; currentVersion?: string; pendingVersion?: string }[];
  };
}

interface ReleaseStatusWire {
  requestId: string;
  integrationPackId: string;
  releaseStatus: string;
  releaseOnDate?: string;
  responseStatusCode?: number;
}

const PUBLISHER_PACK = { id: 'string', name: 'string' } as const;
const RELEASE_STATUS = { requestId: 'string', integrationPackId: 'string', releaseStatus: 'string' } as const;

/** Principal (2 calls), the account's published packs, and the followed releases' statuses. */
export async function observePublisher(
  target: AccountTarget,
  followedRequestIds: readonly string[],
): Promise<PublisherObservation> {
  try {
    const principal = await readPrincipal(target.client);
    const packs = await target.client.queryAll<PublisherPackWire>(
      'PublisherIntegrationPack',
      undefined,
      PUBLISHER_PACK,
    );
    const releases = await releaseStatuses(target.client, followedRequestIds);
    return {
      accountId: target.accountId,
      readable: true,
      canRelease: canManageAtoms(principal),
      packs: packs.map(toObservedPack),
      releases,
    };
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    return { accountId: target.accountId, readable: false, reason: err.message };
  }
}

/** ReleaseIntegrationPackStatus of the given requests (one bulk call per 100; unknown ids are left out). */
async function releaseStatuses(
  client: AtomSphereClient,
  requestIds: readonly string[],
): Promise<ObservedReleaseStatus[]> {
  if (requestIds.length === 0) return [];
  const { items } = await client.bulkGet<ReleaseStatusWire>(
    'ReleaseIntegrationPackStatus',
    requestIds,
    RELEASE_STATUS,
  );
  return [...items.values()].map((status) => ({
    requestId: status.requestId,
    integrationPackId: status.integrationPackId,
    releaseStatus: status.releaseStatus,
    ...(status.releaseOnDate !== undefined && { releaseOnDate: status.releaseOnDate.slice(0, 10) }),
  }));
}

function toObservedPack(pack: PublisherPackWire): ObservedPublisherPack {
  return {
    id: pack.id,
    name: pack.name,
    components: (pack.PublisherPackagedComponents?.PublisherPackagedComponent ?? []).map((c) => ({
      componentId: c.componentId,
      ...(c.currentVersion !== undefined && { currentVersion: c.currentVersion }),
      ...(c.pendingVersion !== undefined && { pendingVersion: c.pendingVersion }),
    })),
  };
}

export interface SentRelease {
  requestId: string;
  /** SCHEDULED (a date release waits for its date), SUCCESS, ERROR; INPROGRESS when the deadline came first. */
  releaseStatus: string;
}

export interface FollowOptions {
  pollMs: number;
  /** Epoch ms: stop following (the release keeps going on the platform). */
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Sends the release, then follows ReleaseIntegrationPackStatus while it is INPROGRESS (HTTP 202). */
export async function sendPackRelease(
  client: AtomSphereClient,
  change: PackReleaseChange,
  options: FollowOptions,
): Promise<SentRelease> {
  const body = {
    id: change.integrationPackId,
    releaseSchedule: change.releaseSchedule,
    ...(change.releaseOnDate !== undefined && { releaseOnDate: change.releaseOnDate }),
    ReleasePackagedComponents: {
      ReleasePackagedComponent: change.components.map((c) => ({
        componentId: c.componentId,
        version: c.version,
      })),
    },
  };
  const answer =
    change.operation === 'UPDATE'
      ? await client.update<{ requestId: string }>('ReleaseIntegrationPack', change.integrationPackId, body)
      : await client.create<{ requestId: string }>('ReleaseIntegrationPack', body);
  return followRelease(client, answer.requestId, options);
}

async function followRelease(
  client: AtomSphereClient,
  requestId: string,
  { pollMs, deadline, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) }: FollowOptions,
): Promise<SentRelease> {
  for (;;) {
    const status = await client.get<ReleaseStatusWire>(
      'ReleaseIntegrationPackStatus',
      requestId,
      RELEASE_STATUS,
    );
    if (status.releaseStatus !== 'INPROGRESS' || Date.now() + pollMs > deadline) {
      return { requestId, releaseStatus: status.releaseStatus };
    }
    await sleep(pollMs);
  }
}
