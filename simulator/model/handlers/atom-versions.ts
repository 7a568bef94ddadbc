// AtomVersions (atomsync extension): per component the current, pending and rollback versions (R2/R3),
// the source of the pending version, what Atom version it needs (R9) and the request covering it (R6).
import type { ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { findRuntime } from '../lookups.js';
import { componentViews, runtimeReleaseWindowOpen } from '../runtime-versions.js';
import type { RuntimeRecord } from '../state.js';
import { ViewCache } from '../view-cache.js';
import { wire } from './wire.js';

export function atomVersionsHandler(core: WorldCore): ObjectHandler {
  const views = new ViewCache<WireObject>(core);
  return {
    type: 'AtomVersions',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, atomId) => {
      const runtime = findRuntime(core.state, ctx.accountId, atomId);
      if (!runtime) return undefined;
      const nowMs = core.nowMs();
      // Time matters to the versions only through the Runtime Release window (componentViews).
      const windowOpen = runtimeReleaseWindowOpen(core.state.calendar, nowMs);
      return views.get(runtime.id, windowOpen, () => atomVersionsWire(core, runtime, nowMs));
    },
  };
}

function atomVersionsWire(core: WorldCore, runtime: RuntimeRecord, nowMs: number): WireObject {
  return wire('AtomVersions', {
    atomId: runtime.id,
    // The views are fresh objects: wire() can take them as they are.
    AtomVersion: componentViews(core.state, runtime, nowMs).map((view) => wire('AtomVersion', view)),
  });
}
