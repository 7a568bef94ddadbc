// How every report orders a plan: accounts by id, runtimes by name, pins runtime → connectors → packs.
// Sorting here (not trusting the input order) keeps reports and golden files stable.

import type { PinKind, PinResult, PlannedRequest } from '../domain/types.js';

export interface RuntimeGroup {
  runtimeName: string;
  runtimeId?: string;
  /** The AtomVersions that pin this runtime (usually one). */
  keys: string[];
  pins: PinResult[];
}

export interface AccountGroup {
  accountId: string;
  runtimes: RuntimeGroup[];
}

/** Pins of one AtomVersion in reading order: versions first, then the runtime's settings. */
export const KIND_ORDER: Record<PinKind, number> = {
  runtime: 0,
  connector: 1,
  pack: 2,
  releaseSchedule: 3,
  forceRestart: 4,
};

function comparePins(a: PinResult, b: PinResult): number {
  return (
    compareText(a.accountId, b.accountId) ||
    compareText(a.runtimeName, b.runtimeName) ||
    compareText(a.runtimeId ?? '', b.runtimeId ?? '') ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    compareText(a.name, b.name) ||
    compareText(a.key, b.key)
  );
}

export function sortPins(pins: readonly PinResult[]): PinResult[] {
  return [...pins].sort(comparePins);
}

export function groupPins(pins: readonly PinResult[]): AccountGroup[] {
  const accounts = new Map<string, Map<string, RuntimeGroup>>();
  for (const pin of sortPins(pins)) {
    const runtimes = accounts.get(pin.accountId) ?? new Map<string, RuntimeGroup>();
    accounts.set(pin.accountId, runtimes);
    const runtimeKey = pin.runtimeId ?? `name:${pin.runtimeName}`;
    const group = runtimes.get(runtimeKey) ?? newRuntimeGroup(pin);
    runtimes.set(runtimeKey, group);
    group.pins.push(pin);
    if (!group.keys.includes(pin.key)) group.keys.push(pin.key);
  }
  return [...accounts].map(([accountId, runtimes]) => ({ accountId, runtimes: [...runtimes.values()] }));
}

/** Requests in apply order: by wave, keeping the planner's order inside a wave. */
export function requestsInWaveOrder(changes: readonly PlannedRequest[]): PlannedRequest[] {
  return changes
    .map((request, index) => ({ request, index }))
    .sort((a, b) => a.request.wave - b.request.wave || a.index - b.index)
    .map(({ request }) => request);
}

export function isInSync(group: RuntimeGroup): boolean {
  return group.pins.every((pin) => pin.outcome === 'InSync');
}

function newRuntimeGroup(pin: PinResult): RuntimeGroup {
  const group: RuntimeGroup = { runtimeName: pin.runtimeName, keys: [], pins: [] };
  if (pin.runtimeId !== undefined) group.runtimeId = pin.runtimeId;
  return group;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
