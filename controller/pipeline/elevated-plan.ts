// Plans as `apply` would run after the merge, even when the PR report itself reads the platform with a
// read-only credential (ATOM_MANAGEMENT_READ_ONLY is enough to observe). Accounts whose credential lacks
// ATOM_MANAGEMENT are planned as if it had it, and every pin that only that made possible is marked
// needsPrivilege: the report shows what apply would do and says it needs ATOM_MANAGEMENT at apply time,
// instead of blocking every change with InsufficientPrivilege.
import { assemblePlan } from '../domain/assemble-plan.js';
import type { AccountSnapshot, DesiredAtomVersion, PinResult, Plan, Snapshot } from '../domain/types.js';
import type { AccountTarget } from '../platform/observe.js';
import {
  observeAndPlan,
  planWithEnvironments,
  type PlanningOptions,
  type PlanningResult,
} from './observe-and-plan.js';

const MANAGE = 'ATOM_MANAGEMENT';

export async function planWithApplyPrivilege(
  targets: readonly AccountTarget[],
  desired: readonly DesiredAtomVersion[],
  options: PlanningOptions,
): Promise<PlanningResult> {
  const observed = await observeAndPlan(targets, desired, options);
  const elevated = withApplyPrivilege(observed.snapshot);
  if (elevated.accountIds.size === 0) return observed;
  // The same instant the observed plan used (the platform's clock), so both plans agree on windows.
  const planOptions = { ...options, now: new Date(observed.snapshot.takenAt) };
  const planned = await planWithEnvironments(
    targets,
    desired,
    elevated.snapshot,
    planOptions,
    elevated.accountIds,
  );
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

/** Pins the observing credential could not change carry needsPrivilege in the elevated plan. */
function markNeedsPrivilege(elevated: Plan, observed: Plan): Plan {
  const lacking = new Set(
    observed.pins.filter((pin) => pin.reason === 'InsufficientPrivilege').map(pinIdentity),
  );
  const pins = elevated.pins.map((pin): PinResult =>
    lacking.has(pinIdentity(pin)) ? { ...pin, needsPrivilege: MANAGE } : pin,
  );
  return assemblePlan({
    generatedAt: elevated.generatedAt,
    atomVersions: elevated.summary.atomVersions,
    pins,
    changes: elevated.changes,
  });
}

function pinIdentity(pin: PinResult): string {
  return JSON.stringify([pin.key, pin.kind, pin.name]);
}
