// What the HTTP layer needs from the model, beyond the per-object handlers. Implemented by
// simulator/model/world.ts; the HTTP layer depends only on this interface and object-handler.ts.
import type { ObjectHandler } from '../http/object-handler.js';

export interface SimUser {
  userId: string;
  /** API token (the Basic-auth password). Never logged. */
  token: string;
}

export interface SimulatorModel {
  /** Every API object the model serves. */
  handlers(): ObjectHandler[];
  /** Basic auth: the user whose `BOOMI_TOKEN.<userId>` / token match, else undefined. */
  authenticate(userId: string, token: string): SimUser | undefined;
  accountExists(accountId: string): boolean;
  /** Privilege names the user holds in the account (union of its roles' privileges); empty if none. */
  privileges(userId: string, accountId: string): string[];
  /** Partner form: may parentAccountId act on childAccountId? */
  isPartnerOf(parentAccountId: string, childAccountId: string): boolean;
  /** Requests per second allowed per account (R16); 0 or less = unlimited. */
  rateLimitPerSecond(): number;

  // ---- /_sim/ control ------------------------------------------------------------------------------
  /** The whole state as JSON (for GET /_sim/state). Tokens are replaced by "***". */
  dumpState(): unknown;
  now(): Date;
  /** Move the clock to `to` (never backwards: 409), running every due event in order. */
  setClock(to: Date): void;
  advanceClock(ms: number): void;
  /** Running executions on a runtime (R5 activity). */
  setActivity(accountId: string, runtimeId: string, runningExecutions: number): void;
  /** Start or stop a runtime (R5: an OFFLINE runtime takes changes when it next starts). */
  setRuntimeStatus(accountId: string, runtimeId: string, status: 'ONLINE' | 'OFFLINE'): void;
  /** Make the next `count` update requests on a runtime end FAILED (fault injection). */
  failNextRequests(accountId: string, runtimeId: string, count: number): void;
  /** Set the rate limit at run time (0 = off). */
  setRateLimit(perSecond: number): void;

  /** Persist now (atomic write) if a state file is configured. Called by the HTTP layer after writes. */
  persist(): Promise<void>;
  /** Advance model time to wall-clock time when the clock runs in real time; no-op otherwise. */
  tick(): void;

  // ---- optional (added by the model; callers check before use) --------------------------------------
  /** Every account id (for /_sim/ control that is not about one account). */
  accountIds?(): string[];
  /** When the next time-based event (restart step, release date…) is due, if any: lets a caller time its tick. */
  nextEventAt?(): Date | undefined;
}
