// Executes planned requests wave by wave (`apply`: a whole plan's; the controller: one AtomVersion's first
// wave, with its journal hooks): every request of a wave is sent, then followed to its end
// before the next wave starts, so TEST runtimes finish before PROD ones begin and no more than
// maxConcurrentRestarts runtimes restart at once. A wave with a failure stops the waves after it.
import type { PlannedRequest } from '../domain/types.js';
import type { AtomSphereClient } from '../platform/client.js';
import { PlatformError } from '../platform/errors.js';
import { unmetExpectations } from '../domain/expectations.js';
import { describeRequest, follow, isTerminal, sendPlannedRequest } from '../platform/execute.js';
import type { SentRequest } from '../platform/execute.js';
import { rereadRuntimes, type AccountTarget } from '../platform/observe.js';
import type { UpdateRequestStatus } from '../platform/wire.js';
import { waitForRestarts, type RestartInProgress } from './platform-restarts.js';

export type ExecutionEvent =
  | { type: 'sent'; request: PlannedRequest; id: string; status: UpdateRequestStatus }
  | { type: 'status'; request: PlannedRequest; id: string; status: UpdateRequestStatus }
  | { type: 'error'; request: PlannedRequest; message: string }
  | { type: 'skipped'; request: PlannedRequest; message: string };

export interface ExecuteOptions {
  waitForLastWave: boolean;
  deadline: number;
  pollMs: number;
  onEvent?: (event: ExecutionEvent) => void;
  /** Called before a request is sent and after the platform answered (journal hooks for the controller). */
  beforeSend?: (request: PlannedRequest) => Promise<void>;
  afterSend?: (request: PlannedRequest, sent: SentRequest) => Promise<void>;
  /** Restarts the platform showed in progress when the plan was made: waves wait for them to end. */
  restartsInProgress?: readonly RestartInProgress[];
  /** Told once when the waves wait for restarts already in progress. */
  onWaiting?: (message: string) => void;
}

export interface ExecutionResult {
  sent: number;
  completed: number;
  failed: number;
  timedOut: number;
  skipped: number;
  outcomes: {
    request: PlannedRequest;
    id?: string;
    status?: UpdateRequestStatus;
    error?: string;
    /** The platform's HTTP status when it answered the request with an error (400: refused as such). */
    errorStatus?: number;
    /** The request was followed to its end (or to the deadline). */
    followed?: boolean;
    /** Not sent because an earlier wave or request did not succeed. */
    skipped?: boolean;
  }[];
  summary: string;
}

export async function executeRequests(
  targets: readonly AccountTarget[],
  requests: readonly PlannedRequest[],
  options: ExecuteOptions,
): Promise<ExecutionResult> {
  const clients = new Map(targets.map((t) => [t.accountId, t.client] as const));
  const waves = groupByWave(requests);
  const result: ExecutionResult = emptyResult();
  let stopped = !(await restartsInProgressEnded(clients, requests, options));
  for (const [index, wave] of waves.entries()) {
    if (stopped) {
      const why =
        index === 0 ? 'runtimes were still restarting on the platform' : 'an earlier wave did not complete';
      for (const request of wave) skip(result, request, why, options);
      continue;
    }
    const follows = index < waves.length - 1 || options.waitForLastWave;
    // The first wave goes out right after the plan was read; later ones only after a fresh read.
    const moved = index === 0 ? new Map<PlannedRequest, string>() : await movedSincePlan(clients, wave);
    const perRuntime = await Promise.all(
      byRuntime(wave).map((runtimeRequests) =>
        runRuntime(clients, runtimeRequests, { follows, moved }, options),
      ),
    );
    const outcomes = perRuntime.flat();
    for (const outcome of outcomes) record(result, outcome);
    stopped = outcomes.some((o) => o.error !== undefined || (follows && o.status !== 'COMPLETE'));
  }
  result.summary = summarize(result);
  return result;
}

type Outcome = ExecutionResult['outcomes'][number];

