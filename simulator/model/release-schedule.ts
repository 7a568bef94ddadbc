// R8: a RuntimeReleaseSchedule applies pending Runtime Release updates automatically, in the FIRST or LAST
// week of the Runtime Release window, on a day and hour in the schedule's time zone; NEVER means the runtime
// simply moves with the Platform Release. Only runtimes the account owns.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement, requireOwned } from './access.js';
import { PLATFORM_USER } from './audit.js';
import type { WorldCore } from './core.js';
import { EVENT_ORDER, type ModelEvent } from './events.js';
import { isOwned } from './lookups.js';
import { compareVersions, componentViews, RUNTIME_COMPONENT } from './runtime-versions.js';
import type { RuntimeRecord, ScheduleRecord, ScheduleType, WorldState, VersionTarget } from './state.js';
import { openVersionRequest } from './version-requests.js';

const DAYS_OF_WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
const SCHEDULE_TYPES: readonly ScheduleType[] = ['NEVER', 'FIRST', 'LAST'];
const WEEK_MS = 7 * 24 * 3_600_000;
const STEP_MS = 15 * 60_000;

export function scheduleOf(state: WorldState, atomId: string): ScheduleRecord {
  return state.schedules[atomId] ?? { atomId, scheduleType: 'NEVER', updatedAt: state.clock.start };
}

export function updateSchedule(
  core: WorldCore,
  ctx: CallContext,
  runtime: RuntimeRecord,
  body: Record<string, unknown>,
): ScheduleRecord {
  requireAtomManagement(ctx, `Changing the release schedule of runtime "${runtime.name}"`);
  requireOwned(core.state, runtime);
  if (body['atomId'] !== undefined && body['atomId'] !== runtime.id) {
    throw new SimError(
      400,
      `atomId ${String(body['atomId'])} does not match the schedule's runtime ${runtime.id}.`,
    );
  }
  const schedule = parseSchedule(runtime.id, body, core.nowIso());
  core.state.schedules[runtime.id] = schedule;
  auditScheduleSave(core, ctx, runtime, `is now ${describeSchedule(schedule)}`);
  return schedule;
}

/** RuntimeReleaseSchedule DELETE: the runtime is back on NEVER (Boomi's table: `as.atom.rc_schedule` SAVE). */
export function deleteSchedule(core: WorldCore, ctx: CallContext, runtime: RuntimeRecord): void {
  requireAtomManagement(ctx, `Deleting the release schedule of runtime "${runtime.name}"`);
  requireOwned(core.state, runtime);
  delete core.state.schedules[runtime.id];
  auditScheduleSave(core, ctx, runtime, 'deleted: it now takes updates with the Platform Release');
}

/** Setting and deleting a schedule are both `as.atom.rc_schedule` SAVE in Boomi's table. */
function auditScheduleSave(core: WorldCore, ctx: CallContext, runtime: RuntimeRecord, what: string): void {
  core.audit({
    accountId: runtime.accountId,
    userId: ctx.userId,
    type: 'as.atom.rc_schedule',
    action: 'SAVE',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" release schedule ${what}.`,
  });
}

/** Validates a schedule (API body or scenario entry); throws SimError 400 naming the field. */
export function parseSchedule(
  atomId: string,
  body: Record<string, unknown>,
  updatedAt: string,
): ScheduleRecord {
  const scheduleType = body['scheduleType'];
  if (!SCHEDULE_TYPES.includes(scheduleType as ScheduleType)) {
    throw new SimError(
      400,
      `scheduleType must be one of ${SCHEDULE_TYPES.join(', ')}; got ${JSON.stringify(scheduleType ?? null)}.`,
    );
  }
  const schedule: ScheduleRecord = { atomId, scheduleType: scheduleType as ScheduleType, updatedAt };
  const needed = scheduleType !== 'NEVER';
  const day = body['dayOfWeek'];
  if (day !== undefined || needed) {
    const upper = typeof day === 'string' ? day.toUpperCase() : '';
    if (!(DAYS_OF_WEEK as readonly string[]).includes(upper)) {
      throw new SimError(
        400,
        `dayOfWeek must be one of ${DAYS_OF_WEEK.join(', ')} when scheduleType is ${String(scheduleType)}.`,
      );
    }
    schedule.dayOfWeek = upper;
  }
  const hour = body['hourOfDay'];
  if (hour !== undefined || needed) {
    if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23) {
      throw new SimError(
        400,
        `hourOfDay must be a whole number from 0 to 23 when scheduleType is ${String(scheduleType)}.`,
      );
    }
    schedule.hourOfDay = hour;
  }
  const timeZone = body['timeZone'];
  if (timeZone !== undefined || needed) {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
      throw new SimError(
        400,
        `timeZone must be a valid IANA time zone (e.g. Europe/Berlin); got ${JSON.stringify(timeZone ?? null)}.`,
      );
    }
    schedule.timeZone = timeZone;
  }
  return schedule;
}

