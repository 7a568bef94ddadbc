// Does a planned request still hold against what the platform shows now? Every request carries the
// versions it was planned on (`expected`: per component or pack instance, what runs and what the request
// moves it to). Before a later wave is sent the runtimes are read again; a request whose expectation no
// longer holds is not sent (someone applied in the UI, a new pending version appeared), so a wave never
// applies what nobody reviewed. The platform enforces the same check (409), this one saves the round trip
// and names what moved.
import { packsMovedByApply } from './pack-apply-conflicts.js';
import type { ComponentState, ExpectedVersion, PackState, PlannedRequest, RuntimeState } from './types.js';

/** One sentence per expectation that no longer holds; empty when the request may be sent as planned. */
export function unmetExpectations(request: PlannedRequest, runtime: RuntimeState | undefined): string[] {
  const expected = request.expected ?? [];
  if (expected.length === 0) return [];
  if (!runtime) return [`runtime ${request.runtimeName} is no longer on the platform`];
  switch (request.kind) {
    case 'AtomVersionUpdateRequest':
      return expected.flatMap((e) => componentMismatch(e, runtime, request.action ?? 'APPLY_PENDING'));
    case 'IntegrationPackPendingUpdateRequest':
      return [
        ...expected.flatMap((e) => packMismatch(e, runtime, true)),
        ...unexpectedPackMoves(request, runtime),
      ];
    case 'ReattachPack':
      return expected.flatMap((e) => packMismatch(e, runtime, false));
    default:
      return []; // settings (release schedule, force restart) carry no versions
  }
}

function componentMismatch(
  expected: ExpectedVersion,
  runtime: RuntimeState,
  action: 'APPLY_PENDING' | 'ROLLBACK',
): string[] {
  const component = runtime.components.find((c) => c.name === expected.name);
  const target = action === 'APPLY_PENDING' ? component?.pendingVersion : component?.rollbackVersion;
  const holds =
    component !== undefined &&
    component.outstandingRequestId === undefined &&
    component.version === expected.current &&
    target === expected.target;
  if (holds) return [];
  return [
    `${expected.name} expected ${expected.current} → ${expected.target}, now ${describeComponent(component, action)}`,
  ];
}

function describeComponent(
  component: ComponentState | undefined,
  action: 'APPLY_PENDING' | 'ROLLBACK',
): string {
  if (!component) return 'not on the runtime';
  if (component.outstandingRequestId !== undefined)
    return `${component.version}, being changed by request ${component.outstandingRequestId}`;
  const target = action === 'APPLY_PENDING' ? component.pendingVersion : component.rollbackVersion;
  if (target === undefined)
    return `${component.version} with no ${action === 'APPLY_PENDING' ? 'pending' : 'rollback'} version`;
  return `${component.version} → ${target}`;
}

function packMismatch(expected: ExpectedVersion, runtime: RuntimeState, applying: boolean): string[] {
  const pack = runtime.packs.find((p) => p.integrationPackInstanceId === expected.integrationPackInstanceId);
  const holds =
    pack !== undefined &&
    String(pack.version) === expected.current &&
    (!applying || (pack.applyBlockedReason === undefined && String(pack.pendingVersion) === expected.target));
  if (holds) return [];
  return [`${expected.name} expected ${expected.current} → ${expected.target}, now ${describePack(pack)}`];
}

/** R12: Apply Pending Updates takes every pending update; one that appeared since the plan was not reviewed. */
function unexpectedPackMoves(request: PlannedRequest, runtime: RuntimeState): string[] {
  const expectedIds = new Set((request.expected ?? []).map((e) => e.integrationPackInstanceId));
  return packsMovedByApply(runtime)
    .filter((pack) => !expectedIds.has(pack.integrationPackInstanceId))
    .map((pack) => `${pack.name} was not in the plan, now ${describePack(pack)} and would be applied too`);
}

function describePack(pack: PackState | undefined): string {
  if (!pack) return 'not on the runtime';
  if (pack.pendingVersion === undefined) return `${pack.version} with no pending update`;
  const blocked = pack.applyBlockedReason ? ` (${pack.applyBlockedReason})` : '';
  return `${pack.version} → ${pack.pendingVersion}${blocked}`;
}
