// Reading an account of a release's install base (docs/publisher.md, "The install base"), in bulk: one
// IntegrationPackInstance query (per 100 instances) says which of the packs are installed; only where one
// is, one Atom query (per 100 runtimes) and one IntegrationPackVersions bulk (per 100 runtimes) give the
// pack version each environment runs and the pending one. Never one GET per runtime.
import type { InstalledPackEntry, SubscriberObservation } from '../domain/pack-install-base.js';
import type { AtomSphereClient } from './client.js';
import { INTEGRATION_PACK_VERSIONS } from './answer-shapes.js';
import { NotFoundError, PlatformError } from './errors.js';
import type { AccountTarget } from './observe.js';
import { equalsAny, MATCH_ALL } from './query-expression.js';
import type { IntegrationPackVersionEntry, IntegrationPackVersions } from './wire.js';

const PACK_INSTANCE = { id: 'string', integrationPackId: 'string' } as const;
const ATOM_ID = { id: 'string' } as const;

/** What the account shows of these packs; a platform error makes it unreadable, with the reason. */
export async function observeSubscriber(
  target: AccountTarget,
  packIds: readonly string[],
): Promise<SubscriberObservation> {
  try {
    const instances = await target.client.queryAll<{ integrationPackId: string }>(
      'IntegrationPackInstance',
      equalsAny('integrationPackId', packIds),
      PACK_INSTANCE,
    );
    const installedPackIds = [...new Set(instances.map((i) => i.integrationPackId))];
    if (installedPackIds.length === 0)
      return { accountId: target.accountId, readable: true, installedPackIds };
    const packVersions = await readPackVersions(target.client, installedPackIds);
    return {
      accountId: target.accountId,
      readable: true,
      installedPackIds,
      ...(packVersions !== undefined && { packVersions }),
    };
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    return { accountId: target.accountId, readable: false, reason: unreadableReason(err) };
  }
}

/** Entries by pack id from every runtime of the account; undefined without IntegrationPackVersions. */
async function readPackVersions(
  client: AtomSphereClient,
  packIds: readonly string[],
): Promise<Record<string, InstalledPackEntry[]> | undefined> {
  const atoms = await client.queryAll<{ id: string }>('Atom', MATCH_ALL, ATOM_ID);
  const byPack: Record<string, InstalledPackEntry[]> = Object.fromEntries(packIds.map((id) => [id, []]));
  if (atoms.length === 0) return byPack;
  let answers: Map<string, IntegrationPackVersions>;
  try {
    answers = (
      await client.bulkGet<IntegrationPackVersions>(
        'IntegrationPackVersions',
        atoms.map((a) => a.id),
        INTEGRATION_PACK_VERSIONS,
      )
    ).items;
  } catch (err) {
    if (err instanceof NotFoundError || (err instanceof PlatformError && err.status === 410))
      return undefined;
    throw err;
  }
  for (const answer of answers.values()) {
    for (const entry of answer.IntegrationPackVersion ?? [])
      byPack[entry.integrationPackId]?.push(toEntry(entry));
  }
  return byPack;
}

function toEntry(entry: IntegrationPackVersionEntry): InstalledPackEntry {
  return {
    integrationPackInstanceId: entry.integrationPackInstanceId,
    version: entry.version,
    ...(entry.pendingVersion !== undefined && { pendingVersion: entry.pendingVersion }),
    ...(entry.releaseOnDate !== undefined && { releaseOnDate: entry.releaseOnDate.slice(0, 10) }),
    attached: entry.applyBlockedReason !== 'NOT_ATTACHED',
  };
}

/** "HTTP 401 Unauthorized: …" — the status first, so a reader sees at once why. */
function unreadableReason(err: PlatformError): string {
  const status = err.status === undefined ? err.code : `HTTP ${err.status} ${err.code}`;
  return `${status} (${err.message})`;
}
