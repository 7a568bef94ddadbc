// Reads the AuditLog for "who changed it" (domain/attribution.ts): one query per account per plan, for
// the entries of the last LOOKBACK_DAYS (filtered by date on the platform), only for accounts whose version
// pins run a known version. An AuditLog that cannot be read (privileges, an old platform) leaves the plan
// without attribution; it never fails the plan.
import { attributeChanges, type AuditFact } from '../domain/attribution.js';
import type { Plan } from '../domain/types.js';
import { readAuditLog } from '../platform/audit-log.js';
import type { AccountTarget } from '../platform/observe.js';

const LOOKBACK_DAYS = 7;
const DAY_MS = 86_400_000;
/** How far back attribution looks for the entry behind a version (also `run`'s first read). */
export const ATTRIBUTION_LOOKBACK_MS = LOOKBACK_DAYS * DAY_MS;

export async function withAttribution(
  targets: readonly AccountTarget[],
  plan: Plan,
  now: Date,
): Promise<Plan> {
  const accounts = new Set(
    plan.pins
      .filter((pin) => (pin.kind === 'runtime' || pin.kind === 'connector') && pin.current !== undefined)
      .map((pin) => pin.accountId),
  );
  const since = new Date(now.getTime() - ATTRIBUTION_LOOKBACK_MS).toISOString();
  const read = await Promise.all(
    targets
      .filter((target) => accounts.has(target.accountId))
      .map(async (target) => {
        const entries: AuditFact[] = await readAuditLog(target.client, since).catch(() => []);
        return [target.accountId, entries] as const;
      }),
  );
  return read.length === 0 ? plan : attributeChanges(plan, new Map(read));
}
