// One observe → plan pass over every configured account: shared by `atomsync plan`, `apply`, the
// controller and the PR report. Reads only what the pins need (see controller/platform/observe.ts), and
// nothing of an account whose pins tenancy refuses: those are planned Blocked/AccountNotAllowed unread.
import { AccountBook } from '../domain/accounts.js';
import { plan } from '../domain/plan.js';
import { tenancyDenial, type Tenancy } from '../domain/tenancy.js';
import type { DesiredAtomVersion, MaintenanceWindow, Plan, RuntimeRef, Snapshot } from '../domain/types.js';
import { enrichEnvironments, observeAccount } from '../platform/observe.js';
import type { AccountTarget, ObserveScope } from '../platform/observe.js';

export interface PlanCycleOptions {
  /** Default: the platform's clock (Date header of its latest answer), else wall time. */
  now?: Date;
  maxConcurrentRestarts: number;
  defaultWindows: MaintenanceWindow[];
  /** Default: the accounts of the targets. */
  accounts?: AccountBook;
  tenancy?: Tenancy;
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
  const accounts = options.accounts ?? new AccountBook(targets);
  const scopes = scopesByAccount(accounts, desired, options.tenancy);
  const read = targets.filter((target) => scopes.has(target.accountId));
  const observed = await Promise.all(
    read.map((target) => observeAccount(target, scopes.get(target.accountId) ?? emptyScope())),
  );
  const now = options.now ?? (read[0] ?? targets[0])?.client.platformNow() ?? new Date();
  const planOptions = { ...options, accounts, now };
  const snapshot: Snapshot = {
    takenAt: now.toISOString(),
    accounts: Object.fromEntries(observed.map((account) => [account.accountId, account])),
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

/** Which runtimes each account's pins name, so only those are read in depth; refused pins name none. */
export function scopesByAccount(
  accounts: AccountBook,
  desired: readonly DesiredAtomVersion[],
  tenancy: Tenancy | undefined,
): Map<string, ObserveScope> {
  const scopes = new Map<string, ObserveScope>();
  for (const doc of desired) {
    if (tenancyDenial(tenancy, accounts, doc.namespace, doc.spec.account)) continue;
    const accountId = accounts.idOf(doc.spec.account);
    const scope = scopes.get(accountId) ?? emptyScope();
    const ref: RuntimeRef = { ...doc.spec.runtime };
    scope.runtimes.push(ref);
    if (doc.spec.integrationPacks.length > 0) scope.withPacks.push(ref);
    scopes.set(accountId, scope);
  }
  return scopes;
}

function emptyScope(): ObserveScope {
  return { runtimes: [], withPacks: [] };
}
