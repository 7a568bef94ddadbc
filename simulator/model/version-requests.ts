// R4/R6/R9: opening an AtomVersionUpdateRequest (apply pending or roll back, for chosen components of one
// runtime). What happens to it afterwards (inactivity, restart) lives in restarts.ts.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement, requireOwned } from './access.js';
import type { WorldCore } from './core.js';
import { addRequest, requireRuntime } from './lookups.js';
import {
  compareVersions,
  componentViews,
  RUNTIME_COMPONENT,
  type ComponentView,
} from './runtime-versions.js';
import type { RuntimeRecord, VersionRequestRecord, VersionTarget } from './state.js';
import {
  parseComponentExpectations,
  requireComponentExpectations,
  type ComponentExpectation,
} from './request-expectations.js';

export type VersionAction = VersionRequestRecord['action'];
const ACTIONS: readonly VersionAction[] = ['APPLY_PENDING', 'ROLLBACK'];

export function createVersionRequest(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): VersionRequestRecord {
  const runtime = requireRuntime(core.state, ctx.accountId, body['atomId']);
  requireAtomManagement(ctx, `Applying pending versions or rolling back on runtime "${runtime.name}"`);
  requireOwned(core.state, runtime);
  const action = parseAction(body['action']);
  const names = parseComponentNames(body['components'], runtime);
  const expected = parseComponentExpectations(body['expected'], names);
  const targets = versionTargets(core, runtime, action, names, expected);
  return openVersionRequest(core, runtime, action, targets, ctx.userId);
}

/** Records an accepted request (also used by R8 schedules, which have already chosen their targets). */
export function openVersionRequest(
  core: WorldCore,
  runtime: RuntimeRecord,
  action: VersionAction,
  targets: VersionTarget[],
  userId: string,
): VersionRequestRecord {
  const now = core.nowIso();
  const request: VersionRequestRecord = {
    kind: 'AtomVersionUpdateRequest',
    id: core.mintRequestId('atomupdate'),
    accountId: runtime.accountId,
    atomId: runtime.id,
    action,
    components: targets.map((t) => t.name),
    targets,
    status: 'ACCEPTED',
    createdAt: now,
    createdBy: userId,
    updatedAt: now,
    willFail: takeInjectedFailure(runtime),
  };
  addRequest(core.state, request);
  core.audit({
    accountId: runtime.accountId,
    userId,
    type: 'as.atom.version',
    action,
    modifier: 'ACCEPTED',
    containerId: runtime.id,
    message: `${action} requested for ${describeTargets(targets)} on runtime "${runtime.name}" (request ${request.id}).`,
    properties: targets.map((t) => ({ name: t.name, previousValue: t.fromVersion, value: t.toVersion })),
  });
  return request;
}

/** Fault injection: the runtime's next N requests end FAILED. */
export function takeInjectedFailure(runtime: RuntimeRecord): boolean {
  if (runtime.failNextRequests <= 0) return false;
  runtime.failNextRequests -= 1;
  return true;
}

export function describeTargets(targets: readonly VersionTarget[]): string {
  return targets.map((t) => `${t.name} ${t.fromVersion} → ${t.toVersion}`).join(', ');
}

function parseAction(value: unknown): VersionAction {
  if (ACTIONS.includes(value as VersionAction)) return value as VersionAction;
  throw new SimError(
    400,
    `action must be one of ${ACTIONS.join(', ')}; got ${JSON.stringify(value ?? null)}.`,
  );
}

function parseComponentNames(value: unknown, runtime: RuntimeRecord): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new SimError(
      400,
      'components must be a non-empty list of component names (`Atom` for the runtime).',
    );
  }
  const names = [...new Set(value as string[])];
  const unknown = names.filter((n) => runtime.components[n] === undefined);
  if (unknown.length > 0) {
    const known = Object.keys(runtime.components).join(', ');
    throw new SimError(
      400,
      `Runtime "${runtime.name}" has no component ${quoteAll(unknown)}; it has ${known}.`,
    );
  }
  return names;
}

