// The runtime settings an AtomVersion manages besides versions: its release schedule (spec.releaseSchedule,
// RuntimeReleaseSchedule, R8) and its force-restart time (spec.forceRestartAfter, Atom.forceRestartTime).
// Each is one more pin of the AtomVersion: InSync, or Configure with one request that writes it — or, like
// every change, Suspended / ObserveOnly / NotOwned / InsufficientPrivilege. Neither write restarts the
// runtime, so no maintenance window applies to them.
import { parseDuration } from './duration.js';
import type { PinIdentity, PinGates } from './pin-outcome.js';
import { pinResult } from './pin-outcome.js';
import type { PinResolution } from './pin-resolution.js';
import { pinDraft } from './pin-resolution.js';
import { canManageAtoms } from './privileges.js';
import type { ObservedSchedule, PinKind, PinResult, ReleaseSchedulePin, ScheduleSetting } from './types.js';

export const RELEASE_SCHEDULE_PIN = 'Release schedule';
export const FORCE_RESTART_PIN = 'Force restart';

/** What the Configure request of a setting pin writes. */
export type SettingWrite =
  | { kind: 'RuntimeReleaseSchedule'; schedule: ScheduleSetting; create: boolean }
  | { kind: 'AtomForceRestartTime'; forceRestartTime: number };

export interface SettingPlan {
  result: PinResult;
  resolution: PinResolution;
  /** Set when the outcome is Configure. */
  write?: SettingWrite;
}

/** The schedule the pin asks for, in the platform's terms (time zone UTC when absent). */
export function scheduleOfPin(pin: ReleaseSchedulePin): ScheduleSetting {
  if (pin.week === 'never') return { scheduleType: 'NEVER' };
  const schedule: ScheduleSetting = { scheduleType: pin.week === 'first' ? 'FIRST' : 'LAST' };
  if (pin.day !== undefined) schedule.dayOfWeek = pin.day;
  if (pin.hour !== undefined) schedule.hourOfDay = pin.hour;
  schedule.timeZone = pin.timeZone ?? 'UTC';
  return schedule;
}

/** `FIRST week, SATURDAY 02:00 Europe/Berlin`, `NEVER`, or `none` when the runtime has no schedule. */
export function scheduleText(schedule: ScheduleSetting | ObservedSchedule | null | undefined): string {
  if (!schedule) return 'none';
  if (schedule.scheduleType === 'NEVER') return 'NEVER';
  const hour = String(schedule.hourOfDay ?? 0).padStart(2, '0');
  return `${schedule.scheduleType} week, ${schedule.dayOfWeek ?? '?'} ${hour}:00 ${schedule.timeZone ?? 'UTC'}`;
}

/** NEVER equals NEVER whatever else the platform reports; otherwise week, day, hour and zone must match. */
export function sameSchedule(
  observed: ObservedSchedule | null | undefined,
  wanted: ScheduleSetting,
): boolean {
  if (!observed) return false;
  if (observed.scheduleType !== wanted.scheduleType) return false;
  if (wanted.scheduleType === 'NEVER') return true;
  return (
    observed.dayOfWeek?.toUpperCase() === wanted.dayOfWeek &&
    observed.hourOfDay === wanted.hourOfDay &&
    sameZone(observed.timeZone, wanted.timeZone)
  );
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);

function sameZone(a: string | undefined, b: string | undefined): boolean {
  const zoneA = a ?? 'UTC';
  const zoneB = b ?? 'UTC';
  return zoneA === zoneB || (UTC_NAMES.has(zoneA) && UTC_NAMES.has(zoneB));
}

/** `1h30m`, `45s`, `0s` — the shortest Go-style text for whole seconds (milliseconds when not whole). */
export function durationText(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  let seconds = ms / 1000;
  if (seconds === 0) return '0s';
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}

export interface ScheduleWanted {
  schedule: ScheduleSetting;
  /** What the pin asks for, as written (`first SATURDAY 2 Europe/Berlin`, or why atomsync chose it). */
  wanted: string;
  /** Why this schedule (a declared one, or the lever atomsync pulls for a pending version or a hold). */
  why: string;
}

