// Planning the pins of one AtomVersion on the runtime it names.
import { checkPackApplyConflicts } from './pack-apply-conflicts.js';
import { resolveComponentPin } from './plan-components.js';
import { resolvePackPin } from './plan-packs.js';
import type { PinGates, PinIdentity, WaitingOn } from './pin-outcome.js';
import { decidePin } from './pin-outcome.js';
import type { PinResolution, RuntimeContext } from './pin-resolution.js';
import { isAtLeast } from './versions.js';
import type { ScheduleWanted, SettingPlan, SettingWrite } from './plan-settings.js';
import type { SlotChoice } from './release-slots.js';
import { earliestSlot, releaseWindow, SLOT_GRACE_MS, slotInstant } from './release-slots.js';
import { formatInstant } from './windows.js';
import { planForceRestart, planReleaseSchedule, scheduleOfPin } from './plan-settings.js';
import type { WindowEvaluator, WindowVerdict } from './windows.js';
import type {
  AccountSnapshot,
  ComponentState,
  DesiredAtomVersion,
  MaintenanceWindow,
  OutstandingRequest,
  ReleaseCalendar,
  PinResult,
  RuntimeState,
  ScheduleSetting,
} from './types.js';
import { RUNTIME_COMPONENT } from './types.js';

/** A pin that makes or describes a change, with what the request and manual-step builders need. */
export interface PlannedPin {
  result: PinResult;
  resolution: PinResolution;
  runtime: RuntimeState;
  /** For Configure: what the request writes. */
  write?: SettingWrite;
}

export interface RuntimePlanInput {
  desired: DesiredAtomVersion;
  account: AccountSnapshot;
  runtime: RuntimeState;
  windows: WindowEvaluator;
  defaultWindows: readonly MaintenanceWindow[];
  nowMs: number;
  releaseCalendar?: ReleaseCalendar | undefined;
}

/**
 * Appends the AtomVersion's pin results to `results`, and hands every pin that changes something (or needs
 * a manual step) to `onChange`.
 */
export function planRuntimePins(
  input: RuntimePlanInput,
  results: PinResult[],
  onChange: (planned: PlannedPin) => void,
): void {
  const { desired, account, runtime } = input;
  const components = componentLookup(runtime.components);
  const identity: PinIdentity = {
    key: desired.key,
    accountId: account.accountId,
    runtimeId: runtime.id,
    runtimeName: runtime.name,
  };
  const gates = gatesFor(input);
  const first = results.length;
  for (const resolution of resolvePins(input, components)) {
    let waitingOn: WaitingOn | undefined;
    if (resolution.intent !== 'InSync') {
      const component = resolution.kind === 'pack' ? undefined : components.get(resolution.name);
      waitingOn = waitingFor(resolution, component, runtime);
    }
    const result = decidePin(resolution, identity, gates, waitingOn);
    results.push(result);
    if (CHANGING.has(result.outcome)) onChange({ result, resolution, runtime });
  }
  for (const setting of planSettings(input, identity, gates, results.slice(first))) {
    results.push(setting.result);
    if (setting.write)
      onChange({ result: setting.result, resolution: setting.resolution, runtime, write: setting.write });
  }
}

/** spec.releaseSchedule and spec.forceRestartAfter, after the version pins (plan-settings.ts). */
function planSettings(
  input: RuntimePlanInput,
  identity: PinIdentity,
  gates: PinGates,
  versionPins: readonly PinResult[],
): SettingPlan[] {
  const spec = input.desired.spec;
  const settings: SettingPlan[] = [];
  const wanted = wantedSchedule(input, gates, versionPins);
  if (wanted) {
    const schedule = planReleaseSchedule(identity, gates, wanted);
    if (spec.releaseSchedule || schedule.result.outcome !== 'InSync') settings.push(schedule);
  }
  if (spec.forceRestartAfter !== undefined)
    settings.push(planForceRestart(identity, gates, spec.forceRestartAfter));
  return settings;
}

/** What each pin needs on its own, in plan order: the runtime, its connectors (R9), its packs (R12). */
function resolvePins(input: RuntimePlanInput, components: ComponentLookup): PinResolution[] {
  const { desired, account, runtime } = input;
  const spec = desired.spec;
  const context: RuntimeContext = {
    runtime,
    policy: spec.policy,
    capabilities: account.capabilities,
    nowMs: input.nowMs,
  };
  const atom = components.get(RUNTIME_COMPONENT);
  const runtimePin = resolveRuntimePin(desired, atom, context);
  const runtimeWaiting = runtimePin ? waitingFor(runtimePin, atom, runtime) : undefined;
  const resolutions: PinResolution[] = [];
  if (runtimePin) resolutions.push(runtimePin);
  for (const pin of spec.connectors) {
    const connector = resolveComponentPin('connector', pin, components.get(pin.name), context);
    resolutions.push(checkAtomRequirement(connector, atom, runtimePin, runtimeWaiting));
  }
  if (spec.integrationPacks.length > 0) {
    const packPins = spec.integrationPacks.map((pin) => resolvePackPin(pin, runtime.packs, context));
    for (const resolution of checkPackApplyConflicts(packPins, runtime)) resolutions.push(resolution);
  }
  return resolutions;
}

