// Model time. It starts at the scenario's start; with a real-time clock it follows wall time (tick), with a
// manual clock it moves only when told. Either way it never moves backwards, and every event it passes
// runs in time order, at its own instant.
// Deriving the events scans the state, and tick() runs on every API call: so the clock remembers when the
// next event is due and looks again only once the state changed (a new generation, core.ts) or that
// instant is reached. An event's due time depends on the state alone, never on the current time
// (events.ts), which is what keeps the remembered instant valid while only time moves.
import { SimError } from './port.js';
import { isoAt, type WorldCore } from './core.js';
import { collectEvents, type EventSource, type ModelEvent } from './events.js';

export type ClockMode = 'realtime' | 'manual';

/** A safety net: an event that does not retire itself would otherwise spin forever. */
const MAX_EVENTS_PER_MOVE = 100_000;

export class ModelClock {
  private anchor: { modelMs: number; wallMs: number };
  /** When the next event is due (epoch ms; Infinity: none), as derived from the state of `generation`. */
  private nextDue = { generation: -1, atMs: Infinity };

  constructor(
    private readonly core: WorldCore,
    readonly mode: ClockMode,
    private readonly sources: readonly EventSource[],
    private readonly wallNow: () => number = Date.now,
  ) {
    this.anchor = { modelMs: core.nowMs(), wallMs: this.savedWallMs() ?? wallNow() };
  }

  /** Real time: the wall time of the saved model time, if the state carries it and it is not ahead. */
  private savedWallMs(): number | undefined {
    const clock = this.core.state.clock;
    if (this.mode !== 'realtime') {
      delete clock.wallAt;
      return undefined;
    }
    const saved = clock.wallAt === undefined ? NaN : Date.parse(clock.wallAt);
    return Number.isFinite(saved) && saved <= this.wallNow() ? saved : undefined;
  }

  now(): Date {
    return new Date(this.core.nowMs());
  }

  /** Every event still to come, soonest first (for the state dump and for timers). */
  pendingEvents(): ModelEvent[] {
    return collectEvents(this.core, this.sources);
  }

  /** Moves model time to `to`, running every event due up to then. 409 if `to` is in the past. */
  setTo(toMs: number): void {
    this.tick();
    this.moveTo(toMs);
    this.anchor = { modelMs: this.core.nowMs(), wallMs: this.wallNow() };
    this.rememberWall(this.anchor.wallMs);
  }

  advanceBy(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new SimError(
        409,
        `The clock never moves backwards; advance by a number of milliseconds >= 0, not ${ms}.`,
      );
    }
    this.setTo(this.core.nowMs() + ms);
  }

  /** Runs events due at the current instant (after a change made something due now). */
  settle(): void {
    this.moveTo(this.core.nowMs());
  }

  /** Real-time clock: catch model time up with wall time. Manual clock: only settles. */
  tick(): void {
    if (this.mode !== 'realtime') return this.settle();
    const wallMs = this.wallNow();
    const target = this.anchor.modelMs + (wallMs - this.anchor.wallMs);
    this.moveTo(Math.max(target, this.core.nowMs()));
    this.rememberWall(wallMs);
  }

  /** Real time: `now` holds at this wall time (saved with the state; see the constructor). */
  private rememberWall(wallMs: number): void {
    if (this.mode === 'realtime') this.core.state.clock.wallAt = isoAt(wallMs);
  }

  private moveTo(targetMs: number): void {
    const nowMs = this.core.nowMs();
    if (!Number.isFinite(targetMs) || targetMs < nowMs) {
      throw new SimError(
        409,
        `The clock never moves backwards: it is ${isoAt(nowMs)}, cannot go to ${describeInstant(targetMs)}.`,
      );
    }
    const known = this.nextDue.generation === this.core.generation;
    if (!known || this.nextDue.atMs <= targetMs) this.runEventsUpTo(targetMs);
    this.core.state.clock.now = isoAt(targetMs);
  }

  private runEventsUpTo(targetMs: number): void {
    for (let count = 0; ; count += 1) {
      if (count >= MAX_EVENTS_PER_MOVE)
        throw new Error(`Simulator event loop did not settle by ${isoAt(targetMs)}.`);
      const next = this.pendingEvents()[0];
      if (!next || next.at > targetMs) {
        this.nextDue = { generation: this.core.generation, atMs: next ? next.at : Infinity };
        return;
      }
      this.core.state.clock.now = isoAt(Math.max(next.at, this.core.nowMs()));
      try {
        next.run();
      } finally {
        this.core.changed();
      }
    }
  }
}

function describeInstant(ms: number): string {
  return Number.isFinite(ms) ? isoAt(ms) : String(ms);
}
