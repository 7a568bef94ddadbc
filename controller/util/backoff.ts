// Per-key exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
// the n-th retry waits a uniformly random time in [0, min(cap, base * 2^n)). Jitter keeps many keys that
// failed together (an account outage) from retrying together.

export interface BackoffOptions {
  /** Ceiling of the first retry's delay. Default 1 s. */
  baseMs?: number;
  /** Largest ceiling any retry reaches. Default 10 min. */
  capMs?: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

const DEFAULT_BACKOFF_BASE_MS = 1_000;
const DEFAULT_BACKOFF_CAP_MS = 600_000;

/** The upper bound of the delay before retry number `attempt` (0-based). */
export function backoffCeiling(
  attempt: number,
  baseMs = DEFAULT_BACKOFF_BASE_MS,
  capMs = DEFAULT_BACKOFF_CAP_MS,
): number {
  // 2^attempt overflows to Infinity long after it passed the cap; Math.min handles that.
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
}

/** A fully jittered delay for retry number `attempt` (0-based). */
export function jitteredBackoff(attempt: number, options: BackoffOptions = {}): number {
  const random = options.random ?? Math.random;
  const ceiling = backoffCeiling(attempt, options.baseMs, options.capMs);
  return Math.floor(clampUnit(random()) * ceiling);
}

/** Remembers how often each key failed in a row. */
export class PerKeyBackoff<K> {
  private readonly failures = new Map<K, number>();

  constructor(private readonly options: BackoffOptions = {}) {}

  /** Counts one more failure of `key` and returns how long to wait before retrying it. */
  next(key: K): number {
    const attempt = this.failures.get(key) ?? 0;
    this.failures.set(key, attempt + 1);
    return jitteredBackoff(attempt, this.options);
  }

  /** Failures of `key` since it last succeeded. */
  attempts(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** The key succeeded (or is gone): its next failure starts from the base delay again. */
  forget(key: K): void {
    this.failures.delete(key);
  }
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}
