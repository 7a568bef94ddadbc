// The ReleaseIntegrationPack request ids atomsync sent, kept in the config's stateDir
// (`pack-releases.json`), so the next plan reads their ReleaseIntegrationPackStatus back: Boomi's API has
// no way to list a pack's scheduled release, only to read one by its request id (docs/publisher.md).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FollowedReleases } from '../pipeline/pack-releases.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const FILE = 'pack-releases.json';
/** Per account, the latest request ids (older ones are superseded or done). */
const KEEP_PER_ACCOUNT = 100;

export async function readFollowedReleases(stateDir: string): Promise<FollowedReleases> {
  try {
    const parsed = JSON.parse(await readFile(join(stateDir, FILE), 'utf8')) as unknown;
    return isLedger(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

export async function recordReleases(
  stateDir: string,
  sent: readonly { accountId: string; requestId: string }[],
): Promise<void> {
  if (sent.length === 0) return;
  const ledger: Record<string, string[]> = Object.fromEntries(
    Object.entries(await readFollowedReleases(stateDir)).map(([account, ids]) => [account, [...ids]]),
  );
  for (const { accountId, requestId } of sent) {
    const ids = (ledger[accountId] ??= []);
    if (!ids.includes(requestId)) ids.push(requestId);
    ledger[accountId] = ids.slice(-KEEP_PER_ACCOUNT);
  }
  await writeFileAtomic(join(stateDir, FILE), `${JSON.stringify(ledger, null, 2)}\n`);
}

function isLedger(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'))
  );
}
