// R16: at most N requests per second per account, over a sliding one-second window. Refused requests do
// not count. The limit is read on every request so /_sim/ can change it at run time.
const WINDOW_MS = 1000;

export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly limitPerSecond: () => number,
    private readonly nowMs: () => number,
  ) {}

  /** Records a request for the account; false when it is over the limit. */
  tryAcquire(accountId: string): boolean {
    const limit = this.limitPerSecond();
    if (!(limit > 0)) return true;
    const now = this.nowMs();
    const stamps = (this.recent.get(accountId) ?? []).filter((t) => t > now - WINDOW_MS);
    if (stamps.length >= limit) {
      this.recent.set(accountId, stamps);
      return false;
    }
    stamps.push(now);
    this.recent.set(accountId, stamps);
    return true;
  }
}
