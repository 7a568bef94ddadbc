// One dashboard observation: observe and plan every account (the same observeAndPlan as `atomsync plan`),
// read the environments of the pinned runtimes (the matrix groups by TEST/PROD, which a plan reads only
// for runtimes it changes), read what is new in each account's AuditLog, and build the FleetView. Reads
// only; never sends a request.
import type { DesiredAtomVersion } from '../domain/types.js';
import { enrichEnvironments, type AccountTarget } from '../platform/observe.js';
import { observeAndPlan, type PlanningOptions } from '../pipeline/observe-and-plan.js';
import type { AtomVersionStatus } from '../domain/status.js';
import type { AuditTrail } from './audit-trail.js';
import { buildFleetView, type FleetInput, type FleetView } from './fleet-view.js';

export interface ObserveFleetInput {
  targets: readonly AccountTarget[];
  desired: readonly DesiredAtomVersion[];
  options: PlanningOptions;
  aliases: Readonly<Record<string, string>>;
  mode: FleetView['mode'];
  statuses?: readonly AtomVersionStatus[];
  suspensions?: FleetInput['suspensions'];
  /** Reads the AuditLog (one query per readable account) for the runtime pages and the restart timeline. */
  audit?: AuditTrail;
}

export async function observeFleet(input: ObserveFleetInput): Promise<FleetView> {
  const { snapshot, plan } = await observeAndPlan(input.targets, input.desired, input.options);
  const pinned = new Set(plan.pins.flatMap((pin) => (pin.runtimeId ? [pin.runtimeId] : [])));
  for (const target of input.targets) {
    const account = snapshot.accounts[target.accountId];
    if (!account || account.error) continue;
    const ids = account.runtimes.filter((runtime) => pinned.has(runtime.id)).map((runtime) => runtime.id);
    if (ids.length > 0) await enrichEnvironments(target.client, account, ids);
  }
  const readable = input.targets.filter((target) => !snapshot.accounts[target.accountId]?.error);
  await input.audit?.refresh(readable);
  return buildFleetView({
    desired: input.desired,
    snapshot,
    plan,
    mode: input.mode,
    aliases: input.aliases,
    ...(input.statuses ? { statuses: new Map(input.statuses.map((status) => [status.key, status])) } : {}),
    ...(input.suspensions ? { suspensions: input.suspensions } : {}),
    ...(input.audit ? { audit: input.audit } : {}),
  });
}
