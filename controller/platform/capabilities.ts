// Does this platform have atomsync's extension objects (docs/platform-api.md,
// "Extension objects")? Boomi's public API does not: there,
// applying pending versions and rolling back are UI actions and atomsync plans them as manual steps.
import type { Capabilities } from '../domain/types.js';
import type { AtomSphereClient } from './client.js';
import { ForbiddenError, NotFoundError, PlatformError } from './errors.js';
import { equals } from './query-expression.js';

/** The id probed when the caller knows no runtime: it need not exist. */
export const PROBE_ATOM_ID = 'atomsync-capability-probe';

const cache = new WeakMap<AtomSphereClient, Promise<Capabilities>>();

/**
 * Probes once per client (the answer is cached; a failed probe is not):
 * - versionActions: `POST AtomVersionUpdateRequest/query` filtered by atomId;
 * - packActions: `POST IntegrationPackVersions/bulk` with one atom id.
 *
 * A 404 can mean "no such object type" or "no such id". Both probes are chosen so that an unknown id does
 * not produce a 404 at the top level: a query that matches nothing answers 200 with no results, and bulk
 * answers 200 with a per-item 404. So a top-level 404 (or a 410, Boomi's "endpoint is invalid") means the
 * object is absent — unless the platform's message names the id we sent, which means the platform looked
 * the id up and therefore knows the object. A 400 or 403 also shows that the platform knows the object.
 * A 404 that names the account (no such account) and anything else (401, unreachable…) is thrown.
 */
export function probeCapabilities(client: AtomSphereClient, anyAtomId?: string): Promise<Capabilities> {
  let probe = cache.get(client);
  if (probe === undefined) {
    probe = detect(client, anyAtomId ?? PROBE_ATOM_ID);
    cache.set(client, probe);
    probe.catch(() => cache.delete(client));
  }
  return probe;
}

async function detect(client: AtomSphereClient, atomId: string): Promise<Capabilities> {
  const [versionActions, packActions] = await Promise.all([
    objectExists(client, atomId, async () => {
      for await (const _request of client.query('AtomVersionUpdateRequest', equals('atomId', atomId))) break;
    }),
    objectExists(client, atomId, () => client.bulkGet('IntegrationPackVersions', [atomId])),
  ]);
  return { versionActions, packActions };
}

async function objectExists(
  client: AtomSphereClient,
  idSent: string,
  probe: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    if (error instanceof NotFoundError && error.platformMessage.includes(client.accountId)) throw error;
    if (error instanceof NotFoundError) return error.platformMessage.includes(idSent);
    if (error instanceof ForbiddenError) return true;
    if (error instanceof PlatformError && error.code === 'BadRequest') return true;
    if (error instanceof PlatformError && error.code === 'Gone') return false;
    throw error;
  }
}
