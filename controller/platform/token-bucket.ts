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
 * The margin (ArrivalMargin) covers arrival delays that differ between requests.
 */
export class SendWindow {
  private readonly sent: number[] = [];
  /** The request whose turn it is; the others of the account wait behind it, first come first served. */
  private turn: Promise<void> = Promise.resolve();

  /**
   * @param limit requests the platform accepts per window
   * @param windowMs the platform's window
   * @param margin kept beyond the window for arrival delays that differ (none when not given)
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly margin?: ArrivalMargin,
  ) {}

  /** How long (ms) a request must wait at `now` to keep every window within the limit. */
  waitMs(now: number): number {
    // A clock that went back (a wall clock set back, another clock sharing the window) must not stall
    // requests for as long as it went back: what was noted is forgotten.
    if (this.sent.length > 0 && (this.sent.at(-1) as number) > now) this.sent.length = 0;
    if (this.sent.length < this.limit) return 0;
    const margin = this.margin?.at(now) ?? 0;
    return Math.max(0, (this.sent[this.sent.length - this.limit] as number) + this.windowMs + margin - now);
  }

  /**
   * Waits until the request may go, and notes it as sent. One request of the account at a time looks at
   * the window: when several look at once (timers of a busy event loop fire late and together), each sees
   * room for one and they all go, crowding a window the platform then answers with 503.
   */
  take(now: () => number, sleep: (ms: number) => Promise<void>): Promise<void> {
    const mine = this.turn.then(async () => {
      for (let more = this.waitMs(now()); more > 0; more = this.waitMs(now())) await sleep(more);
      this.note(now());
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  /** A request goes out now. */
  note(now: number): void {
    this.sent.push(now);
    if (this.sent.length > this.limit) this.sent.splice(0, this.sent.length - this.limit);
  }
}

/**
 * How much later than the platform's window a request waits, learnt from the platform's refusals. The
 * spread of arrival delays belongs to the way to the platform (its front end, the network, this host's
 * and the platform's event loops), not to one account, so the accounts on one platform endpoint share it.
 * It starts at its minimum; a refusal doubles it (once per window: the refusals of one burst are one
 * lesson), up to its maximum, and it shrinks back linearly while no refusal comes. On a quiet host it
 * stays at the minimum; where requests arrive unevenly it widens to what the spread needs, costing a
 * little rate instead of a 503 and the two calls after it.
 */
export class ArrivalMargin {
  private peak: number;
  private peakAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly minMs: number,
    readonly maxMs: number,
    /** How fast it shrinks back (ms of margin per second without a refusal). */
    readonly shrinkPerSecond: number,
  ) {
    this.peak = minMs;
  }

  /** The margin at `now` (ms). */
  at(now: number): number {
    const shrunk = (Math.max(0, now - this.peakAt) * this.shrinkPerSecond) / 1000;
    return Math.max(this.minMs, Math.round(this.peak - shrunk));
  }

  /** The platform refused a request for its rate at `now`. */
  refused(now: number): void {
    if (now >= this.peakAt && now - this.peakAt < PLATFORM_WINDOW_MS) return;
    this.peak = Math.min(this.maxMs, Math.max(1, this.at(now)) * 2);
    this.peakAt = now;
  }
}

/**
 * The platform's window (R16) and the margin kept beyond it: 25 ms on a quiet host; 100 × 100
 * convergence with the platform on the same busy 2-core machine needed 100–200 ms (bench/converge.ts).
 */
const PLATFORM_WINDOW_MS = 1000;
const MARGIN = { minMs: 25, maxMs: 400, shrinkPerSecond: 10 };

const windows = new Map<string, SendWindow>();
const margins = new Map<string, ArrivalMargin>();

/**
 * The send window of one account on one platform, shared by its clients in this process as the bucket is;
 * its margin is shared by every account on the same platform endpoint (host and port).
 */
export function sharedSendWindow(key: string, endpoint: string, ratePerSecond: number): SendWindow {
  let window = windows.get(key);
  if (window === undefined) {
    let margin = margins.get(endpoint);
    if (margin === undefined) {
      margin = new ArrivalMargin(MARGIN.minMs, MARGIN.maxMs, MARGIN.shrinkPerSecond);
      margins.set(endpoint, margin);
    }
    window = new SendWindow(Math.max(1, Math.floor(ratePerSecond)), PLATFORM_WINDOW_MS, margin);
    windows.set(key, window);
  }
  return window;
}
