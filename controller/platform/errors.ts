// Typed errors of the platform client. Every message names the request (`POST AtomVersionUpdateRequest`),
// the account and the platform's own message — never a credential.

export type Verb = 'GET' | 'QUERY' | 'QUERY_MORE' | 'BULK' | 'CREATE' | 'UPDATE' | 'DELETE';

export type PlatformErrorCode =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'Gone'
  | 'RateLimited'
  | 'ServerError'
  | 'Unreachable'
  | 'InvalidResponse';

/** What a request was, for messages, counters and errors. */
export interface RequestDescription {
  verb: Verb;
  /** The API object: `Atom`, `AtomVersionUpdateRequest`… */
  object: string;
  /** HTTP method. */
  method: 'GET' | 'POST' | 'DELETE';
  /** Method and path below the account: `POST AtomVersionUpdateRequest`, `GET Atom/abc`, `POST Atom/query`. */
  request: string;
  accountId: string;
}

export interface PlatformErrorDetails extends RequestDescription {
  /** HTTP status; undefined when no answer came (Unreachable). */
  status?: number;
  /** The platform's message (its `{"@type":"Error","message"}`), or what went wrong on the way. */
  platformMessage: string;
  /** Attempts made, retries included. */
  attempts: number;
  /** A create that failed after it may have reached the platform: it may have been applied. */
  mayHaveApplied?: boolean;
}

const HINTS: Partial<Record<PlatformErrorCode, string>> = {
  Unauthorized: 'check the username (BOOMI_TOKEN.<user>) and the API token configured for this account',
  Forbidden:
    'the user lacks a privilege this call needs (API; ATOM_MANAGEMENT to change runtimes, ' +
    'ATOM_MANAGEMENT or ATOM_MANAGEMENT_READ_ONLY to read them)',
  RateLimited:
    "the account's rate limit was exceeded on every attempt; lower requestsPerSecond or retry later",
  Unreachable: 'check the platform URL and that the platform is up',
};

export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly status: number | undefined;
  readonly object: string;
  readonly verb: Verb;
  readonly method: RequestDescription['method'];
  readonly request: string;
  readonly accountId: string;
  readonly platformMessage: string;
  readonly attempts: number;
  readonly mayHaveApplied: boolean;

  constructor(code: PlatformErrorCode, details: PlatformErrorDetails) {
    super(formatMessage(code, details));
    this.name = 'PlatformError';
    this.code = code;
    this.status = details.status;
    this.object = details.object;
    this.verb = details.verb;
    this.method = details.method;
    this.request = details.request;
    this.accountId = details.accountId;
    this.platformMessage = details.platformMessage;
    this.attempts = details.attempts;
    this.mayHaveApplied = details.mayHaveApplied ?? false;
  }
}

export class UnauthorizedError extends PlatformError {
  constructor(details: PlatformErrorDetails) {
    super('Unauthorized', details);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends PlatformError {
  constructor(details: PlatformErrorDetails) {
    super('Forbidden', details);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends PlatformError {
  constructor(details: PlatformErrorDetails) {
    super('NotFound', details);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends PlatformError {
  constructor(details: PlatformErrorDetails) {
    super('Conflict', details);
    this.name = 'ConflictError';
  }
}

/** 503 (or 429) on every attempt: the account's rate limit, or the platform is overloaded. */
export class RateLimitedError extends PlatformError {
  constructor(details: PlatformErrorDetails) {
    super('RateLimited', details);
    this.name = 'RateLimitedError';
  }
}

/** No HTTP answer on any attempt: connection refused or reset, or the timeout. */
export class UnreachableError extends PlatformError {
  constructor(details: PlatformErrorDetails) {
    super('Unreachable', details);
    this.name = 'UnreachableError';
  }
}

/** The error for an HTTP answer with a non-success status. */
export function errorForStatus(details: PlatformErrorDetails & { status: number }): PlatformError {
  switch (details.status) {
    case 400:
      return new PlatformError('BadRequest', details);
    case 401:
      return new UnauthorizedError(details);
    case 403:
      return new ForbiddenError(details);
    case 404:
      return new NotFoundError(details);
    case 409:
      return new ConflictError(details);
    case 410:
      return new PlatformError('Gone', details);
    case 429:
    case 503:
      return new RateLimitedError(details);
    default:
      return new PlatformError(details.status >= 500 ? 'ServerError' : 'BadRequest', details);
  }
}

function formatMessage(code: PlatformErrorCode, details: PlatformErrorDetails): string {
  const what = `${details.request} for account ${details.accountId}`;
  const outcome =
    details.status === undefined
      ? `got no answer after ${attemptsText(details.attempts)}: ${details.platformMessage}`
      : code === 'InvalidResponse'
        ? `got an answer atomsync cannot use (HTTP ${details.status}): ${details.platformMessage}`
        : `failed with HTTP ${details.status}${retriedText(details.attempts)}: ${details.platformMessage}`;
  const notes = [HINTS[code]];
  if (details.mayHaveApplied) {
    notes.push('the create may have been applied; check the platform before sending it again');
  }
  const advice = notes.filter((note) => note !== undefined).join('; ');
  return advice === '' ? `${what} ${outcome}` : `${what} ${outcome} (${advice})`;
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

function retriedText(attempts: number): string {
  return attempts > 1 ? ` after ${attemptsText(attempts)}` : '';
}
