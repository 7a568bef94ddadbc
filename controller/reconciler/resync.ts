// The resync tick's shared reads. primeAccounts observes each account once with the scope of all its
// AtomVersions, so the keys' passes plan against that one snapshot (see snapshot-cache.ts): an idle
// resync of N keys in one account costs one observation, not N. resyncOrder plans all keys together
// against those snapshots to queue the ones with changes first, TEST runtimes before PROD ones, as the
// waves of `atomsync apply` would.
import type { AccountBook } from '../domain/accounts.js';
import type { Tenancy } from '../domain/tenancy.js';
import type { AccountSnapshot, DesiredAtomVersion, MaintenanceWindow, Snapshot } from '../domain/types.js';
import type { AccountTarget } from '../platform/observe.js';
import { planWithEnvironments, scopesByAccount } from '../pipeline/observe-and-plan.js';
import type { RestartGate } from './restart-gate.js';
import { restartsRuntime } from './restart-gate.js';
import type { SnapshotCache } from './snapshot-cache.js';

export interface ResyncScope {
  accounts: AccountBook;
  tenancy?: Tenancy;
}

/**
 * Observes every account that has AtomVersions tenancy allows, in parallel. Platform errors land on the
 * snapshots.
 */
export async function primeAccounts(
  targets: ReadonlyMap<string, AccountTarget>,
  cache: SnapshotCache,
  docs: readonly DesiredAtomVersion[],
  scope: ResyncScope,
): Promise<AccountSnapshot[]> {
  const list = [...targets.values()];
  const scopes = scopesByAccount(scope.accounts, docs, scope.tenancy);
  return Promise.all(
    list.flatMap((target) => {
      const scope = scopes.get(target.accountId);
      // A resync reads the credential's privileges afresh: a revoked one shows at the latest here.
      return scope ? [cache.refresh(target, scope, { reusePrincipal: false })] : [];
    }),
  );
}

/** Keys with changes to send, in wave order (TEST first); their TEST keys are noted in the gate. */
export async function resyncOrder(
  targets: ReadonlyMap<string, AccountTarget>,
  cache: SnapshotCache,
  docs: readonly DesiredAtomVersion[],
  gate: RestartGate,
  now: Date,
  options: ResyncScope & { maxConcurrentRestarts: number; defaultWindows: MaintenanceWindow[] },
): Promise<string[]> {
  const snapshot = cachedSnapshot(targets, cache, now);
  if (Object.keys(snapshot.accounts).length === 0) return [];
  const observed = docs.filter(
    (doc) => snapshot.accounts[options.accounts.idOf(doc.spec.account)] !== undefined,
  );
  for (const account of Object.values(snapshot.accounts)) gate.notePlatform(account.runtimes, () => true);
  const planned = await planWithEnvironments([...targets.values()], observed, snapshot, { now, ...options });
  // Environments read for the plan include the busy runtimes': the gate now knows which are TEST.
  for (const account of Object.values(snapshot.accounts)) gate.notePlatform(account.runtimes, () => true);
  const order = new Set<string>();
  for (const change of planned.changes) {
    for (const key of change.keys) {
      if (restartsRuntime(change) && change.classification !== 'PROD') gate.noteTestChange(key);
      order.add(key);
    }
  }
  return [...order];
}

function cachedSnapshot(
  targets: ReadonlyMap<string, AccountTarget>,
  cache: SnapshotCache,
  now: Date,
): Snapshot {
  const accounts: Snapshot['accounts'] = {};
  for (const accountId of targets.keys()) {
    const account = cache.fresh(accountId);
    if (account && !account.error) accounts[accountId] = account;
  }
  return { takenAt: now.toISOString(), accounts };
}