function versionTargets(
  core: WorldCore,
  runtime: RuntimeRecord,
  action: VersionAction,
  names: string[],
  expected?: ComponentExpectation[],
): VersionTarget[] {
  const views = new Map(componentViews(core.state, runtime, core.nowMs()).map((v) => [v.name, v]));
  if (expected) requireComponentExpectations(runtime, action, expected, views);
  const targets = names.map((name) => targetFor(runtime, action, views.get(name)!));
  if (action === 'APPLY_PENDING') requireAtomVersionForApply(runtime, targets, views);
  else requireAtomVersionForRollback(core, runtime, targets);
  return targets;
}

function targetFor(runtime: RuntimeRecord, action: VersionAction, view: ComponentView): VersionTarget {
  if (view.outstandingRequestId !== undefined) {
    throw new SimError(
      409,
      `Component "${view.name}" on runtime "${runtime.name}" is already covered by request ${view.outstandingRequestId}; ` +
        'a new request for it is refused until that one is COMPLETE, FAILED or SUPERSEDED.',
    );
  }
  if (action === 'APPLY_PENDING') {
    if (view.pendingVersion === undefined) {
      throw new SimError(
        400,
        `Component "${view.name}" on runtime "${runtime.name}" has no pending version to apply (it runs ${view.version}).`,
      );
    }
    return { name: view.name, fromVersion: view.version, toVersion: view.pendingVersion };
  }
  if (view.rollbackVersion === undefined) {
    throw new SimError(
      400,
      `Component "${view.name}" on runtime "${runtime.name}" has no rollback version: it runs ${view.version}, ` +
        'which is not a pending version applied early.',
    );
  }
  return { name: view.name, fromVersion: view.version, toVersion: view.rollbackVersion };
}

/** R9: a connector's pending version may need the runtime's pending version, applied before or together. */
function requireAtomVersionForApply(
  runtime: RuntimeRecord,
  targets: VersionTarget[],
  views: Map<string, ComponentView>,
): void {
  const atomAfter = atomVersionAfter(runtime, targets);
  for (const target of targets) {
    const required = views.get(target.name)?.pendingRequiresAtomVersion;
    if (required === undefined || compareVersions(atomAfter, required) >= 0) continue;
    throw new SimError(
      400,
      `Connector "${target.name}" ${target.toVersion} requires Atom ${required}, but runtime "${runtime.name}" runs ` +
        `Atom ${runtime.components[RUNTIME_COMPONENT]?.version ?? 'unknown'}: apply Atom's pending version first or ` +
        'in the same request.',
    );
  }
}

/** R9 the other way round: rolling the Atom back must not strand a connector that needs the newer Atom. */
function requireAtomVersionForRollback(
  core: WorldCore,
  runtime: RuntimeRecord,
  targets: VersionTarget[],
): void {
  const atomTarget = targets.find((t) => t.name === RUNTIME_COMPONENT);
  if (!atomTarget) return;
  const moving = new Set(targets.map((t) => t.name));
  for (const [name, current] of Object.entries(runtime.components)) {
    const calendar = core.state.calendar.components[name];
    if (moving.has(name) || calendar?.requiresAtomVersion === undefined) continue;
    if (current.version !== calendar.pending) continue;
    if (compareVersions(atomTarget.toVersion, calendar.requiresAtomVersion) >= 0) continue;
    throw new SimError(
      400,
      `Rolling back Atom to ${atomTarget.toVersion} would leave connector "${name}" on ${current.version}, which ` +
        `requires Atom ${calendar.requiresAtomVersion}: roll back "${name}" in the same request.`,
    );
  }
}

function atomVersionAfter(runtime: RuntimeRecord, targets: VersionTarget[]): string {
  return (
    targets.find((t) => t.name === RUNTIME_COMPONENT)?.toVersion ??
    runtime.components[RUNTIME_COMPONENT]?.version ??
    '0'
  );
}

function quoteAll(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
