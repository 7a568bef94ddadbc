// How long GitHub asks a client to wait, from its rate-limit headers
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).

/** Waiting until the reset second itself can be a little early against GitHub's clock. */
const RESET_MARGIN_MS = 1_000;
/** GitHub's advice for a secondary rate limit without retry-after: wait at least a minute. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

export interface RateLimitSignal {
  waitMs: number;
  /** When the limit resets (for messages), if GitHub said. */
  resetAt?: Date;
}

/** The wait GitHub asks for, or undefined when the answer is not a rate limit. */
export function rateLimitWait(
  status: number,
  headers: Headers,
  message: string,
  nowMs: number,
): RateLimitSignal | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = retryAfterMs(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return { waitMs: retryAfter, resetAt: new Date(nowMs + retryAfter) };
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (!Number.isFinite(reset) || reset <= 0) return { waitMs: SECONDARY_LIMIT_WAIT_MS };
    const resetMs = reset * 1000;
    return { waitMs: Math.max(0, resetMs - nowMs) + RESET_MARGIN_MS, resetAt: new Date(resetMs) };
  }
  if (status === 429 || /rate limit/i.test(message)) return { waitMs: SECONDARY_LIMIT_WAIT_MS };
  return undefined;
}

/** retry-after is delay-seconds or an HTTP date. */
function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
