// Restarts the platform already has in progress when `apply` starts: runtimes it shows RESTARTING, and
// runtimes with a version request not yet finished (ours from a run that was killed, or anyone's). Waves
// start only once these are over, so a rerun after a crash never has more than maxConcurrentRestarts
// runtimes restarting at once and never starts PROD while a TEST runtime from the earlier run restarts.
// Read from the snapshot the plan was made from: no extra calls to find them, one call per runtime per
// poll to follow them.
import type { Snapshot } from '../domain/types.js';
import type { AtomSphereClient } from '../platform/client.js';
import { isTerminal } from '../platform/execute.js';
import { NotFoundError } from '../platform/errors.js';
import type { Atom, UpdateRequestStatus } from '../platform/wire.js';

export interface RestartInProgress {
  accountId: string;
  runtimeId: string;
  runtimeName: string;
  /** Version requests in progress on the runtime (empty when only its RESTARTING status shows it). */
  requestIds: string[];
}

export function restartsInProgress(snapshot: Snapshot): RestartInProgress[] {
  return Object.values(snapshot.accounts).flatMap((account) =>
    account.runtimes
      .map((runtime) => ({
        accountId: account.accountId,
        runtimeId: runtime.id,
        runtimeName: runtime.name,
        restarting: runtime.restarting === true,
        requestIds: runtime.outstanding
          .filter((request) => request.kind === 'AtomVersionUpdateRequest')
          .map((request) => request.id),
      }))
      .filter((runtime) => runtime.restarting || runtime.requestIds.length > 0)
      .map(({ restarting: _restarting, ...runtime }) => runtime),
  );
}

export interface WaitOptions {
  pollMs: number;
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Polls until none of the runtimes restarts any more; false when the deadline comes first. */
export async function waitForRestarts(
  clients: ReadonlyMap<string, AtomSphereClient>,
  restarts: readonly RestartInProgress[],
  options: WaitOptions,
): Promise<boolean> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let open = [...restarts];
  for (;;) {
    const still: RestartInProgress[] = [];
    for (const restart of open) {
      const client = clients.get(restart.accountId);
      if (client && (await stillRestarting(client, restart))) still.push(restart);
    }
    open = still;
    if (open.length === 0) return true;
    if (Date.now() >= options.deadline) return false;
    await sleep(options.pollMs);
  }
}

async function stillRestarting(client: AtomSphereClient, restart: RestartInProgress): Promise<boolean> {
  for (const id of restart.requestIds) {
    const request = await client
      .get<{ status?: UpdateRequestStatus }>('AtomVersionUpdateRequest', id, {
        status: { optional: 'string' },
      })
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return { status: 'COMPLETE' as const };
        throw error;
      });
    if (!isTerminal(request.status ?? 'ACCEPTED')) return true;
  }
  const atom = await client.get<Atom>('Atom', restart.runtimeId, { statusDetail: { optional: 'string' } });
  return atom.statusDetail === 'RESTARTING';
}
