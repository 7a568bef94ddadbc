// Plans as `apply` would run after the merge, even when the report itself reads the platform with a
// read-only credential (ATOM_MANAGEMENT_READ_ONLY is enough to observe). Accounts whose credential lacks
// ATOM_MANAGEMENT are planned as if it had it, and every pin that only that made possible is marked
// needsPrivilege: the report shows what apply would do and says it needs ATOM_MANAGEMENT at apply time,
// instead of blocking every change with InsufficientPrivilege.

import { plan } from '../domain/plan.js';
import type { AccountSnapshot, DesiredAtomVersion, PinResult, Plan, Snapshot } from '../domain/types.js';
import { enrichEnvironments, type AccountTarget } from '../platform/observe.js';
import { planCycle, type PlanCycleOptions } from '../reconciler/plan-cycle.js';

const MANAGE = 'ATOM_MANAGEMENT';

export interface PlanWithApplyPrivilegeResult {
  snapshot: Snapshot;
  plan: Plan;
}

export async function planWithApplyPrivilege(
  targets: readonly AccountTarget[],
  desired: readonly DesiredAtomVersion[],
  options: PlanCycleOptions,
): Promise<PlanWithApplyPrivilegeResult> {
  const observed = await planCycle(targets, desired, options);
  const elevated = withApplyPrivilege(observed.snapshot);
  if (elevated.accountIds.size === 0) return observed;
  // The same instant the observed plan used (the platform's clock), so both plans agree on windows.
  const planOptions = { ...options, now: new Date(observed.snapshot.takenAt) };
  let planned = plan(desired, elevated.snapshot, planOptions);
  if (await readMissingEnvironments(targets, elevated.snapshot, planned, elevated.accountIds)) {
    planned = plan(desired, elevated.snapshot, planOptions);
  }
  return { snapshot: observed.snapshot, plan: markNeedsPrivilege(planned, observed.plan) };
}

/** A copy of the snapshot where every readable account's principal has ATOM_MANAGEMENT. */
function withApplyPrivilege(snapshot: Snapshot): { snapshot: Snapshot; accountIds: Set<string> } {
  const accountIds = new Set<string>();
  const accounts: Record<string, AccountSnapshot> = {};
  for (const [id, account] of Object.entries(snapshot.accounts)) {
    const lacking = !account.error && !account.principal.privileges.includes(MANAGE);
    if (lacking) accountIds.add(id);
    accounts[id] = lacking
      ? {
          ...account,
          principal: { ...account.principal, privileges: [...account.principal.privileges, MANAGE] },
        }
      : account;
  }
  return { snapshot: { ...snapshot, accounts }, accountIds };
}

/** The read-only plan made no requests there, so the environments (waves, reattach) were never read. */
async function readMissingEnvironments(
  targets: readonly AccountTarget[],
  snapshot: Snapshot,
  planned: Plan,
  accountIds: ReadonlySet<string>,
): Promise<boolean> {
  let read = false;
  for (const target of targets) {
    const account = snapshot.accounts[target.accountId];
    if (!account || !accountIds.has(target.accountId)) continue;
    const ids = planned.changes.filter((c) => c.accountId === target.accountId).map((c) => c.runtimeId);
    if (ids.length === 0) continue;
    await enrichEnvironments(target.client, account, ids);
    read = true;
  }
  return read;
}

/** Pins the observing credential could not change carry needsPrivilege in the elevated plan. */
function markNeedsPrivilege(elevated: Plan, observed: Plan): Plan {
  const lacking = new Set(
    observed.pins.filter((pin) => pin.reason === 'InsufficientPrivilege').map(pinIdentity),
  );
  const pins = elevated.pins.map((pin): PinResult =>
    lacking.has(pinIdentity(pin)) ? { ...pin, needsPrivilege: MANAGE } : pin,
  );
  return {
    ...elevated,
    pins,
    blocked: pins.filter((pin) => pin.outcome === 'Blocked'),
    manual: pins.filter((pin) => pin.outcome === 'Manual'),
  };
}

function pinIdentity(pin: PinResult): string {
  return JSON.stringify([pin.key, pin.kind, pin.name]);
}
