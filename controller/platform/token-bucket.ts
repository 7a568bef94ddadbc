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

/**
 * The platform counts requests over a sliding one-second window, stamped when they arrive (R16). Requests
 * the bucket spaces exactly 1/rate apart still put one too many into some window when the timers fire a
 * millisecond early for one and late for another, and the platform answers 503 (each costing the request
 * again, plus the query that checks whether a create arrived). So the times requests are actually sent
 * are kept, and a request waits until the `limit`-th latest went more than a window and a margin ago.
 */
export class SendWindow {
  private readonly sent: number[] = [];

  /**
   * @param limit requests the platform accepts per window
   * @param windowMs the platform's window plus a margin for the spread of arrival delays
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** How long (ms) a request must wait at `now` to keep every window within the limit. */
  waitMs(now: number): number {
    // A clock that went back (a wall clock set back, another clock sharing the window) must not stall
    // requests for as long as it went back: what was noted is forgotten.
    if (this.sent.length > 0 && (this.sent.at(-1) as number) > now) this.sent.length = 0;
    if (this.sent.length < this.limit) return 0;
    return Math.max(0, (this.sent[this.sent.length - this.limit] as number) + this.windowMs - now);
  }

  /** A request goes out now. */
  note(now: number): void {
    this.sent.push(now);
    if (this.sent.length > this.limit) this.sent.splice(0, this.sent.length - this.limit);
  }
}

/** The platform's window (R16) and the margin kept beyond it for arrival delays that differ. */
const PLATFORM_WINDOW_MS = 1000;
const SEND_WINDOW_MARGIN_MS = 25;

const windows = new Map<string, SendWindow>();

/** The send window of one account on one platform, shared by its clients in this process as the bucket is. */
export function sharedSendWindow(key: string, ratePerSecond: number): SendWindow {
  let window = windows.get(key);
  if (window === undefined) {
    window = new SendWindow(
      Math.max(1, Math.floor(ratePerSecond)),
      PLATFORM_WINDOW_MS + SEND_WINDOW_MARGIN_MS,
    );
    windows.set(key, window);
  }
  return window;
}