const CHANGING: ReadonlySet<string> = new Set([
  'ApplyPending',
  'Rollback',
  'ApplyPackPending',
  'ReattachPack',
  'Configure',
  'Manual',
]);

interface ComponentLookup {
  get(name: string): ComponentState | undefined;
}

/** Runtimes list a few dozen components: scanning them beats building a Map per AtomVersion. */
function componentLookup(components: readonly ComponentState[]): ComponentLookup {
  if (components.length > 64) return new Map(components.map((component) => [component.name, component]));
  return {
    get(name: string): ComponentState | undefined {
      for (const component of components) if (component.name === name) return component;
      return undefined;
    },
  };
}

function resolveRuntimePin(
  desired: DesiredAtomVersion,
  atom: ComponentState | undefined,
  context: RuntimeContext,
): PinResolution | undefined {
  const { version, channel } = desired.spec;
  if (version === undefined && channel === undefined) return undefined;
  return resolveComponentPin('runtime', { name: RUNTIME_COMPONENT, version, channel }, atom, context);
}

function gatesFor(input: RuntimePlanInput): PinGates {
  const policy = input.desired.spec.policy;
  const windows = policy.windows.length > 0 ? policy.windows : input.defaultWindows;
  let verdict: WindowVerdict | undefined;
  const gates: PinGates = {
    suspended: policy.suspend,
    observeOnly: policy.mode === 'observe',
    runtime: input.runtime,
    principal: input.account.principal,
    capabilities: input.account.capabilities,
    window: () => (verdict ??= input.windows.verdict(windows)),
  };
  if (!input.account.capabilities.versionActions) {
    let choice: SlotChoice | undefined;
    const zone = input.desired.spec.releaseSchedule?.timeZone ?? windows[0]?.timeZone ?? 'UTC';
    const now = new Date(input.nowMs);
    const fired = slotInstant(input.runtime.releaseSchedule, input.releaseCalendar, input.nowMs);
    gates.lever = {
      slot: () => (choice ??= earliestSlot(now, input.releaseCalendar, windows, zone)),
      firedAt: fired !== undefined && fired + SLOT_GRACE_MS <= input.nowMs ? fired : undefined,
    };
  }
  return gates;
}

/**
 * The schedule the runtime should have: the slot a Scheduled pin needs; else, without version actions,
 * NEVER while a version pin holds and, by the known release calendar, the schedule would apply the pending update early (the only
 * automatic hold Boomi offers), or when no schedule is declared (atomsync puts NEVER back after a slot);
 * else the declared one.
 */
function wantedSchedule(
  input: RuntimePlanInput,
  gates: PinGates,
  versionPins: readonly PinResult[],
): ScheduleWanted | undefined {
  const declared = input.desired.spec.releaseSchedule;
  const lever = gates.lever;
  if (lever) {
    const scheduled = versionPins.find((pin) => pin.outcome === 'Scheduled');
    const choice = scheduled ? lever.slot() : undefined;
    if (scheduled && choice?.kind === 'slot') {
      return {
        schedule: choice.schedule,
        wanted: `slot for ${scheduled.name} ${scheduled.target ?? 'pending'}`,
        why: `so the platform applies ${scheduled.name} ${scheduled.target ?? 'pending'}${choice.eta ? ` at ${formatInstant(choice.eta)}` : ''}`,
      };
    }
    const holds = versionPins.some((pin) => pin.outcome === 'InSync' && pin.wanted !== 'channel:pending');
    if (holds && declared && wouldApplyEarly(scheduleOfPin(declared), input)) {
      return {
        schedule: { scheduleType: 'NEVER' },
        wanted: 'never (hold)',
        why: `hold: the pins keep their versions while the Runtime Release window is open, and the declared ${declared.week} week schedule would apply the pending update early`,
      };
    }
    if (!declared && versionPins.length > 0 && !scheduled && input.runtime.releaseSchedule !== undefined) {
      return {
        schedule: { scheduleType: 'NEVER' },
        wanted: 'never (no releaseSchedule declared)',
        why: 'no spec.releaseSchedule: versions follow the pins',
      };
    }
  }
  if (!declared) return undefined;
  const parts = [
    declared.week,
    declared.day,
    declared.hour === undefined ? undefined : `${declared.hour}h`,
    declared.timeZone,
  ];
  return {
    schedule: scheduleOfPin(declared),
    wanted: parts.filter((p) => p !== undefined).join(' '),
    why: 'spec.releaseSchedule',
  };
}

