// RuntimeRestartRequest: CREATE {runtimeId}. The runtime restarts node by node now, taking along any
// update requests waiting for inactivity. Cloud attachments cannot be restarted (R4).
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, requireAtomManagement, requireOwned, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { requireRuntime } from '../lookups.js';
import { requestRestart } from '../restarts.js';
import { wire } from './wire.js';

export function runtimeRestartRequestHandler(core: WorldCore): ObjectHandler {
  return {
    type: 'RuntimeRestartRequest',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    create: (ctx, body) => {
      const runtime = requireRuntime(core.state, ctx.accountId, body['runtimeId']);
      requireAtomManagement(ctx, `Restarting runtime "${runtime.name}"`);
      requireOwned(core.state, runtime);
      requestRestart(core, runtime, ctx.userId);
      return {
        status: 200,
        body: wire('RuntimeRestartRequest', {
          // The document's example also shows statusCode, which its schema does not have: the schema wins.
          runtimeId: runtime.id,
          message: `Restart request submitted for runtimeId \`${runtime.id}\`. Use the Atom object to retrieve the current runtime status.`,
        }),
      };
    },
  };
}
