// Counts of the requests a client made: by object, verb and status. One event per HTTP attempt, so
// retries count too. Several clients may share one counter; `onRequest` hooks (prom-client) see the same
// events.
import type { Verb } from './errors.js';

export interface RequestEvent {
  accountId: string;
  object: string;
  verb: Verb;
  method: 'GET' | 'POST' | 'DELETE';
  /** HTTP status; undefined when no answer came. */
  status?: number;
  /** `ok` (2xx), `http-error`, `timeout` or `network` (refused, reset…). */
  outcome: 'ok' | 'http-error' | 'timeout' | 'network';
  /** 1 for the first attempt of a call, 2 for its first retry… */
  attempt: number;
  /** Whether the client will try again after this attempt. */
  willRetry: boolean;
  durationMs: number;
}

export interface RequestStats {
  total: number;
  byObject: Record<string, number>;
  byVerb: Partial<Record<Verb, number>>;
  /** Keyed by HTTP status (`"200"`, `"503"`) or by `timeout` / `network` when no answer came. */
  byStatus: Record<string, number>;
  /** Attempts the platform answered with 503 or 429. */
  rateLimited: number;
  /** Attempts that were retries of an earlier one. */
  retries: number;
}

export class RequestCounter {
  private stats: RequestStats = emptyStats();

  record(event: RequestEvent): void {
    const stats = this.stats;
    const statusKey = event.status === undefined ? event.outcome : String(event.status);
    stats.total += 1;
    stats.byObject[event.object] = (stats.byObject[event.object] ?? 0) + 1;
    stats.byVerb[event.verb] = (stats.byVerb[event.verb] ?? 0) + 1;
    stats.byStatus[statusKey] = (stats.byStatus[statusKey] ?? 0) + 1;
    if (event.status === 503 || event.status === 429) stats.rateLimited += 1;
    if (event.attempt > 1) stats.retries += 1;
  }

  /** A copy of the counts so far. */
  snapshot(): RequestStats {
    const stats = this.stats;
    return {
      ...stats,
      byObject: { ...stats.byObject },
      byVerb: { ...stats.byVerb },
      byStatus: { ...stats.byStatus },
    };
  }

  reset(): void {
    this.stats = emptyStats();
  }
}

function emptyStats(): RequestStats {
  return { total: 0, byObject: {}, byVerb: {}, byStatus: {}, rateLimited: 0, retries: 0 };
}
