// R7: at the Platform Release every runtime moves to the released versions (no opt-out): each pending
// version becomes the released one, every runtime runs it, pending and rollback versions clear, and update
// requests still outstanding are SUPERSEDED.
import { PLATFORM_USER } from './audit.js';
import type { WorldCore } from './core.js';
import { EVENT_ORDER, type ModelEvent } from './events.js';
import { outstandingRequests } from './lookups.js';
import { setStatus } from './request-status.js';
import type { AuditProperty, RuntimeRecord } from './state.js';

export function platformReleaseEvents(core: WorldCore): ModelEvent[] {
  const at = core.state.calendar.platformReleaseAt;
  if (at === null) return [];
  return [
    {
      at: Date.parse(at),
      order: EVENT_ORDER.platformRelease,
      kind: 'platform-release',
      description: `Platform Release ${at}`,
      run: () => runPlatformRelease(core),
    },
  ];
}

function runPlatformRelease(core: WorldCore): void {
  const releaseAt = core.state.calendar.platformReleaseAt;
  for (const component of Object.values(core.state.calendar.components)) {
    if (component.pending === undefined) continue;
    component.released = component.pending;
    delete component.pending;
    delete component.pendingSource;
    delete component.requiresAtomVersion;
  }
  for (const runtime of Object.values(core.state.runtimes))
    moveToReleased(core, runtime, releaseAt ?? core.nowIso());
  core.state.calendar.platformReleaseAt = null;
  core.state.calendar.runtimeReleaseWindowOpensAt = null;
}

function moveToReleased(core: WorldCore, runtime: RuntimeRecord, releaseAt: string): void {
  for (const request of outstandingRequests(core.state, runtime.id)) {
    if (request.kind !== 'AtomVersionUpdateRequest') continue;
    request.message = `The Platform Release of ${releaseAt} moved every runtime to the released versions first.`;
    setStatus(core, request, 'SUPERSEDED');
  }
  runtime.restart = null;
  const now = core.nowIso();
  const changes: AuditProperty[] = [];
  for (const [name, current] of Object.entries(runtime.components)) {
    const released = core.state.calendar.components[name]?.released;
    if (released === undefined || current.version === released) continue;
    changes.push({ name, previousValue: current.version, value: released });
    current.version = released;
    current.lastUpdated = now;
  }
  core.audit({
    accountId: runtime.accountId,
    userId: PLATFORM_USER,
    type: 'as.atom.version',
    action: 'PLATFORM_RELEASE',
    containerId: runtime.id,
    message:
      changes.length > 0
        ? `Platform Release moved runtime "${runtime.name}" to ${changes.map((c) => `${c.name} ${c.value}`).join(', ')}.`
        : `Platform Release: runtime "${runtime.name}" already ran the released versions.`,
    properties: changes,
  });
}
