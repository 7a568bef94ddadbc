// IntegrationPackVersions (atomsync extension): GET by atomId and bulk →
// {atomId, IntegrationPackVersion:[…]}, one entry per pack instance of the runtime's account (R11–R14).
import type { ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { findRuntime } from '../lookups.js';
import { packViews } from '../packs.js';
import type { RuntimeRecord } from '../state.js';
import { ViewCache } from '../view-cache.js';
import { wire } from './wire.js';

export function integrationPackVersionsHandler(core: WorldCore): ObjectHandler {
  const views = new ViewCache<WireObject>(core);
  return {
    type: 'IntegrationPackVersions',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, atomId) => {
      const runtime = findRuntime(core.state, ctx.accountId, atomId);
      if (!runtime) return undefined;
      // The pack views depend on the state alone, not on the time.
      return views.get(runtime.id, '', () => packVersionsWire(core, runtime));
    },
  };
}

function packVersionsWire(core: WorldCore, runtime: RuntimeRecord): WireObject {
  return wire('IntegrationPackVersions', {
    atomId: runtime.id,
    IntegrationPackVersion: packViews(core.state, runtime).map((view) =>
      wire('IntegrationPackVersion', { ...view, environmentIds: [...view.environmentIds] }),
    ),
  });
}
