// IntegrationPackVersions (atomsync extension): GET by atomId and bulk →
// {atomId, IntegrationPackVersion:[…]}, one entry per pack instance of the runtime's account (R11–R14).
import type { ObjectHandler } from '../../http/object-handler.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { ModelCore } from '../core.js';
import { findRuntime } from '../lookups.js';
import { packViews } from '../packs.js';
import { wire } from './wire.js';

export function integrationPackVersionsHandler(core: ModelCore): ObjectHandler {
  return {
    type: 'IntegrationPackVersions',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, atomId) => {
      const runtime = findRuntime(core.state, ctx.accountId, atomId);
      if (!runtime) return undefined;
      return wire('IntegrationPackVersions', {
        atomId: runtime.id,
        IntegrationPackVersion: packViews(core.state, runtime).map((view) =>
          wire('IntegrationPackVersion', { ...view, environmentIds: [...view.environmentIds] }),
        ),
      });
    },
  };
}