export function scheduleEvents(core: WorldCore): ModelEvent[] {
  const { platformReleaseAt, runtimeReleaseWindowOpensAt } = core.state.calendar;
  if (platformReleaseAt === null || runtimeReleaseWindowOpensAt === null) return [];
  const window = { opens: Date.parse(runtimeReleaseWindowOpensAt), release: Date.parse(platformReleaseAt) };
  return Object.values(core.state.schedules).flatMap((schedule) => {
    const runtime = core.state.runtimes[schedule.atomId];
    if (!runtime || !isOwned(core.state, runtime) || schedule.appliedForRelease === platformReleaseAt)
      return [];
    const at = scheduledInstant(schedule, window.opens, window.release);
    if (at === undefined) return [];
    return [
      {
        at,
        order: EVENT_ORDER.releaseSchedule,
        kind: 'release-schedule',
        description: `runtime "${runtime.name}" applies pending Runtime Release updates (${describeSchedule(schedule)})`,
        run: () => applyOnSchedule(core, runtime, schedule, platformReleaseAt),
      },
    ];
  });
}

function applyOnSchedule(
  core: WorldCore,
  runtime: RuntimeRecord,
  schedule: ScheduleRecord,
  releaseAt: string,
): void {
  schedule.appliedForRelease = releaseAt;
  const targets = scheduledTargets(core, runtime);
  if (targets.length > 0) openVersionRequest(core, runtime, 'APPLY_PENDING', targets, PLATFORM_USER);
}

/** Every Runtime Release pending version not yet covered by a request, minus connectors R9 would refuse. */
function scheduledTargets(core: WorldCore, runtime: RuntimeRecord): VersionTarget[] {
  const views = componentViews(core.state, runtime, core.nowMs()).filter(
    (v) => v.pendingVersion !== undefined && v.pendingSource === 'RUNTIME_RELEASE',
  );
  const atomView = views.find((v) => v.name === RUNTIME_COMPONENT);
  const atomAfter = atomView?.pendingVersion ?? runtime.components[RUNTIME_COMPONENT]?.version ?? '0';
  return views
    .filter(
      (v) =>
        v.pendingRequiresAtomVersion === undefined ||
        compareVersions(atomAfter, v.pendingRequiresAtomVersion) >= 0,
    )
    .map((v) => ({ name: v.name, fromVersion: v.version, toVersion: v.pendingVersion! }));
}

/** The first instant in the schedule's week at dayOfWeek hourOfDay:00 local time, not before it was set. */
function scheduledInstant(schedule: ScheduleRecord, opensMs: number, releaseMs: number): number | undefined {
  if (schedule.scheduleType === 'NEVER' || schedule.timeZone === undefined) return undefined;
  const [start, end] =
    schedule.scheduleType === 'FIRST'
      ? [opensMs, Math.min(opensMs + WEEK_MS, releaseMs)]
      : [Math.max(releaseMs - WEEK_MS, opensMs), releaseMs];
  const from = Math.ceil(Math.max(start, Date.parse(schedule.updatedAt)) / STEP_MS) * STEP_MS;
  const key = `${schedule.dayOfWeek}|${schedule.hourOfDay}|${schedule.timeZone}|${from}|${end}`;
  if (instantCache.has(key)) return instantCache.get(key);
  let found: number | undefined;
  for (let t = from; t < end; t += STEP_MS) {
    const local = localTime(t, schedule.timeZone);
    if (local.day === schedule.dayOfWeek && local.hour === schedule.hourOfDay && local.minute === 0) {
      found = t;
      break;
    }
  }
  if (instantCache.size > 1000) instantCache.clear();
  instantCache.set(key, found);
  return found;
}

const instantCache = new Map<string, number | undefined>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(ms: number, timeZone: string): { day: string; hour: number; minute: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    day: (parts['weekday'] ?? '').toUpperCase(),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
  };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function describeSchedule(schedule: ScheduleRecord): string {
  if (schedule.scheduleType === 'NEVER') return 'NEVER (updates come with the Platform Release)';
  const hour = String(schedule.hourOfDay ?? 0).padStart(2, '0');
  return `${schedule.scheduleType} week, ${schedule.dayOfWeek} ${hour}:00 ${schedule.timeZone}`;
}
