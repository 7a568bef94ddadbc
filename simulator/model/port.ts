// The model's port: what the simulator's HTTP layer (simulator/http/) may ask of the world (the model,
// simulator/model/world.ts implements it). The HTTP layer owns transport concerns: auth, privileges, rate limits, faults, QueryFilter evaluation,
// paging, bulk, partner form, error bodies. The model owns the platform's state and rules (R1–R16) and
// exposes each API object as an ObjectHandler.

/** Who is calling, after Basic auth and overrideAccount resolution. */
export interface CallContext {
  /** The account the request acts on (the URL's account, or overrideAccount in the partner form). */
  accountId: string;
  /** The user id as in `BOOMI_TOKEN.<userId>`. */
  userId: string;
  /** Privileges the user holds in accountId (from its roles). */
  privileges: ReadonlySet<string>;
}

/** An error the model raises; the HTTP layer renders it as {"@type":"Error","message":…}. */
export class SimError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

/** A Boomi-shaped JSON object, `@type` included. */
export type WireObject = { '@type': string } & Record<string, unknown>;

/**
 * How QUERY reads one property of an object: a string, several strings (any may match), or undefined.
 * Property names and operators are exactly those of the object's *SimpleExpression schema in Boomi's OpenAPI.
 */
export type PropertyReader = (obj: WireObject) => string | string[] | undefined;

export interface ObjectHandler {
  /** The object name in the URL: `Atom`, `AtomVersions`, `IntegrationPackPendingUpdateRequest`… */
  readonly type: string;
  /** Privileges of which the caller needs one to read / to write (R15). Empty = only API. */
  readonly readPrivileges: readonly string[];
  readonly writePrivileges: readonly string[];
  /** QUERY support: property readers and the operators the object's schema allows. */
  readonly query?: { properties: Record<string, PropertyReader>; operators: readonly string[] };
  /** get and list may answer the same deeply frozen object again while it is unchanged (its JSON is kept). */
  get?(ctx: CallContext, id: string): WireObject | undefined;
  /** Every object visible to ctx.accountId (QUERY filters and pages them). */
  list?(ctx: CallContext): WireObject[];
  create?(ctx: CallContext, body: Record<string, unknown>): { status: 200 | 202; body: WireObject };
  update?(ctx: CallContext, id: string, body: Record<string, unknown>): WireObject;
  delete?(ctx: CallContext, id: string): void;
  /** Execute-style POST without id that isn't a create (RuntimeRestartRequest). Falls back to create. */
  bulkSupported?: boolean;
  /**
   * GET only in Boomi's async form: `GET /async/{type}/{id}` answers a token, `GET /async/{type}/response/{token}`
   * the object (AtomCounters, RuntimeProperties, …); a plain GET is not served.
   */
  readsAsync?: boolean;
  /** GET without an id (`GET /getAssignableRoles`): get is called with the id "". */
  readsWithoutId?: boolean;
}

export interface SimUser {
  userId: string;
  /** API token (the Basic-auth password). Never logged. */
  token: string;
}

export interface WorldPort {
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
  /**
   * A person applies pending versions or rolls back in the UI (AuditLog: Boomi's UI names). The body:
   * {accountId, atomId, action: APPLY_PENDING | ROLLBACK, components, userId}.
   */
  uiVersionAction?(body: Record<string, unknown>): { requestId: string };
  /** When the next time-based event (restart step, release date…) is due, if any: lets a caller time its tick. */
  nextEventAt?(): Date | undefined;
  /**
   * The world's release calendar as Boomi announces it (GET /_sim/calendar): the embedded platform's own, so
   * a CLI that started it plans with exact slots. Null dates once the Platform Release has passed.
   */
  releaseCalendar?(): { runtimeReleaseWindowOpens: string | null; platformRelease: string | null };
}
