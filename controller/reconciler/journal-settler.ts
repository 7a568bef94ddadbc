// Settles the request journal's entries of one AtomVersion before its pass plans anything:
// - an entry with a platform id is polled once (through a RequestStatusBoard when given: the account's
//   requests read in bulk): terminal → completed, else still in flight;
// - an entry without one (the process died between intend and record) is looked up on the platform
//   (findOutstandingVersionRequest / findOutstandingPackRequest). Found → recorded and followed. Not
//   found → completed as NotOutstanding: it was never sent or already finished, and the next plan, made
//   from what the platform shows, decides whether anything is still to do. Never re-sent blindly.
// A platform error propagates: the pass fails and is retried, and nothing is sent meanwhile.
import {
  findOutstandingPackRequest,
  findOutstandingVersionRequest,
  isTerminal,
  readRequestStatus,
} from '../platform/execute.js';
import type { AtomSphereClient } from '../platform/client.js';
import { NotFoundError } from '../platform/errors.js';
import type { UpdateRequestStatus } from '../platform/wire.js';
import type { JournalEntry, RequestJournal } from './request-journal.js';
import type { BoardStatus } from './request-status-board.js';

/** Reads one recorded request's status (NotFound: the platform does not know the id). */
export type StatusReader = (entry: JournalEntry & { platformRequestId: string }) => Promise<BoardStatus>;

export interface InFlightRequest extends JournalEntry {
  platformRequestId: string;
  status: UpdateRequestStatus;
}

export interface FinishedRequest {
  entry: JournalEntry;
  /** The platform's final status, or NotOutstanding / NotFound / Abandoned. */
  status: string;
}

export interface SettleResult {
  inFlight: InFlightRequest[];
  finished: FinishedRequest[];
}

/** Final statuses that mean the request did what it was asked. */
export function succeeded(status: string): boolean {
  return status === 'COMPLETE';
}

/** Final statuses after which sending again would repeat a failure. */
export function failed(status: string): boolean {
  return status === 'FAILED';
}

export async function settleJournal(
  journal: RequestJournal,
  key: string,
  clientFor: (accountId: string) => AtomSphereClient | undefined,
  readStatus?: StatusReader,
): Promise<SettleResult> {
  const result: SettleResult = { inFlight: [], finished: [] };
  for (const entry of journal.outstandingOf(key)) {
    const client = clientFor(entry.accountId);
    const state: RequestState = client
      ? await currentState(journal, client, entry, readStatus ?? readOne(client))
      : { final: 'Abandoned' };
    if ('open' in state) {
      result.inFlight.push({ ...entry, platformRequestId: state.id, status: state.open });
      continue;
    }
    await journal.complete(entry.intentId, state.final);
    result.finished.push({ entry, status: state.final });
  }
  return result;
}

const SETTING_KINDS: ReadonlySet<string> = new Set(['RuntimeReleaseSchedule', 'AtomForceRestartTime']);

type RequestState = { open: UpdateRequestStatus; id: string } | { final: string };

async function currentState(
  journal: RequestJournal,
  client: AtomSphereClient,
  entry: JournalEntry,
  readStatus: StatusReader,
): Promise<RequestState> {
  // A reattach is finished when its send returns; an entry left behind means the process died inside it.
  // Setting writes likewise; the next plan compares the setting with the pin again.
  if (entry.kind === 'ReattachPack' || SETTING_KINDS.has(entry.kind)) return { final: 'Unknown' };
  let id = entry.platformRequestId;
  let status: UpdateRequestStatus;
  if (id === undefined) {
    const found = await findSent(client, entry);
    if (!found?.id) return { final: 'NotOutstanding' };
    id = found.id;
    await journal.record(entry.intentId, id);
    status = found.status ?? 'ACCEPTED';
  } else {
    const read = await readStatus({ ...entry, platformRequestId: id });
    if (read === 'NotFound') return { final: 'NotFound' };
    status = read;
  }
  return isTerminal(status) ? { final: status } : { open: status, id };
}

function readOne(client: AtomSphereClient): StatusReader {
  return async (entry) => {
    try {
      return await readRequestStatus(client, {
        kind: entry.kind,
        id: entry.platformRequestId,
        status: 'ACCEPTED',
      });
    } catch (error) {
      if (error instanceof NotFoundError) return 'NotFound';
      throw error;
    }
  };
}

async function findSent(
  client: AtomSphereClient,
  entry: JournalEntry,
): Promise<{ id?: string; status?: UpdateRequestStatus } | undefined> {
  if (entry.kind === 'IntegrationPackPendingUpdateRequest')
    return findOutstandingPackRequest(client, entry.runtimeId);
  if (!entry.action) return undefined;
  return findOutstandingVersionRequest(client, {
    runtimeId: entry.runtimeId,
    action: entry.action,
    components: entry.components,
  });
}
