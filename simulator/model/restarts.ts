// R5: a request is not immediate. The runtime picks it up when ONLINE (ACCEPTED → WAITING_FOR_INACTIVITY),
// waits for a period without running executions — or at most forceRestartTime ms — and then restarts node
// by node (RESTARTING); the new versions are visible only once the last node is back (COMPLETE, or FAILED
// when a fault was injected). Integration pack updates take effect at the same point, without a restart.
import { SimError } from './port.js';
import { PLATFORM_USER, SIMULATOR_USER } from './audit.js';
import { isoAt, type WorldCore } from './core.js';
import { EVENT_ORDER, type ModelEvent } from './events.js';
import { outstandingRequests } from './lookups.js';
import { completePackRequest } from './pack-requests.js';
import { setStatus } from './request-status.js';
import type { RuntimeRecord, RuntimeStatus, UpdateRequestRecord, VersionRequestRecord } from './state.js';
import { describeTargets } from './version-requests.js';

export function restartEvents(core: WorldCore): ModelEvent[] {
  return Object.values(core.state.runtimes).flatMap((runtime) => runtimeEvents(core, runtime));
}

function runtimeEvents(core: WorldCore, runtime: RuntimeRecord): ModelEvent[] {
  if (runtime.status !== 'ONLINE') return [];
  const outstanding = outstandingRequests(core.state, runtime.id);
  const events = outstanding.filter((r) => r.status === 'ACCEPTED').map((r) => pickupEvent(core, runtime, r));
  if (runtime.restart) {
    events.push(restartNodeEvent(core, runtime));
    return events;
  }
  const waiting = outstanding.filter((r) => r.status === 'WAITING_FOR_INACTIVITY');
  const at = takeChangesAt(core, runtime, waiting);
  if (at !== undefined) {
    events.push({
      at,
      order: EVENT_ORDER.inactivityReached,
      kind: 'take-changes',
      description: `runtime "${runtime.name}" takes ${waiting.length} waiting request(s)`,
      run: () => takeWaitingRequests(core, runtime, 'inactivity'),
    });
  }
  return events;
}

function pickupEvent(core: WorldCore, runtime: RuntimeRecord, request: UpdateRequestRecord): ModelEvent {
  return {
    at: Math.max(Date.parse(request.createdAt), Date.parse(runtime.statusSince)),
    order: EVENT_ORDER.requestPickup,
    kind: 'request-pickup',
    description: `runtime "${runtime.name}" picks up request ${request.id}`,
    run: () => {
      setStatus(core, request, 'WAITING_FOR_INACTIVITY');
      request.waitingSince = core.nowIso();
    },
  };
}

/** The earlier of: inactivity held for the wait period, and the forceRestartTime deadline. */
function takeChangesAt(
  core: WorldCore,
  runtime: RuntimeRecord,
  waiting: UpdateRequestRecord[],
): number | undefined {
  if (waiting.length === 0) return undefined;
  const since = Math.min(...waiting.map((r) => Date.parse(r.waitingSince ?? r.updatedAt)));
  const idleAt =
    runtime.idleSince === null
      ? Infinity
      : Math.max(Date.parse(runtime.idleSince), since) + core.state.settings.inactivityWaitMs;
  const forcedAt = runtime.forceRestartTime > 0 ? since + runtime.forceRestartTime : Infinity;
  const at = Math.min(idleAt, forcedAt);
  return Number.isFinite(at) ? at : undefined;
}

function restartNodeEvent(core: WorldCore, runtime: RuntimeRecord): ModelEvent {
  const restart = runtime.restart!;
  return {
    at: Date.parse(restart.nodeStartedAt) + core.state.settings.restartMsPerNode,
    order: EVENT_ORDER.restartNode,
    kind: 'restart-node',
    description: `runtime "${runtime.name}" node ${restart.node} of ${runtime.nodes} is back`,
    run: () => nodeRestarted(core, runtime),
  };
}

/** Version requests join a restart; pack updates take effect right away (no restart needed). */
function takeWaitingRequests(core: WorldCore, runtime: RuntimeRecord, reason: string): void {
  const waiting = outstandingRequests(core.state, runtime.id).filter(
    (r) => r.status === 'WAITING_FOR_INACTIVITY',
  );
  for (const request of waiting) {
    if (request.kind === 'IntegrationPackPendingUpdateRequest') completePackRequest(core, request);
  }
  const versionRequests = waiting.filter(
    (r): r is VersionRequestRecord => r.kind === 'AtomVersionUpdateRequest',
  );
  if (versionRequests.length > 0) startRestart(core, runtime, versionRequests, reason, PLATFORM_USER);
}

