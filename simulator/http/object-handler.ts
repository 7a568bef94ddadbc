// The seam between the simulator's HTTP layer (simulator/http/) and its model (simulator/model/).
// The HTTP layer owns transport concerns: auth, privileges, rate limits, faults, QueryFilter evaluation,
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
}
