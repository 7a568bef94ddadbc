// Sending one AtomVersion's planned requests: through executeRequests (its first wave only, never followed
// here), with the request journal around each one — intend before sending, record the platform's id as
// soon as it answers, complete at once when the request is already final (a pack reattach). The pins a
// sent request covers are marked Waiting with its id.
import type { Logger } from 'pino';
import type { PlannedRequest } from '../domain/types.js';
import { isTerminal, type SentRequest } from '../platform/execute.js';
import type { AccountTarget } from '../platform/observe.js';
import { executeRequests } from '../pipeline/execute-requests.js';
import type { RequestJournal } from './request-journal.js';
import { restartsRuntime, type RestartGate } from './restart-gate.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { PinStatus, ReconcileAction } from '../domain/status.js';

export interface SendDeps {
  targets: ReadonlyMap<string, AccountTarget>;
  journal: RequestJournal;
  gate: RestartGate;
  cache: SnapshotCache;
  pollMs: number;
  now: () => Date;
  logger: Logger;
}

export interface SendRequest {
  key: string;
  accountId: string;
  revision: string;
}

export interface SendResult {
  /** Requests the platform accepted, with their ids. */
  actions: ReconcileAction[];
  /** Why some could not be sent (they stay in the journal without an id when they may have arrived). */
  error?: string;
  /**
   * Nothing was accepted and the platform refused every failed request as such (HTTP 400): sending the
   * same requests again cannot succeed.
   */
  refused?: boolean;
}

/** A platform answer that refuses the request itself, not the moment: retrying it cannot help. */
const PERMANENT_REFUSAL_STATUS = 400;

export async function sendChanges(
  deps: SendDeps,
  pass: SendRequest,
  changes: PlannedRequest[],
  pins: PinStatus[],
): Promise<SendResult> {
  const { journal, gate, cache } = deps;
  const intents = new Map<PlannedRequest, string>();
  // A version request changes only its runtime; pack requests and reattaches may show on others too.
  const runtimeIds = changes.every(restartsRuntime)
    ? [...new Set(changes.map((change) => change.runtimeId))]
    : undefined;
  cache.invalidate(pass.accountId, runtimeIds);
  const result = await executeRequests([...deps.targets.values()], changes, {
    waitForLastWave: false,
    deadline: 0,
    pollMs: deps.pollMs,
    beforeSend: async (request) => {
      const entry = await journal.intend({
        key: pass.key,
        accountId: request.accountId,
        runtimeId: request.runtimeId,
        kind: request.kind,
        ...(request.action ? { action: request.action } : {}),
        components: request.components,
      });
      intents.set(request, entry.intentId);
    },
    afterSend: async (request, sent: SentRequest) => {
      const intentId = intents.get(request);
      if (!intentId) return;
      await journal.record(intentId, sent.id);
      if (isTerminal(sent.status)) {
        await journal.complete(intentId, sent.status);
        gate.finished(request.runtimeId);
      }
    },
  });
  cache.invalidate(pass.accountId, runtimeIds);
  const actions: ReconcileAction[] = [];
  const errors: string[] = [];
  for (const outcome of result.outcomes) {
    const { request } = outcome;
    if (outcome.id !== undefined) {
      actions.push(actionOf(request, outcome.id));
      markWaiting(pins, request, outcome.id);
    }
    if (outcome.error !== undefined) errors.push(`${request.runtimeName}: ${outcome.error}`);
    // The gate reserved a restart slot at admission; a request that never went out frees it.
    if (outcome.id === undefined && restartsRuntime(request)) gate.finished(request.runtimeId);
  }
  if (actions.length > 0) gate.clearTestChange(pass.key);
  deps.logger.info(
    { key: pass.key, revision: pass.revision, actions, errors },
    actions.length > 0 ? 'sent requests to the platform' : 'could not send requests',
  );
  if (errors.length === 0) return { actions };
  const failures = result.outcomes.filter((outcome) => outcome.error !== undefined);
  const refused =
    actions.length === 0 && failures.every((outcome) => outcome.errorStatus === PERMANENT_REFUSAL_STATUS);
  return { actions, error: errors.join('; '), ...(refused ? { refused } : {}) };
}

function markWaiting(pins: PinStatus[], request: PlannedRequest, requestId: string): void {
  const packRequest = request.kind !== 'AtomVersionUpdateRequest';
  for (const pin of pins) {
    if (pin.outcome === 'InSync' || pin.outcome === 'Blocked' || pin.outcome === 'Waiting') continue;
    if ((pin.kind === 'pack') !== packRequest || !request.components.includes(pin.name)) continue;
    pin.outcome = 'Waiting';
    pin.requestId = requestId;
    pin.message = `${pin.message}; request ${requestId} sent`;
  }
}

function actionOf(request: PlannedRequest, requestId: string): ReconcileAction {
  return {
    kind: request.kind,
    ...(request.action ? { action: request.action } : {}),
    runtimeName: request.runtimeName,
    components: request.components,
    requestId,
  };
}