function startRestart(
  core: WorldCore,
  runtime: RuntimeRecord,
  requests: VersionRequestRecord[],
  reason: string,
  userId: string,
): void {
  const now = core.nowIso();
  runtime.restart = { startedAt: now, node: 1, nodeStartedAt: now, requestIds: requests.map((r) => r.id) };
  for (const request of requests) setStatus(core, request, 'RESTARTING');
  core.audit({
    accountId: runtime.accountId,
    userId,
    type: 'as.atom',
    action: 'RESTART',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" restarts (${reason}), ${runtime.nodes} node(s) one by one.`,
  });
}

/** RuntimeRestartRequest: restart now, taking any waiting requests along. */
export function requestRestart(core: WorldCore, runtime: RuntimeRecord, userId: string): void {
  if (runtime.status !== 'ONLINE') {
    throw new SimError(
      409,
      `Runtime "${runtime.name}" is ${runtime.status} and cannot be restarted until it is ONLINE.`,
    );
  }
  if (runtime.restart) throw new SimError(409, `Runtime "${runtime.name}" is already restarting.`);
  takeWaitingRequests(core, runtime, `restart requested by ${userId}`);
  if (!runtime.restart) startRestart(core, runtime, [], `restart requested by ${userId}`, userId);
}

function nodeRestarted(core: WorldCore, runtime: RuntimeRecord): void {
  const restart = runtime.restart!;
  if (restart.node < runtime.nodes) {
    restart.node += 1;
    restart.nodeStartedAt = core.nowIso();
    return;
  }
  runtime.restart = null;
  for (const id of restart.requestIds) {
    const request = core.state.requests[id];
    if (request?.kind === 'AtomVersionUpdateRequest' && request.status === 'RESTARTING') {
      finishVersionRequest(core, runtime, request);
    }
  }
  core.audit({
    accountId: runtime.accountId,
    userId: PLATFORM_USER,
    type: 'as.atom',
    action: 'RESTART',
    modifier: 'COMPLETED',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" finished restarting.`,
  });
}

function finishVersionRequest(core: WorldCore, runtime: RuntimeRecord, request: VersionRequestRecord): void {
  if (request.willFail) {
    request.message = 'The runtime could not take the update (injected fault); its versions are unchanged.';
    setStatus(core, request, 'FAILED', 'ERROR');
    return;
  }
  const now = core.nowIso();
  for (const target of request.targets) {
    const component = runtime.components[target.name];
    if (component?.version !== target.fromVersion) continue;
    component.version = target.toVersion;
    component.lastUpdated = now;
  }
  core.audit({
    accountId: runtime.accountId,
    userId: request.createdBy,
    type: 'as.atom.version',
    action: request.action,
    modifier: 'APPLIED',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" now runs ${describeTargets(request.targets)}.`,
    properties: request.targets.map((t) => ({
      name: t.name,
      previousValue: t.fromVersion,
      value: t.toVersion,
    })),
  });
  setStatus(core, request, 'COMPLETE');
}

/** R5 input: running executions keep a runtime from restarting. */
export function setActivity(core: WorldCore, runtime: RuntimeRecord, runningExecutions: number): void {
  if (!Number.isInteger(runningExecutions) || runningExecutions < 0) {
    throw new SimError(400, `runningExecutions must be a whole number >= 0, not ${runningExecutions}.`);
  }
  const wasIdle = runtime.runningExecutions === 0;
  runtime.runningExecutions = runningExecutions;
  if (runningExecutions > 0) runtime.idleSince = null;
  else if (!wasIdle || runtime.idleSince === null) runtime.idleSince = core.nowIso();
  core.audit({
    accountId: runtime.accountId,
    userId: SIMULATOR_USER,
    type: 'as.atom',
    action: 'ACTIVITY',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" has ${runningExecutions} running execution(s).`,
  });
}

/** R5: an OFFLINE runtime keeps its requests ACCEPTED; they proceed once it is ONLINE again. */
export function setRuntimeStatus(core: WorldCore, runtime: RuntimeRecord, status: RuntimeStatus): void {
  if (status !== 'ONLINE' && status !== 'OFFLINE') {
    throw new SimError(400, `status must be ONLINE or OFFLINE, not ${JSON.stringify(status)}.`);
  }
  if (runtime.status === status) return;
  runtime.status = status;
  runtime.statusSince = core.nowIso();
  if (status === 'OFFLINE') {
    runtime.restart = null;
    for (const request of outstandingRequests(core.state, runtime.id)) {
      if (request.status !== 'ACCEPTED') setStatus(core, request, 'ACCEPTED');
    }
  } else {
    runtime.idleSince = runtime.runningExecutions === 0 ? core.nowIso() : null;
  }
  core.audit({
    accountId: runtime.accountId,
    userId: SIMULATOR_USER,
    type: 'as.atom',
    action: status === 'ONLINE' ? 'START' : 'STOP',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" is ${status} since ${isoAt(Date.parse(runtime.statusSince))}.`,
  });
}
