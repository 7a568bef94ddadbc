// One observe → plan pass over every configured account: shared by `atomsync plan`, `apply`, the
// controller and the PR report. Reads only what the pins need (see controller/platform/observe.ts).
import { accountIdFor, plan } from '../domain/plan.js';
import type { DesiredAtomVersion, MaintenanceWindow, Plan, RuntimeRef, Snapshot } from '../domain/types.js';
import { enrichEnvironments, observeAccount } from '../platform/observe.js';
import type { AccountTarget, ObserveScope } from '../platform/observe.js';

export interface PlanCycleOptions {
  /** Default: the platform's clock (Date header of its latest answer), else wall time. */
  now?: Date;
  maxConcurrentRestarts: number;
  defaultWindows: MaintenanceWindow[];
}

export interface PlanCycleResult {
  snapshot: Snapshot;
  plan: Plan;
}

export async function planCycle(
  targets: readonly AccountTarget[],
  desired: readonly DesiredAtomVersion[],
  options: PlanCycleOptions,
): Promise<PlanCycleResult> {
  const scopes = scopesByAccount(targets, desired);
  const accounts = await Promise.all(
    targets.map((target) => observeAccount(target, scopes.get(target.accountId) ?? emptyScope())),
  );
  const now = options.now ?? targets[0]?.client.platformNow() ?? new Date();
  const planOptions = { ...options, now };
  const snapshot: Snapshot = {
    takenAt: now.toISOString(),
    accounts: Object.fromEntries(accounts.map((account) => [account.accountId, account])),
  };
  const first = plan(desired, snapshot, planOptions);
  if (!(await enrichForChanges(targets, snapshot, first))) return { snapshot, plan: first };
  return { snapshot, plan: plan(desired, snapshot, planOptions) };
}

/** Reads environments of the runtimes the plan changes (waves, reattach); true when anything was read. */
async function enrichForChanges(
  targets: readonly AccountTarget[],
  snapshot: Snapshot,
  planned: Plan,
): Promise<boolean> {
  let enriched = false;
  for (const target of targets) {
    const account = snapshot.accounts[target.accountId];
    if (!account || account.error) continue;
    const ids = planned.changes.filter((c) => c.accountId === target.accountId).map((c) => c.runtimeId);
    if (ids.length === 0) continue;
    await enrichEnvironments(target.client, account, ids);
    enriched = true;
  }
  return enriched;
}

function emptyScope(): ObserveScope {
  return { runtimes: [], withPacks: [] };
}

/** Which runtimes each account's pins name, so only those are read in depth. */
export function scopesByAccount(
  targets: readonly AccountTarget[],
  desired: readonly DesiredAtomVersion[],
): Map<string, ObserveScope> {
  const aliases = new Map<string, string>();
  for (const target of targets) {
    aliases.set(target.accountId, target.accountId);
    if (target.alias) aliases.set(target.alias, target.accountId);
  }
  const scopes = new Map<string, ObserveScope>();
  for (const doc of desired) {
    const accountId = accountIdFor(doc.spec, aliases);
    const scope = scopes.get(accountId) ?? emptyScope();
    const ref: RuntimeRef = { ...doc.spec.runtime };
    scope.runtimes.push(ref);
    if (doc.spec.integrationPacks.length > 0) scope.withPacks.push(ref);
    scopes.set(accountId, scope);
  }
  return scopes;
}
