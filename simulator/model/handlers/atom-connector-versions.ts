// AtomConnectorVersions: GET and bulk. The runtime itself is listed as the component `Atom`.
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { findRuntime } from '../lookups.js';
import { wire } from './wire.js';

export function atomConnectorVersionsHandler(core: WorldCore): ObjectHandler {
  return {
    type: 'AtomConnectorVersions',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, id) => {
      const runtime = findRuntime(core.state, ctx.accountId, id);
      if (!runtime) return undefined;
      return wire('AtomConnectorVersions', {
        id: runtime.id,
        ConnectorVersion: Object.entries(runtime.components).map(([name, c]) =>
          wire('ConnectorVersion', { name, version: c.version }),
        ),
      });
    },
  };
}
