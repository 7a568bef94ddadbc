// Observe → plan, shared by `atomsync plan`, `apply`, the controller and the PR report (see
// docs/architecture.md, "Data flow"). Reads only what the pins need (controller/platform/observe.ts) and
// nothing for pins tenancy refuses: those are planned Blocked/AccountNotAllowed unread. Environments are
// read in one place (planWithEnvironments), only for runtimes a plan wants to change.
import { AccountBook } from '../domain/accounts.js';
import { plan } from '../domain/plan.js';
import { tenancyDenial, type Tenancy } from '../domain/tenancy.js';
import type {
  AccountSnapshot,
  DesiredAtomVersion,
  MaintenanceWindow,
  Plan,
  PlanOptions,
  ReleaseCalendar,
  RuntimeRef,
  Snapshot,
} from '../domain/types.js';
import { enrichEnvironments, observeAccount } from '../platform/observe.js';
import { withAttribution } from './attribution.js';
import type { AccountTarget, ObserveScope } from '../platform/observe.js';

export interface PlanningOptions {
  /** Default: the platform's clock (Date header of its latest answer), else wall time. */
  now?: Date;
  maxConcurrentRestarts: number;
  defaultWindows: MaintenanceWindow[];
  /** Default: the accounts of the targets. */
  accounts?: AccountBook;
  tenancy?: Tenancy;
  releaseCalendar?: ReleaseCalendar;
  /** Name the AuditLog entry behind the versions runtimes run (one query per account): pipeline/attribution.ts. */
  auditLog?: boolean;
}

export interface PlanningResult {
  snapshot: Snapshot;
  plan: Plan;
}

/** Observes the accounts the pins name, then plans (reading environments where the plan changes things). */
export async function observeAndPlan(
  targets: readonly AccountTarget[],
  desired: readonly DesiredAtomVersion[],
  options: PlanningOptions,
): Promise<PlanningResult> {
  const accounts = options.accounts ?? new AccountBook(targets);
  const scopes = scopesByAccount(accounts, desired, options.tenancy);
  const read = targets.filter((target) => scopes.has(target.accountId));
  const observed = await Promise.all(
    read.map((target) => observeAccount(target, scopes.get(target.accountId) ?? emptyScope())),
  );
  const now = options.now ?? (read[0] ?? targets[0])?.client.platformNow() ?? new Date();
  const snapshot: Snapshot = {
    takenAt: now.toISOString(),
    accounts: Object.fromEntries(observed.map((account) => [account.accountId, account])),
  };
  const planned = await planWithEnvironments(targets, desired, snapshot, { ...options, accounts, now });
  return { snapshot, plan: options.auditLog ? await withAttribution(read, planned, now) : planned };
}

/**
 * plan(), then — when it changes runtimes whose environments were not read yet (waves, pack reattach) —
 * reads those environments into the snapshot and plans again. `onlyAccounts` limits the reads.
 */
export async function planWithEnvironments(
  targets: readonly AccountTarget[],
  desired: readonly DesiredAtomVersion[],
  snapshot: Snapshot,
  options: PlanOptions,
  onlyAccounts?: ReadonlySet<string>,
): Promise<Plan> {
  const first = plan(desired, snapshot, options);
  if (!(await readEnvironments(targets, snapshot, first, onlyAccounts))) return first;
  return plan(desired, snapshot, options);
}

/**
 * Reads environments of the runtimes the plan changes; true when anything was read. Accounts are read at
 * the same time: each has its own rate limit, and one account's reads must not wait for another's.
 */
async function readEnvironments(
  targets: readonly AccountTarget[],
  snapshot: Snapshot,
  planned: Plan,
  onlyAccounts: ReadonlySet<string> | undefined,
): Promise<boolean> {
  const changing = new Map<string, string[]>();
  for (const change of planned.changes) {
    const ids = changing.get(change.accountId) ?? [];
    if (ids.length === 0) changing.set(change.accountId, ids);
    ids.push(change.runtimeId);
  }
  const reads = targets.flatMap((target) => {
    const account = snapshot.accounts[target.accountId];
    const ids = changing.get(target.accountId);
    if (!account || account.error || !ids || (onlyAccounts && !onlyAccounts.has(target.accountId))) return [];
    // Runtimes restarting now ride along in the same reads: restart admission needs to know which are TEST.
    return [enrichEnvironments(target.client, account, [...ids, ...busyRuntimeIds(account)])];
  });
  await Promise.all(reads);
  return reads.length > 0;
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
    if (doc.spec.releaseSchedule) (scope.withSchedule ??= []).push(ref);
    scopes.set(accountId, scope);
  }
  return scopes;
}

function emptyScope(): ObserveScope {
  return { runtimes: [], withPacks: [] };
}

/** Runtimes the platform shows restarting or with a version request in progress. */
function busyRuntimeIds(account: AccountSnapshot): string[] {
  return account.runtimes
    .filter(
      (runtime) =>
        runtime.restarting === true ||
        runtime.outstanding.some((request) => request.kind === 'AtomVersionUpdateRequest'),
    )
    .map((runtime) => runtime.id);
}
