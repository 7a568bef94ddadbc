// R2/R3/R6/R9 as a runtime shows them: each component's current version, the pending version it may move
// to, the rollback version it may go back to, and whether a request already covers it.
import { outstandingRequests } from './lookups.js';
import type {
  CalendarComponent,
  PendingSource,
  ReleaseCalendar,
  RuntimeRecord,
  WorldState,
} from './state.js';

/** The component name under which the runtime itself is listed. */
export const RUNTIME_COMPONENT = 'Atom';

export interface ComponentView {
  name: string;
  version: string;
  pendingVersion?: string;
  pendingSource?: PendingSource;
  /** R9: the Atom version the pending version needs (extension field). */
  pendingRequiresAtomVersion?: string;
  rollbackVersion?: string;
  lastUpdated: string;
  outstandingRequestId?: string;
}

export interface PendingRelease {
  version: string;
  source: PendingSource;
  requiresAtomVersion?: string;
}

function pendingWhile(
  calendar: ReleaseCalendar,
  name: string,
  windowOpen: boolean,
): PendingRelease | undefined {
  const component = calendar.components[name];
  if (component?.pending === undefined) return undefined;
  const source = component.pendingSource ?? 'RUNTIME_RELEASE';
  if (source === 'RUNTIME_RELEASE' && !windowOpen) return undefined;
  return {
    version: component.pending,
    source,
    ...(component.requiresAtomVersion !== undefined && {
      requiresAtomVersion: component.requiresAtomVersion,
    }),
  };
}

export function runtimeReleaseWindowOpen(calendar: ReleaseCalendar, nowMs: number): boolean {
  const opens = calendar.runtimeReleaseWindowOpensAt;
  return opens !== null && parseInstant(opens) <= nowMs;
}

/** Date.parse, remembering the last instant parsed (the same calendar instant is read for every runtime). */
let lastParsed = { iso: '', ms: NaN };
function parseInstant(iso: string): number {
  if (iso !== lastParsed.iso) lastParsed = { iso, ms: Date.parse(iso) };
  return lastParsed.ms;
}

/** R3: the released version, when the component runs the pending version (applied early). */
function rollbackVersionOf(component: CalendarComponent | undefined, version: string): string | undefined {
  if (component?.pending === undefined || version !== component.pending) return undefined;
  return component.released === version ? undefined : component.released;
}

/** Components under a not-yet-finished AtomVersionUpdateRequest, with that request's id (R6). */
function componentsInFlight(state: WorldState, atomId: string): Map<string, string> {
  const inFlight = new Map<string, string>();
  for (const request of outstandingRequests(state, atomId)) {
    if (request.kind !== 'AtomVersionUpdateRequest') continue;
    for (const name of request.components) inFlight.set(name, request.id);
  }
  return inFlight;
}

/** `nowMs` counts only through runtimeReleaseWindowOpen (the AtomVersions handler relies on it). */
export function componentViews(state: WorldState, runtime: RuntimeRecord, nowMs: number): ComponentView[] {
  const inFlight = componentsInFlight(state, runtime.id);
  const windowOpen = runtimeReleaseWindowOpen(state.calendar, nowMs);
  return Object.entries(runtime.components).map(([name, current]) => {
    const view: ComponentView = { name, version: current.version, lastUpdated: current.lastUpdated };
    const requestId = inFlight.get(name);
    if (requestId !== undefined) return { ...view, outstandingRequestId: requestId };
    const pending = pendingWhile(state.calendar, name, windowOpen);
    if (pending && pending.version !== current.version) {
      view.pendingVersion = pending.version;
      view.pendingSource = pending.source;
      if (pending.requiresAtomVersion !== undefined)
        view.pendingRequiresAtomVersion = pending.requiresAtomVersion;
    }
    const rollback = rollbackVersionOf(state.calendar.components[name], current.version);
    if (rollback !== undefined) view.rollbackVersion = rollback;
    return view;
  });
}

/** Orders dotted versions numerically: 26.9.0 < 26.11.0 < 26.11.2. */
export function compareVersions(a: string, b: string): number {
  const left = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const right = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}
