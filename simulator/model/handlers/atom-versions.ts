// AtomVersions (atomsync extension): per component the current, pending and rollback versions (R2/R3),
// the source of the pending version, what Atom version it needs (R9) and the request covering it (R6).
import type { ObjectHandler } from '../../http/object-handler.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { ModelCore } from '../core.js';
import { findRuntime } from '../lookups.js';
import { componentViews } from '../runtime-versions.js';
import { wire } from './wire.js';

export function atomVersionsHandler(core: ModelCore): ObjectHandler {
  return {
    type: 'AtomVersions',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, atomId) => {
      const runtime = findRuntime(core.state, ctx.accountId, atomId);
      if (!runtime) return undefined;
      return wire('AtomVersions', {
        atomId: runtime.id,
        AtomVersion: componentViews(core.state, runtime, core.nowMs()).map((view) =>
          wire('AtomVersion', { ...view }),
        ),
      });
    },
  };
}
