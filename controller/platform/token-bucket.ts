// Client-side rate limit (R16): a token bucket per account, shared by every client of that account in
// this process so that several clients together stay under the platform's requests-per-second.

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  /**
   * @param ratePerSecond tokens added per second (> 0)
   * @param burst bucket size: requests that may go at once after a quiet period
   * @param now clock in milliseconds
   */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /**
   * Takes one token and returns how long (ms) the caller must wait before sending. Tokens may go
   * negative: each caller reserves its own slot, so concurrent callers are spaced 1/rate apart.
   */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  /** How long until the requests already reserved have gone (ms); 0 when none is waiting. Reserves nothing. */
  backlogMs(): number {
    this.refill();
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  private refill(): void {
    const at = this.now();
    const elapsedSeconds = Math.max(0, at - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.updatedAt = at;
  }
}

const buckets = new Map<string, TokenBucket>();

/**
 * The bucket for one account on one platform. The first client to ask for a key sets its rate, burst
 * and clock; later clients of the same account share that bucket.
 */
export function sharedTokenBucket(
  key: string,
  ratePerSecond: number,
  now: () => number,
  burst = 1,
): TokenBucket {
  let bucket = buckets.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(ratePerSecond, burst, now);
    buckets.set(key, bucket);
  }
  return bucket;
}