/** Waits (until the deadline) for the platform's restarts in progress when the plan restarts anything. */
async function restartsInProgressEnded(
  clients: ReadonlyMap<string, AtomSphereClient>,
  requests: readonly PlannedRequest[],
  options: ExecuteOptions,
): Promise<boolean> {
  const restarts = options.restartsInProgress ?? [];
  const restartsAny = requests.some((request) => request.kind === 'AtomVersionUpdateRequest');
  if (restarts.length === 0 || !restartsAny) return true;
  const names = restarts.map((restart) => restart.runtimeName).join(', ');
  options.onWaiting?.(`waiting for restarts already in progress on the platform to end: ${names}`);
  return waitForRestarts(clients, restarts, { pollMs: options.pollMs, deadline: options.deadline });
}

/**
 * Reads the wave's runtimes again (one observe per account: AtomVersions and, for pack requests,
 * IntegrationPackVersions in bulk) and returns why each request whose expectation no longer holds must
 * not be sent.
 */
async function movedSincePlan(
  clients: ReadonlyMap<string, AtomSphereClient>,
  wave: readonly PlannedRequest[],
): Promise<Map<PlannedRequest, string>> {
  const moved = new Map<PlannedRequest, string>();
  const checked = wave.filter((request) => (request.expected ?? []).length > 0);
  for (const [accountId, requests] of groupBy(checked, (request) => request.accountId)) {
    const client = clients.get(accountId);
    if (!client) continue;
    const ids = unique(requests.map((r) => r.runtimeId));
    const withPacks = unique(
      requests.filter((r) => r.kind !== 'AtomVersionUpdateRequest').map((r) => r.runtimeId),
    );
    try {
      const now = await rereadRuntimes(client, ids, withPacks);
      for (const request of requests) {
        const unmet = unmetExpectations(request, now.get(request.runtimeId));
        if (unmet.length > 0) moved.set(request, movedMessage(request, unmet));
      }
    } catch (err) {
      const why = `could not read the runtime again before sending: ${err instanceof Error ? err.message : String(err)}`;
      for (const request of requests) moved.set(request, `${request.runtimeName}: ${why}; not sent`);
    }
  }
  return moved;
}

function movedMessage(request: PlannedRequest, unmet: readonly string[]): string {
  return (
    `${request.runtimeName} (${request.accountId}): the platform moved since the plan, so ` +
    `${describeRequest(request)} was not sent: ${unmet.join('; ')}. Run plan again.`
  );
}

interface WaveContext {
  follows: boolean;
  moved: ReadonlyMap<PlannedRequest, string>;
}

/**
 * One runtime's requests in a wave: sent one after another (they restart the runtime once, together),
 * then followed together. After one fails or is refused, nothing further is sent to that runtime.
 */
async function runRuntime(
  clients: Map<string, AtomSphereClient>,
  requests: readonly PlannedRequest[],
  wave: WaveContext,
  options: ExecuteOptions,
): Promise<Outcome[]> {
  const sent: { request: PlannedRequest; sent: SentRequest }[] = [];
  const outcomes: Outcome[] = [];
  let failedBefore: string | undefined;
  for (const request of requests) {
    if (failedBefore !== undefined) {
      outcomes.push(skipped(request, `an earlier request to ${request.runtimeName} failed`, options));
      continue;
    }
    const moved = wave.moved.get(request);
    const attempt =
      moved !== undefined
        ? { failed: failure(request, moved, options) }
        : await sendOne(clients, request, options);
    if ('failed' in attempt) {
      outcomes.push(attempt.failed);
      failedBefore = attempt.failed.error;
    } else sent.push({ request, sent: attempt.sent });
  }
  const followed = await Promise.all(
    sent.map(({ request, sent }) => followOne(clients, request, sent, wave.follows, options)),
  );
  return [...followed, ...outcomes];
}

