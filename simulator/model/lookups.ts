// Finding things in the state, scoped to the calling account (an object of another account is "not there").
import { SimError } from './port.js';
import {
  isTerminal,
  type EnvironmentRecord,
  type RuntimeRecord,
  type WorldState,
  type UpdateRequestRecord,
} from './state.js';

export function findRuntime(state: WorldState, accountId: string, id: string): RuntimeRecord | undefined {
  const runtime = state.runtimes[id];
  return runtime?.accountId === accountId ? runtime : undefined;
}

export function requireRuntime(state: WorldState, accountId: string, id: unknown): RuntimeRecord {
  if (typeof id !== 'string' || id === '')
    throw new SimError(400, 'atomId is required: the id of an Atom, Molecule or Cloud.');
  const runtime = findRuntime(state, accountId, id);
  if (!runtime) throw new SimError(404, `Runtime ${id} does not exist in account ${accountId}.`);
  return runtime;
}

export function requireEnvironment(state: WorldState, accountId: string, id: unknown): EnvironmentRecord {
  if (typeof id !== 'string' || id === '') throw new SimError(400, 'environmentId is required.');
  const environment = state.environments[id];
  if (environment?.accountId !== accountId) {
    throw new SimError(404, `Environment ${id} does not exist in account ${accountId}.`);
  }
  return environment;
}

/** R1: the environment a runtime is attached to, if any. */
export function environmentIdOf(state: WorldState, atomId: string): string | undefined {
  return Object.values(state.runtimeAttachments).find((a) => a.atomId === atomId)?.environmentId;
}

/** R4: the account that owns the runtime (a public cloud's owner for a cloud attachment). */
export function runtimeOwnerId(state: WorldState, runtime: RuntimeRecord): string {
  if (runtime.cloudId === undefined) return runtime.accountId;
  return state.clouds[runtime.cloudId]?.ownerAccountId ?? runtime.accountId;
}

export function isOwned(state: WorldState, runtime: RuntimeRecord): boolean {
  return runtimeOwnerId(state, runtime) === runtime.accountId;
}

/** Requests on a runtime that are not finished yet (R6), oldest first. */
export function outstandingRequests(state: WorldState, atomId: string): UpdateRequestRecord[] {
  return (requestsByRuntime(state).get(atomId) ?? []).filter((r) => !isTerminal(r.status));
}

/** Records a new update request. Every request enters the state here, so the index below stays whole. */
export function addRequest(state: WorldState, request: UpdateRequestRecord): void {
  state.requests[request.id] = request;
  const index = requestIndexes.get(state.requests);
  if (!index) return;
  const ofRuntime = index.get(request.atomId);
  if (ofRuntime) ofRuntime.push(request);
  else index.set(request.atomId, [request]);
}

/**
 * Every request per runtime id, in the order of state.requests (oldest first). Requests are never removed
 * and never change runtime, so the index only grows (addRequest); it is keyed by the requests object, which
 * a state loaded from a file or cloned does not share.
 */
const requestIndexes = new WeakMap<WorldState['requests'], Map<string, UpdateRequestRecord[]>>();

function requestsByRuntime(state: WorldState): Map<string, UpdateRequestRecord[]> {
  let index = requestIndexes.get(state.requests);
  if (index) return index;
  index = new Map();
  for (const request of Object.values(state.requests)) {
    const ofRuntime = index.get(request.atomId);
    if (ofRuntime) ofRuntime.push(request);
    else index.set(request.atomId, [request]);
  }
  requestIndexes.set(state.requests, index);
  return index;
}
