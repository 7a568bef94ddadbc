// A small in-memory summary of every status (pin counts, drift start, Ready reason) for the metrics
// gauges and for deciding what is worth logging, so a scrape never copies 10,000 statuses.
import type { AtomVersionStatus } from '../domain/status.js';
import { findCondition } from '../domain/status.js';

interface Summary {
  pins: Record<string, number>;
  driftedSince?: number;
  ready: string;
}

export class StatusIndex {
  private readonly summaries = new Map<string, Summary>();

  update(status: AtomVersionStatus): void {
    const pins: Record<string, number> = {};
    for (const pin of status.pins) pins[pin.outcome] = (pins[pin.outcome] ?? 0) + 1;
    const ready = findCondition(status.conditions, 'Ready');
    const summary: Summary = { pins, ready: ready ? `${ready.status}/${ready.reason}` : 'Unknown' };
    if (status.driftedSince) summary.driftedSince = Date.parse(status.driftedSince);
    this.summaries.set(status.key, summary);
  }

  remove(key: string): void {
    this.summaries.delete(key);
  }

  /** `True/InSync`, `False/TargetUnreachable`…; undefined for unknown keys. */
  readyReason(key: string): string | undefined {
    return this.summaries.get(key)?.ready;
  }

  pinCounts(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const summary of this.summaries.values())
      for (const [state, count] of Object.entries(summary.pins)) totals[state] = (totals[state] ?? 0) + count;
    return totals;
  }

  drifted(): { namespace: string; name: string; since: number }[] {
    const out: { namespace: string; name: string; since: number }[] = [];
    for (const [key, summary] of this.summaries) {
      if (summary.driftedSince === undefined || Number.isNaN(summary.driftedSince)) continue;
      const slash = key.indexOf('/');
      out.push({ namespace: key.slice(0, slash), name: key.slice(slash + 1), since: summary.driftedSince });
    }
    return out;
  }
}
