// The `expected` list of the update-request extension objects (docs/platform-api.md, "Expected versions"):
// what the caller reviewed — per component (or pack instance) the version it runs and the one the request
// moves it to. When the runtime no longer shows exactly that (a new pending version appeared, someone
// applied or rolled back in the UI meanwhile, a request already covers it), the request is refused with 409
// naming the runtime, the component, what was expected and what is there now. Without `expected` the
// request takes whatever is pending, as before.
import { SimError } from './port.js';
import type { PackVersionView } from './packs.js';
import type { ComponentView } from './runtime-versions.js';
import type { RuntimeRecord } from './state.js';

export interface ComponentExpectation {
  name: string;
  currentVersion: string;
  targetVersion: string;
}

export interface PackExpectation {
  integrationPackInstanceId: string;
  currentVersion: number;
  targetVersion: number;
}

/** `expected` of an AtomVersionUpdateRequest; undefined when absent. Must name each requested component. */
export function parseComponentExpectations(
  value: unknown,
  components: readonly string[],
): ComponentExpectation[] | undefined {
  if (value === undefined) return undefined;
  const list = expectationList(value, 'expected must be a list of {name, currentVersion, targetVersion}.');
  const parsed = list.map((item, index) => ({
    name: text(item, 'name', index),
    currentVersion: text(item, 'currentVersion', index),
    targetVersion: text(item, 'targetVersion', index),
  }));
  const named = new Set(parsed.map((e) => e.name));
  const missing = components.filter((name) => !named.has(name));
  const extra = parsed.filter((e) => !components.includes(e.name)).map((e) => e.name);
  if (missing.length > 0 || extra.length > 0 || named.size !== parsed.length) {
    throw new SimError(
      400,
      `expected must name each requested component exactly once (components: ${components.join(', ')}; ` +
        `expected: ${parsed.map((e) => e.name).join(', ')}).`,
    );
  }
  return parsed;
}

/** `expected` of an IntegrationPackPendingUpdateRequest; undefined when absent. */
export function parsePackExpectations(value: unknown): PackExpectation[] | undefined {
  if (value === undefined) return undefined;
  const list = expectationList(
    value,
    'expected must be a list of {integrationPackInstanceId, currentVersion, targetVersion}.',
  );
  return list.map((item, index) => ({
    integrationPackInstanceId: text(item, 'integrationPackInstanceId', index),
    currentVersion: whole(item, 'currentVersion', index),
    targetVersion: whole(item, 'targetVersion', index),
  }));
}

/** 409 unless each component runs `currentVersion` and the action would move it to `targetVersion`. */
export function requireComponentExpectations(
  runtime: RuntimeRecord,
  action: 'APPLY_PENDING' | 'ROLLBACK',
  expectations: readonly ComponentExpectation[],
  views: ReadonlyMap<string, ComponentView>,
): void {
  const mismatches = expectations.flatMap((expected) => {
    const view = views.get(expected.name);
    const actual = view && describeComponent(view, action);
    const target = action === 'APPLY_PENDING' ? view?.pendingVersion : view?.rollbackVersion;
    const holds =
      view !== undefined &&
      view.outstandingRequestId === undefined &&
      view.version === expected.currentVersion &&
      target === expected.targetVersion;
    return holds
      ? []
      : [
          `"${expected.name}" expected ${expected.currentVersion} → ${expected.targetVersion}, ` +
            `actual ${actual ?? 'no such component'}`,
        ];
  });
  if (mismatches.length > 0) refuse(runtime, action, mismatches);
}

/**
 * 409 unless Apply Pending Updates would make exactly the expected moves: each expected instance at
 * `currentVersion` with pending `targetVersion`, and no other pending update the caller did not review.
 */
export function requirePackExpectations(
  runtime: RuntimeRecord,
  expectations: readonly PackExpectation[],
  applicable: readonly PackVersionView[],
  views: readonly PackVersionView[],
): void {
  const byInstance = new Map(views.map((v) => [v.integrationPackInstanceId, v]));
  const mismatches: string[] = [];
  for (const expected of expectations) {
    const view = byInstance.get(expected.integrationPackInstanceId);
    const holds =
      view !== undefined &&
      applicable.includes(view) &&
      view.version === expected.currentVersion &&
      view.pendingVersion === expected.targetVersion;
    if (holds) continue;
    const label = view ? `"${view.name}"` : `instance ${expected.integrationPackInstanceId}`;
    mismatches.push(
      `${label} expected ${expected.currentVersion} → ${expected.targetVersion}, actual ${view ? describePack(view) : 'not on this runtime'}`,
    );
  }
  const expectedIds = new Set(expectations.map((e) => e.integrationPackInstanceId));
  for (const view of applicable.filter((v) => !expectedIds.has(v.integrationPackInstanceId))) {
    mismatches.push(`"${view.name}" not expected, actual ${describePack(view)} would be applied too`);
  }
  if (mismatches.length > 0) refuse(runtime, 'Apply Pending Updates', mismatches);
}

function describeComponent(view: ComponentView, action: 'APPLY_PENDING' | 'ROLLBACK'): string {
  if (view.outstandingRequestId !== undefined)
    return `${view.version}, already being changed by request ${view.outstandingRequestId}`;
  const target = action === 'APPLY_PENDING' ? view.pendingVersion : view.rollbackVersion;
  const word = action === 'APPLY_PENDING' ? 'pending' : 'rollback';
  return target === undefined ? `${view.version} with no ${word} version` : `${view.version} → ${target}`;
}

function describePack(view: PackVersionView): string {
  if (view.outstandingRequestId !== undefined)
    return `${view.version}, already being updated by request ${view.outstandingRequestId}`;
  if (view.pendingVersion === undefined) return `${view.version} with no pending update`;
  const blocked = view.applyBlockedReason ? ` (blocked: ${view.applyBlockedReason})` : '';
  return `${view.version} → ${view.pendingVersion}${blocked}`;
}

function refuse(runtime: RuntimeRecord, what: string, mismatches: readonly string[]): never {
  throw new SimError(
    409,
    `${what} on runtime "${runtime.name}" refused: the expected versions no longer hold: ` +
      `${mismatches.join('; ')}. Read the runtime's versions again and plan anew.`,
  );
}

function expectationList(value: unknown, message: string): Record<string, unknown>[] {
  const isObject = (item: unknown): item is Record<string, unknown> =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  if (!Array.isArray(value) || !value.every(isObject)) throw new SimError(400, message);
  return value;
}

function text(item: Record<string, unknown>, field: string, index: number): string {
  const value = item[field];
  if (typeof value !== 'string' || value === '')
    throw new SimError(400, `expected[${index}].${field} is required (a string).`);
  return value;
}

function whole(item: Record<string, unknown>, field: string, index: number): number {
  const value = item[field];
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new SimError(400, `expected[${index}].${field} is required (an integer).`);
  return value;
}
