// A hand-driven clock for code that takes a Timers (controller/util/timers.ts).

import type { TimerHandle, Timers } from '../../../controller/util/timers.js';

interface Pending {
  id: number;
  at: number;
  delay: number;
  callback: () => void;
}

export class FakeTimers implements Timers {
  private current: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = Date.parse('2026-11-23T08:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.push({ id, at: this.current + ms, delay: ms, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }

  /** Delays of the timers not fired yet, in the order they were set. */
  pendingDelays(): number[] {
    return this.pending.map((timer) => timer.delay);
  }

  /** Moves the clock forward, firing every timer that falls due on the way, in time order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.pending
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      this.current = due.at;
      due.callback();
    }
    this.current = target;
  }
}
