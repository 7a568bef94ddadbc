// When to try a request again, and how long to wait first.

/** A Retry-After longer than this is cut to it, so one answer cannot park the controller for hours. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Statuses worth another attempt: the platform is busy or rate-limits the account (R16). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Whether a request that got this status may nevertheless have been carried out: any 5xx may come from
 * a gateway after the platform acted; a 429 is a refusal before anything happened.
 */
export function statusMayHaveApplied(status: number): boolean {
  return status >= 500;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A number in [0, 1). */
  random: () => number;
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base · 2^retry)]. */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  return Math.min(ceiling, Math.max(0, options.random() * ceiling));
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const waitMs = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  if (Number.isNaN(waitMs)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, waitMs));
}