/** With known dates: the schedule's slot is still ahead in an open window; unknown dates: assume so. */
function wouldApplyEarly(schedule: ScheduleSetting, input: RuntimePlanInput): boolean {
  if (schedule.scheduleType === 'NEVER') return false;
  const window = releaseWindow(input.releaseCalendar, input.nowMs);
  if (!input.releaseCalendar) return false;
  if (!window || input.nowMs < window.opens) return false;
  const at = slotInstant(schedule, input.releaseCalendar, input.nowMs);
  return at !== undefined && at > input.nowMs;
}

/**
 * R9: a connector's pending version that needs a newer runtime can be applied only when the runtime already
 * runs that version, or when the runtime pin applies it in the same request.
 */
function checkAtomRequirement(
  connector: PinResolution,
  atom: ComponentState | undefined,
  runtimePin: PinResolution | undefined,
  runtimeWaiting: WaitingOn | undefined,
): PinResolution {
  const required = connector.requiresAtomVersion;
  if (connector.intent !== 'ApplyPending' || required === undefined) return connector;
  if (atom && isAtLeast(atom.version, required)) return connector;
  const runtimeMoves =
    runtimePin?.intent === 'ApplyPending' && runtimePin.target !== undefined && runtimeWaiting === undefined;
  if (runtimeMoves && runtimePin.target !== undefined && isAtLeast(runtimePin.target, required)) {
    return {
      ...connector,
      message: `${connector.message}, in one request with Atom ${runtimePin.target} (R9)`,
    };
  }
  return {
    ...connector,
    intent: 'Blocked',
    reason: 'RequiresAtomVersion',
    message: `Pending ${connector.target} of connector ${connector.name} needs Atom ${required}, and the runtime runs ${atom?.version ?? 'an unknown version'} (R9)`,
    advice: requirementAdvice(required, atom, runtimeWaiting),
  };
}

function requirementAdvice(
  required: string,
  atom: ComponentState | undefined,
  runtimeWaiting: WaitingOn | undefined,
): string {
  if (runtimeWaiting) {
    return `the runtime's own update (request ${runtimeWaiting.id}) is outstanding; the connector can follow once the runtime runs ${required}`;
  }
  const pending = atom?.pendingVersion;
  if (pending !== undefined && isAtLeast(pending, required)) {
    return `pin the runtime to ${pending} (spec.version: ${pending} or spec.channel: pending) so both are applied in one request`;
  }
  return `the runtime must run ${required} first; pin the connector's current version until then`;
}

const FINISHED = new Set(['COMPLETE', 'FAILED', 'SUPERSEDED']);

/** R6: the request already outstanding for this pin's component (or, for packs, for the runtime's packs). */
function waitingFor(
  resolution: PinResolution,
  component: ComponentState | undefined,
  runtime: RuntimeState,
): WaitingOn | undefined {
  if (runtime.outstanding.length === 0 && component?.outstandingRequestId === undefined) return undefined;
  const active = runtime.outstanding.filter((request) => !FINISHED.has(request.status));
  if (resolution.kind === 'pack') {
    const request = active.find((candidate) => candidate.kind === 'IntegrationPackPendingUpdateRequest');
    return request ? { id: request.id, description: describeRequest(request) } : undefined;
  }
  const byId = component?.outstandingRequestId;
  if (byId !== undefined) {
    const request = runtime.outstanding.find((candidate) => candidate.id === byId);
    return { id: byId, description: request ? describeRequest(request) : 'AtomVersionUpdateRequest' };
  }
  const request = active.find(
    (candidate) =>
      candidate.kind === 'AtomVersionUpdateRequest' && candidate.components.includes(resolution.name),
  );
  return request ? { id: request.id, description: describeRequest(request) } : undefined;
}

function describeRequest(request: OutstandingRequest): string {
  const action =
    request.action ??
    (request.kind === 'IntegrationPackPendingUpdateRequest' ? 'APPLY_PENDING packs' : request.kind);
  const components = request.components.length > 0 ? ` ${request.components.join(', ')}` : '';
  return `${action}${components}, ${request.status}`;
}
