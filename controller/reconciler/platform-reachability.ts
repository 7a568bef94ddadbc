// Whether the platform answers, from the client's per-attempt events: any HTTP answer (even an error
// status) means it is reachable; a final timeout or network failure means it is not.
import type { RequestEvent } from '../platform/request-counter.js';

export interface ReachabilityState {
  reachable: boolean;
  message: string;
}

export class PlatformReachability {
  private current: ReachabilityState = {
    reachable: false,
    message: 'no platform call has been answered yet',
  };

  record(event: RequestEvent): void {
    if (event.outcome === 'ok' || event.outcome === 'http-error') {
      this.current = { reachable: true, message: `last call answered (HTTP ${event.status ?? '?'})` };
      return;
    }
    if (event.willRetry) return;
    this.current = {
      reachable: false,
      message: `${event.method} ${event.object} for account ${event.accountId} failed: ${event.outcome}`,
    };
  }

  /** From whole-account observations: any account read means reachable; only Unreachable errors mean not. */
  recordObservations(
    accounts: readonly { accountId: string; error?: { code: string; message: string } }[],
  ): void {
    if (accounts.length === 0) return;
    const read = accounts.filter((account) => !account.error);
    if (read.length > 0) {
      this.current = { reachable: true, message: `observed ${read.length} account(s)` };
      return;
    }
    const unreachable = accounts.find((account) => account.error?.code === 'Unreachable');
    if (unreachable?.error) this.current = { reachable: false, message: unreachable.error.message };
    else this.current = { reachable: true, message: 'the platform answers, but no account could be read' };
  }

  /** True once anything was recorded. */
  get known(): boolean {
    return this.current.message !== 'no platform call has been answered yet';
  }

  state(): ReachabilityState {
    return { ...this.current };
  }
}
