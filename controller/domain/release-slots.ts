// Pending versions through the release schedule (docs/rules.md, "Pending versions through the schedule"):
// where the platform has no apply action, a RuntimeReleaseSchedule slot is the one documented lever that
// brings a Runtime Release's pending version. This file finds the earliest FIRST/LAST slot inside the pin's
// maintenance windows, and when a schedule's slot of the current window lies.
import { WindowEvaluator, formatInstant } from './windows.js';
import type {
  DayOfWeek,
  MaintenanceWindow,
  ObservedSchedule,
  ReleaseCalendar,
  ScheduleSetting,
} from './types.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** After a slot, the runtime waits for inactivity and restarts: versions are verified this long after it. */
export const SLOT_GRACE_MS = HOUR_MS;

export type SlotChoice =
  /** Set the schedule to `schedule`; with a known calendar it fires at `eta`. */
  | { kind: 'slot'; schedule: ScheduleSetting; eta?: Date; text: string }
  /** No slot before the Platform Release lies in the windows: the Platform Release brings it (R7). */
  | { kind: 'platformRelease'; eta: Date; text: string };

interface Window {
  opens: number;
  release: number;
}

/** The Runtime Release window of the calendar, when it is the current or the next one. */
export function releaseWindow(calendar: ReleaseCalendar | undefined, nowMs: number): Window | undefined {
  if (!calendar) return undefined;
  const opens = Date.parse(calendar.runtimeReleaseWindowOpens);
  const release = Date.parse(calendar.platformRelease);
  if (!Number.isFinite(opens) || !Number.isFinite(release) || release <= nowMs) return undefined;
  return { opens, release };
}

/** The earliest FIRST/LAST slot at or after `now` in which the windows are open. */
export function earliestSlot(
  now: Date,
  calendar: ReleaseCalendar | undefined,
  windows: readonly MaintenanceWindow[],
  timeZone: string,
): SlotChoice {
  const nowMs = now.getTime();
  const window = releaseWindow(calendar, nowMs);
  const firstHour = Math.ceil((nowMs + 1) / HOUR_MS) * HOUR_MS;
  if (!window) {
    // Unknown dates: the first allowed hour of the coming week, in the first week of the next window.
    for (let t = firstHour; t < firstHour + WEEK_MS; t += HOUR_MS) {
      if (!allowed(windows, t)) continue;
      const schedule = settingAt('FIRST', t, timeZone);
      return {
        kind: 'slot',
        schedule,
        text: `${slotText(schedule)}, in the first week of the next Runtime Release window`,
      };
    }
    return {
      kind: 'platformRelease',
      eta: new Date(firstHour + WEEK_MS),
      text: 'no hour of a week lies in the maintenance windows; the Platform Release brings it',
    };
  }
  for (let t = Math.max(firstHour, window.opens); t < window.release; t += HOUR_MS) {
    const week = weekOf(t, window);
    if (week === undefined || !allowed(windows, t)) continue;
    const schedule = settingAt(week, t, timeZone);
    return {
      kind: 'slot',
      schedule,
      eta: new Date(t),
      text: `${slotText(schedule)}, at ${formatInstant(new Date(t))}`,
    };
  }
  return {
    kind: 'platformRelease',
    eta: new Date(window.release),
    text: `no FIRST/LAST slot before the Platform Release lies in the maintenance windows; the Platform Release at ${formatInstant(new Date(window.release))} brings it (R7)`,
  };
}

/** When a FIRST/LAST schedule fires in the calendar's window (undefined for NEVER or unknown dates). */
export function slotInstant(
  schedule: ObservedSchedule | ScheduleSetting | null | undefined,
  calendar: ReleaseCalendar | undefined,
  nowMs: number,
): number | undefined {
  const window = releaseWindow(calendar, nowMs);
  if (!window || !schedule || schedule.scheduleType === 'NEVER') return undefined;
  const [start, end] =
    schedule.scheduleType === 'FIRST'
      ? [window.opens, Math.min(window.opens + WEEK_MS, window.release)]
      : [Math.max(window.release - WEEK_MS, window.opens), window.release];
  const zone = schedule.timeZone ?? 'UTC';
  for (let t = Math.ceil(start / HOUR_MS) * HOUR_MS; t < end; t += HOUR_MS) {
    const local = localTime(t, zone);
    if (local.day === schedule.dayOfWeek?.toUpperCase() && local.hour === schedule.hourOfDay) return t;
  }
  return undefined;
}

function weekOf(t: number, window: Window): 'FIRST' | 'LAST' | undefined {
  if (t < Math.min(window.opens + WEEK_MS, window.release)) return 'FIRST';
  if (t >= window.release - WEEK_MS) return 'LAST';
  return undefined;
}

function allowed(windows: readonly MaintenanceWindow[], t: number): boolean {
  return windows.length === 0 || new WindowEvaluator(new Date(t)).verdict(windows).open;
}

function settingAt(week: 'FIRST' | 'LAST', t: number, timeZone: string): ScheduleSetting {
  const local = localTime(t, timeZone);
  return { scheduleType: week, dayOfWeek: local.day as DayOfWeek, hourOfDay: local.hour, timeZone };
}

function slotText(schedule: ScheduleSetting): string {
  const hour = String(schedule.hourOfDay ?? 0).padStart(2, '0');
  return `${schedule.scheduleType} week, ${schedule.dayOfWeek} ${hour}:00 ${schedule.timeZone}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(ms: number, timeZone: string): { day: string; hour: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { day: (parts['weekday'] ?? '').toUpperCase(), hour: Number(parts['hour']) };
}
