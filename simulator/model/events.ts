// Time-based events. Each rule module derives its due events from the state (nothing is queued), and the
// clock runs them in time order as it passes them. Running an event must change the state so that the
// event is no longer due. An event's due time must follow from the state alone, not from the current time:
// the clock relies on it to skip deriving events while only time moves (clock.ts).
import type { WorldCore } from './core.js';

export interface ModelEvent {
  /** Epoch ms at which the event is due. */
  at: number;
  /** Among events due at the same instant, lower runs first. */
  order: number;
  kind: string;
  description: string;
  run(): void;
}

export type EventSource = (core: WorldCore) => ModelEvent[];

/** Tie-break order for events due at the same instant. */
export const EVENT_ORDER = {
  requestPickup: 0,
  restartNode: 1,
  inactivityReached: 2,
  releaseSchedule: 3,
  packReleaseDate: 4,
  platformRelease: 5,
} as const;

function byDueTime(a: ModelEvent, b: ModelEvent): number {
  return a.at - b.at || a.order - b.order || a.description.localeCompare(b.description);
}

export function collectEvents(core: WorldCore, sources: readonly EventSource[]): ModelEvent[] {
  return sources.flatMap((source) => source(core)).sort(byDueTime);
}
