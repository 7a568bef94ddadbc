// RuntimeReleaseSchedule: GET, bulk, UPDATE (CREATE behaves as UPDATE) and DELETE (back to NEVER) — R8.
import type { ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { findRuntime, requireRuntime } from '../lookups.js';
import { deleteSchedule, scheduleOf, updateSchedule } from '../release-schedule.js';
import type { ScheduleRecord } from '../state.js';
import { wire } from './wire.js';

export function runtimeReleaseScheduleHandler(core: WorldCore): ObjectHandler {
  return {
    type: 'RuntimeReleaseSchedule',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, atomId) => {
      const runtime = findRuntime(core.state, ctx.accountId, atomId);
      return runtime && scheduleWire(scheduleOf(core.state, runtime.id));
    },
    update: (ctx, atomId, body) =>
      scheduleWire(updateSchedule(core, ctx, requireRuntime(core.state, ctx.accountId, atomId), body)),
    delete: (ctx, atomId) => deleteSchedule(core, ctx, requireRuntime(core.state, ctx.accountId, atomId)),
    create: (ctx, body) => ({
      status: 200,
      body: scheduleWire(
        updateSchedule(core, ctx, requireRuntime(core.state, ctx.accountId, body['atomId']), body),
      ),
    }),
  };
}

/** Boomi's schema requires dayOfWeek and timeZone even for NEVER; a schedule never set shows these. */
const UNSET_DAY = 'SUNDAY';
const UNSET_TIME_ZONE = 'Etc/UTC';

function scheduleWire(schedule: ScheduleRecord): WireObject {
  return wire('RuntimeReleaseSchedule', {
    atomId: schedule.atomId,
    scheduleType: schedule.scheduleType,
    dayOfWeek: schedule.dayOfWeek ?? UNSET_DAY,
    hourOfDay: schedule.hourOfDay,
    timeZone: schedule.timeZone ?? UNSET_TIME_ZONE,
  });
}
