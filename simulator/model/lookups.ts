// Finding things in the state, scoped to the calling account (an object of another account is "not there").
import { SimError } from '../http/object-handler.js';
import {
  isTerminal,
  type EnvironmentRecord,
  type RuntimeRecord,
  type SimState,
  type UpdateRequestRecord,
} from './state.js';

export function findRuntime(state: SimState, accountId: string, id: string): RuntimeRecord | undefined {
  const runtime = state.runtimes[id];
  return runtime?.accountId === accountId ? runtime : undefined;
}

export function requireRuntime(state: SimState, accountId: string, id: unknown): RuntimeRecord {
  if (typeof id !== 'string' || id === '')
    throw new SimError(400, 'atomId is required: the id of an Atom, Molecule or Cloud.');
  const runtime = findRuntime(state, accountId, id);
  if (!runtime) throw new SimError(404, `Runtime ${id} does not exist in account ${accountId}.`);
  return runtime;
}

export function requireEnvironment(state: SimState, accountId: string, id: unknown): EnvironmentRecord {
  if (typeof id !== 'string' || id === '') throw new SimError(400, 'environmentId is required.');
  const environment = state.environments[id];
  if (environment?.accountId !== accountId) {
    throw new SimError(404, `Environment ${id} does not exist in account ${accountId}.`);
  }
  return environment;
}

/** R1: the environment a runtime is attached to, if any. */
export function environmentIdOf(state: SimState, atomId: string): string | undefined {
  return Object.values(state.runtimeAttachments).find((a) => a.atomId === atomId)?.environmentId;
}

/** R4: the account that owns the runtime (a public cloud's owner for a cloud attachment). */
export function runtimeOwnerId(state: SimState, runtime: RuntimeRecord): string {
  if (runtime.cloudId === undefined) return runtime.accountId;
  return state.clouds[runtime.cloudId]?.ownerAccountId ?? runtime.accountId;
}

export function isOwned(state: SimState, runtime: RuntimeRecord): boolean {
  return runtimeOwnerId(state, runtime) === runtime.accountId;
}

/** Requests on a runtime that are not finished yet (R6), oldest first. */
export function outstandingRequests(state: SimState, atomId: string): UpdateRequestRecord[] {
  return Object.values(state.requests).filter((r) => r.atomId === atomId && !isTerminal(r.status));
}