/** The release schedule pin: present when the AtomVersion declares one or atomsync needs the lever. */
export function planReleaseSchedule(
  identity: PinIdentity,
  gates: PinGates,
  wanted: ScheduleWanted,
): SettingPlan {
  const observed = gates.runtime.releaseSchedule;
  const current = scheduleText(observed);
  const target = scheduleText(wanted.schedule);
  const draft = settingDraft('releaseSchedule', RELEASE_SCHEDULE_PIN, wanted.wanted, current, target);
  if (sameSchedule(observed, wanted.schedule)) {
    return settled(identity, draft, `release schedule is ${target}`);
  }
  const change = `Set the release schedule of ${gates.runtime.name} from ${current} to ${target} (${wanted.why})`;
  const write: SettingWrite = {
    kind: 'RuntimeReleaseSchedule',
    schedule: wanted.schedule,
    create: observed === null,
  };
  return decideSetting(identity, gates, draft, change, write);
}

/** The force-restart pin (spec.forceRestartAfter), compared in milliseconds with Atom.forceRestartTime. */
export function planForceRestart(identity: PinIdentity, gates: PinGates, declared: string): SettingPlan {
  const wantedMs = parseDuration(declared) ?? 0;
  const observedMs = gates.runtime.forceRestartTime;
  const current = observedMs === undefined ? 'unset' : durationText(observedMs);
  const target = durationText(wantedMs);
  const draft = settingDraft('forceRestart', FORCE_RESTART_PIN, declared, current, target);
  if (observedMs === wantedMs) {
    return settled(identity, draft, `forces a restart ${target} after a change`);
  }
  const change = `Set the force-restart time of ${gates.runtime.name} from ${current} to ${target} (Atom.forceRestartTime ${wantedMs} ms)`;
  return decideSetting(identity, gates, draft, change, {
    kind: 'AtomForceRestartTime',
    forceRestartTime: wantedMs,
  });
}

function settingDraft(
  kind: PinKind,
  name: string,
  wanted: string,
  current: string,
  target: string,
): PinResolution {
  const draft = pinDraft(kind, name, wanted);
  draft.current = current;
  draft.target = target;
  return draft;
}

function settled(identity: PinIdentity, draft: PinResolution, message: string): SettingPlan {
  draft.message = message;
  return { result: pinResult(identity, draft, 'InSync', message), resolution: draft };
}

/** The gates every change passes, in the planner's precedence (pin-outcome.ts), without windows. */
function decideSetting(
  identity: PinIdentity,
  gates: PinGates,
  draft: PinResolution,
  change: string,
  write: SettingWrite,
): SettingPlan {
  draft.message = change;
  const blocked = (reason: PinResult['reason'] & string, message: string, advice: string): SettingPlan => {
    draft.intent = 'Blocked';
    return { result: pinResult(identity, draft, 'Blocked', message, { reason, advice }), resolution: draft };
  };
  if (gates.suspended)
    return blocked(
      'Suspended',
      `${change}; not changed: the AtomVersion is suspended (policy.suspend)`,
      'set policy.suspend: false to reconcile',
    );
  if (gates.observeOnly)
    return blocked(
      'ObserveOnly',
      `${change}; observe mode: the drift is reported, nothing is changed`,
      'set policy.mode: enforce to reconcile',
    );
  const { runtime, principal } = gates;
  if (!runtime.owned)
    return blocked(
      'NotOwned',
      `${change}: not possible, ${runtime.name} runs on a cloud this account does not own (R4)`,
      `remove the setting from the pin; only the cloud's owner sets it`,
    );
  if (!canManageAtoms(principal)) {
    draft.intent = 'Blocked';
    const message = `${change} needs the ATOM_MANAGEMENT privilege, which ${principal.userId} lacks (has ${principal.privileges.join(', ') || 'none'})`;
    return {
      result: pinResult(identity, draft, 'Blocked', message, {
        reason: 'InsufficientPrivilege',
        advice:
          'run atomsync with a credential whose role grants Atom Management, or have such a user make the change',
        needsPrivilege: 'ATOM_MANAGEMENT',
      }),
      resolution: draft,
    };
  }
  return { result: pinResult(identity, draft, 'Configure', change), resolution: draft, write };
}
