// The resync tick's shared reads. primeAccounts observes each account once with the scope of all its
// AtomVersions, so the keys' passes plan against that one snapshot (see snapshot-cache.ts): an idle
// resync of N keys in one account costs one observation, not N. resyncOrder plans all keys together
// against those snapshots to queue the ones with changes first, TEST runtimes before PROD ones, as the
// waves of `atomsync apply` would.
import { accountIdFor, plan } from '../domain/plan.js';
import type { AccountSnapshot, DesiredAtomVersion, MaintenanceWindow, Snapshot } from '../domain/types.js';
import { enrichEnvironments } from '../platform/observe.js';
import type { AccountTarget } from '../platform/observe.js';
import { scopesByAccount } from './plan-cycle.js';
import type { RestartGate } from './restart-gate.js';
import { restartsRuntime } from './restart-gate.js';
import type { SnapshotCache } from './snapshot-cache.js';

/** Observes every account that has AtomVersions, in parallel. Platform errors land on the snapshots. */
export async function primeAccounts(
  targets: ReadonlyMap<string, AccountTarget>,
  cache: SnapshotCache,
  docs: readonly DesiredAtomVersion[],
): Promise<AccountSnapshot[]> {
  const list = [...targets.values()];
  const scopes = scopesByAccount(list, docs);
  return Promise.all(
    list.flatMap((target) => {
      const scope = scopes.get(target.accountId);
      return scope ? [cache.refresh(target, scope)] : [];
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
  options: { maxConcurrentRestarts: number; defaultWindows: MaintenanceWindow[] },
): Promise<string[]> {
  const snapshot = cachedSnapshot(targets, cache, now);
  if (Object.keys(snapshot.accounts).length === 0) return [];
  for (const account of Object.values(snapshot.accounts)) gate.notePlatform(account.runtimes, () => true);
  const aliases = new Map<string, string>();
  for (const target of targets.values()) {
    aliases.set(target.accountId, target.accountId);
    if (target.alias) aliases.set(target.alias, target.accountId);
  }
  const observed = docs.filter((doc) => snapshot.accounts[accountIdFor(doc.spec, aliases)] !== undefined);
  const planOptions = { now, ...options };
  let planned = plan(observed, snapshot, planOptions);
  if (planned.changes.length === 0) return [];
  for (const [accountId, account] of Object.entries(snapshot.accounts)) {
    const ids = planned.changes.filter((c) => c.accountId === accountId).map((c) => c.runtimeId);
    const client = targets.get(accountId)?.client;
    if (ids.length === 0 || !client) continue;
    // The busy runtimes ride along in the same reads: the gate needs to know which of them are TEST.
    await enrichEnvironments(client, account, [...ids, ...busyRuntimeIds(account)]);
    gate.notePlatform(account.runtimes, () => true);
  }
  planned = plan(observed, snapshot, planOptions);
  const order: string[] = [];
  for (const change of planned.changes) {
    for (const key of change.keys) {
      if (restartsRuntime(change) && change.classification !== 'PROD') gate.noteTestChange(key);
      if (!order.includes(key)) order.push(key);
    }
  }
  return order;
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

/** Runtimes the platform shows restarting or with a version request in progress. */
function busyRuntimeIds(account: AccountSnapshot): string[] {
  return account.runtimes
    .filter((runtime) => runtime.restarting === true || runtime.outstanding.some(restartsRuntime))
    .map((runtime) => runtime.id);
}