async function sendOne(
  clients: Map<string, AtomSphereClient>,
  request: PlannedRequest,
  options: ExecuteOptions,
): Promise<{ sent: SentRequest } | { failed: Outcome }> {
  const client = clients.get(request.accountId);
  if (!client) return { failed: failure(request, `no configured account ${request.accountId}`, options) };
  try {
    await options.beforeSend?.(request);
    const sent = await sendPlannedRequest(client, request);
    await options.afterSend?.(request, sent);
    options.onEvent?.({ type: 'sent', request, id: sent.id, status: sent.status });
    return { sent };
  } catch (err) {
    const failed = failure(request, err instanceof Error ? err.message : String(err), options);
    const refused =
      err instanceof PlatformError && err.status !== undefined ? { errorStatus: err.status } : {};
    return { failed: { ...failed, ...refused } };
  }
}

async function followOne(
  clients: Map<string, AtomSphereClient>,
  request: PlannedRequest,
  sent: SentRequest,
  followToEnd: boolean,
  options: ExecuteOptions,
): Promise<Outcome> {
  const client = clients.get(request.accountId);
  if (!client || !followToEnd || isTerminal(sent.status))
    return { request, id: sent.id, status: sent.status };
  try {
    const status = await follow(client, sent, {
      pollMs: options.pollMs,
      deadline: options.deadline,
      onStatus: (status) => options.onEvent?.({ type: 'status', request, id: sent.id, status }),
    });
    return { request, id: sent.id, status, followed: true };
  } catch (err) {
    return failure(request, err instanceof Error ? err.message : String(err), options, sent.id);
  }
}

function failure(request: PlannedRequest, message: string, options: ExecuteOptions, id?: string): Outcome {
  options.onEvent?.({ type: 'error', request, message });
  return { request, error: message, ...(id ? { id } : {}) };
}

function skip(
  result: ExecutionResult,
  request: PlannedRequest,
  message: string,
  options: ExecuteOptions,
): void {
  result.skipped += 1;
  result.outcomes.push(skipped(request, message, options));
}

function skipped(request: PlannedRequest, message: string, options: ExecuteOptions): Outcome {
  options.onEvent?.({ type: 'skipped', request, message });
  return { request, error: `skipped: ${message}`, skipped: true };
}

function record(result: ExecutionResult, outcome: Outcome): void {
  if (outcome.skipped) {
    result.skipped += 1;
    result.outcomes.push(outcome);
    return;
  }
  result.outcomes.push(outcome);
  if (outcome.error !== undefined && outcome.id === undefined) {
    result.failed += 1;
    return;
  }
  result.sent += 1;
  if (outcome.status === 'COMPLETE') result.completed += 1;
  else if (outcome.status === 'FAILED' || outcome.status === 'SUPERSEDED' || outcome.error)
    result.failed += 1;
  else if (outcome.followed && outcome.status !== undefined && !isTerminal(outcome.status))
    result.timedOut += 1;
}

/** A wave's requests per runtime, in plan order. */
function byRuntime(wave: readonly PlannedRequest[]): PlannedRequest[][] {
  return [...groupBy(wave, (request) => `${request.accountId}\u0000${request.runtimeId}`).values()];
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function groupByWave(changes: readonly PlannedRequest[]): PlannedRequest[][] {
  const waves = new Map<number, PlannedRequest[]>();
  for (const change of changes) waves.set(change.wave, [...(waves.get(change.wave) ?? []), change]);
  return [...waves.keys()].sort((a, b) => a - b).map((wave) => waves.get(wave) ?? []);
}

function emptyResult(): ExecutionResult {
  return { sent: 0, completed: 0, failed: 0, timedOut: 0, skipped: 0, outcomes: [], summary: '' };
}

function summarize(result: ExecutionResult): string {
  const parts = [
    `Apply: ${result.sent} request(s) sent`,
    `${result.completed} complete`,
    `${result.failed} failed`,
  ];
  if (result.skipped > 0) parts.push(`${result.skipped} skipped`);
  const unfollowed = result.outcomes.filter(
    (o) => !o.followed && o.status !== undefined && !isTerminal(o.status),
  );
  if (result.timedOut > 0) parts.push(`${result.timedOut} timed out while waiting`);
  if (unfollowed.length > 0)
    parts.push(`${unfollowed.length} accepted and in progress (use --wait to follow)`);
  return `${parts.join(', ')}.`;
}
