// Maintenance windows (policy.windows / config defaultWindows). A window is open when its most recent
// start (a five-field cron in its IANA time zone, UTC when absent) is at or before now and now is before
// start + duration. Allow windows: changes only inside one of them. Deny windows: never inside any.
import { Cron } from 'croner';
import { parseDuration } from './duration.js';
import type { MaintenanceWindow } from './types.js';

export interface WindowVerdict {
  open: boolean;
  /** Why changes must wait (set when closed). */
  message?: string;
  advice?: string;
}

export interface SingleWindowState {
  open: boolean;
  /** When an open window closes. */
  closesAt?: Date;
  /** When a closed window next opens (undefined when the schedule never fires again). */
  opensAt?: Date;
  error?: string;
}

const OPEN: WindowVerdict = { open: true };

/**
 * Evaluates window sets at one instant. Cron parsing and evaluation are cached, so a plan over thousands
 * of AtomVersions sharing the same windows evaluates each distinct window once.
 */
export class WindowEvaluator {
  private readonly schedules = new Map<string, Cron | Error>();
  private readonly windowStates = new Map<string, SingleWindowState>();
  private readonly verdictsBySet = new Map<string, WindowVerdict>();
  private readonly verdictsByArray = new WeakMap<readonly MaintenanceWindow[], WindowVerdict>();

  constructor(private readonly now: Date) {}

  verdict(windows: readonly MaintenanceWindow[]): WindowVerdict {
    if (windows.length === 0) return OPEN;
    const known = this.verdictsByArray.get(windows);
    if (known) return known;
    const setKey = windows.map(windowKey).join('\n');
    let verdict = this.verdictsBySet.get(setKey);
    if (!verdict) {
      verdict = this.combine(windows);
      this.verdictsBySet.set(setKey, verdict);
    }
    this.verdictsByArray.set(windows, verdict);
    return verdict;
  }

  /** The state of one window at `now`. */
  windowState(window: MaintenanceWindow): SingleWindowState {
    const key = windowKey(window);
    let state = this.windowStates.get(key);
    if (!state) {
      state = this.computeState(window);
      this.windowStates.set(key, state);
    }
    return state;
  }

  private combine(windows: readonly MaintenanceWindow[]): WindowVerdict {
    const invalid = windows.find((window) => this.windowState(window).error !== undefined);
    if (invalid) {
      return {
        open: false,
        message: `maintenance window "${invalid.schedule}" is invalid: ${this.windowState(invalid).error}`,
        advice: 'fix the window: a five-field cron schedule, a duration like 4h or 1h30m, an IANA time zone',
      };
    }
    const openDeny = windows.find((window) => window.kind === 'deny' && this.windowState(window).open);
    if (openDeny) return this.insideDeny(openDeny);
    const allows = windows.filter((window) => window.kind === 'allow');
    if (allows.length === 0 || allows.some((window) => this.windowState(window).open)) return OPEN;
    return this.outsideAllows(allows);
  }

  private insideDeny(window: MaintenanceWindow): WindowVerdict {
    const closesAt = this.windowState(window).closesAt;
    return {
      open: false,
      message: `inside the deny window "${window.schedule}" (${zoneOf(window)}) until ${formatInstant(closesAt)}`,
      advice: `the change is planned once the deny window closes at ${formatInstant(closesAt)}`,
    };
  }

  private outsideAllows(allows: readonly MaintenanceWindow[]): WindowVerdict {
    const schedules = allows.map((window) => `"${window.schedule}" (${zoneOf(window)})`).join(', ');
    const next = earliest(allows.map((window) => this.windowState(window).opensAt));
    return {
      open: false,
      message: `outside the allow windows ${schedules}`,
      advice: next
        ? `the change is planned when the next allow window opens at ${formatInstant(next)}`
        : 'no allow window opens again; change policy.windows',
    };
  }

  private computeState(window: MaintenanceWindow): SingleWindowState {
    const durationMs = parseDuration(window.duration);
    if (durationMs === undefined || durationMs <= 0) {
      return {
        open: false,
        error: `duration "${window.duration}" is not a positive duration like 4h or 30m`,
      };
    }
    const schedule = this.schedule(window);
    if (schedule instanceof Error) return { open: false, error: schedule.message };
    try {
      // The first start after (now - duration): if it is not after now, that window is still open.
      const start = schedule.nextRun(new Date(this.now.getTime() - durationMs));
      if (start === null) return { open: false };
      if (start.getTime() <= this.now.getTime()) {
        return { open: true, closesAt: new Date(start.getTime() + durationMs) };
      }
      return { open: false, opensAt: start };
    } catch (error) {
      return { open: false, error: errorMessage(error) };
    }
  }

  private schedule(window: MaintenanceWindow): Cron | Error {
    const key = `${window.schedule}\u0000${zoneOf(window)}`;
    let schedule = this.schedules.get(key);
    if (!schedule) {
      schedule = parseSchedule(window);
      this.schedules.set(key, schedule);
    }
    return schedule;
  }
}

function parseSchedule(window: MaintenanceWindow): Cron | Error {
  if (window.schedule.trim().split(/\s+/).length !== 5) {
    return new Error(
      `schedule "${window.schedule}" must have five cron fields (minute hour day month weekday)`,
    );
  }
  try {
    const schedule = new Cron(window.schedule, { timezone: zoneOf(window) });
    // Time zones are only checked when a date is computed: do it now so a bad zone is reported as such.
    schedule.nextRun(new Date(0));
    return schedule;
  } catch (error) {
    return new Error(errorMessage(error));
  }
}

function zoneOf(window: MaintenanceWindow): string {
  return window.timeZone ?? 'UTC';
}

function windowKey(window: MaintenanceWindow): string {
  return `${window.kind}\u0000${window.schedule}\u0000${window.duration}\u0000${zoneOf(window)}`;
}

function earliest(dates: readonly (Date | undefined)[]): Date | undefined {
  let best: Date | undefined;
  for (const date of dates) if (date && (!best || date.getTime() < best.getTime())) best = date;
  return best;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ISO-8601 without milliseconds: 2026-11-28T21:00:00Z. */
export function formatInstant(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.000Z$/, 'Z') : 'an unknown time';
}
