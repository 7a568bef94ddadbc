// AtomSphereClient: the only way the controller reaches the platform. It speaks Boomi's Platform API
// (docs/platform-api.md): Basic auth, JSON, QUERY paging through queryMore, bulk GET in batches of 100, the partner
// form, a token bucket per account (R16), and retries with backoff for what is worth retrying.
import { setTimeout as delay } from 'node:timers/promises';
import type { CredentialProvider } from '../config/credential-source.js';
import type { Credentials } from '../config/credentials.js';
import { processSecrets } from '../log/secret-scrubber.js';
import { errorForStatus, PlatformError, UnreachableError } from './errors.js';
import type { RequestDescription, Verb } from './errors.js';
import { attemptOnce, DEFAULT_MAX_ANSWER_BYTES } from './http-attempt.js';
import type { Answer, AttemptOutcome, OversizedAnswer } from './http-attempt.js';
import { bulkAnswerProblem, queryPageProblem, shapeProblem, type Shape } from './answer-shapes.js';
import { cleanPlatformText } from './platform-text.js';
import { MATCH_ALL } from './query-expression.js';
import { RequestCounter } from './request-counter.js';
import type { RequestEvent, RequestStats } from './request-counter.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, statusMayHaveApplied } from './retry-policy.js';
import { sharedSendWindow, sharedTokenBucket } from './token-bucket.js';
import type { SendWindow, TokenBucket } from './token-bucket.js';
import type { BulkRequest, BulkResult, QueryConfig, QueryExpression, QueryResult } from './wire.js';

/** The platform answers at most this many ids per bulk call. */
const BULK_BATCH_SIZE = 100;

/** How often one query may start over after its queryToken was lost (see `query`). */
const MAX_QUERY_RESTARTS = 2;

export interface AtomSphereClientOptions {
  /** Scheme, host and port only, e.g. `http://127.0.0.1:9090` or `https://api.boomi.com`. */
  baseUrl: string;
  /** The account the calls act on. */
  accountId: string;
  /** When set, calls use the partner form `/partner/api/rest/v1/{partner}/…?overrideAccount={accountId}`. */
  partnerAccountId?: string;
  /** `BOOMI_TOKEN.<userId>`. A fixed credential; give `credentials` instead for one read per call. */
  username?: string;
  /** The API token (Basic-auth password). Never logged, never in an error message. */
  token?: string;
  /**
   * Asked before every attempt (rotation without a restart); asked again with `fresh` once per call
   * when the platform answers 401. Its errors fail the call as `NoCredential`.
   */
  credentials?: CredentialProvider;
  /** Client-side limit per account, shared by all clients of the account in this process. 0 = none. */
  requestsPerSecond?: number;
  /**
   * Requests that may go at once after a quiet period. Default 1: evenly spaced requests never put more
   * than the limit into any one-second window, where a burst would earn 503s from a sliding-window limit.
   */
  burst?: number;
  /** Per attempt, covering connect, answer and body. */
  timeoutMs?: number;
  /** Answers with a larger body are refused unread (InvalidResponse). Default 16 MiB. */
  maxAnswerBytes?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Send through this fetch instead of node:http(s) (tests, a deadline wrapper). */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1), for backoff jitter. */
  random?: () => number;
  /** Clock in ms (token bucket refill, HTTP-date Retry-After, durations). */
  now?: () => number;
  /** Share one counter between clients; each client has its own otherwise. */
  counter?: RequestCounter;
  /** Called once per HTTP attempt (e.g. to feed prom-client). Exceptions from it are ignored. */
  onRequest?: (event: RequestEvent) => void;
}

export interface CreateOptions<T> {
  /**
   * Looks for the object a previous attempt of this create may already have made. See `create`.
   * Return undefined when there is none.
   */
  findExisting?: () => Promise<T | undefined>;
  /** The shape the created object must have; an answer that differs is an InvalidResponse. */
  shape?: Shape;
}

export interface BulkItemError {
  id: string;
  statusCode: number;
  message: string;
}

export interface BulkGetResult<T> {
  /** Found objects by requested id. */
  items: Map<string, T>;
  /** Ids the platform answered with an error (e.g. 404: no such object). */
  errors: BulkItemError[];
}

interface Call {
  description: RequestDescription;
  /** Path below the account: `Atom/query`, `AtomVersions/abc`. */
  path: string;
  body?: string;
  contentType?: string;
  findExisting?: () => Promise<unknown>;
  /** Where a successful answer differs from the expected shape; undefined when it does not. */
  check?: (json: unknown) => string | undefined;
}

type Verdict =
  | { kind: 'success'; answer: Answer }
  /** 401 with a provider that may have a newer credential: ask it afresh and send again at once. */
  | { kind: 'refresh' }
  /** A DELETE whose earlier attempt may have applied now answers 404: it is gone, as asked. */
  | { kind: 'done' }
  | { kind: 'retry'; reached: boolean }
  | { kind: 'fail'; mayHaveApplied: boolean };

const USERNAME_PREFIX = 'BOOMI_TOKEN.';

/** `BOOMI_TOKEN.admin@x` → `admin@x`. */
function userIdOf(username: string): string {
  return username.startsWith(USERNAME_PREFIX) ? username.slice(USERNAME_PREFIX.length) : username;
}

export class AtomSphereClient {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly partnerAccountId: string | undefined;
  readonly counter: RequestCounter;

  private readonly credentials: CredentialProvider;
  /** Whether the credential can change between calls (a provider rather than a fixed credential). */
  private readonly rotates: boolean;
  /** The credential of the latest attempt (a fixed one from the start). */
  private current: Credentials | undefined;
  private readonly bucket: TokenBucket | undefined;
  private readonly sendWindow: SendWindow | undefined;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  /** Undefined: node:http(s) (http-attempt.ts). */
  private readonly fetchImpl: typeof fetch | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onRequest: ((event: RequestEvent) => void) | undefined;

  constructor(options: AtomSphereClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.accountId = options.accountId;
    this.partnerAccountId = options.partnerAccountId;
    this.rotates = options.credentials !== undefined;
    if (options.credentials !== undefined) {
      this.credentials = options.credentials;
    } else {
      const fixed = fixedCredential(options);
      this.credentials = () => Promise.resolve(fixed);
      this.noteCredential(fixed);
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.maxRetries = options.maxRetries ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.fetchImpl = options.fetchImpl;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.counter = options.counter ?? new RequestCounter();
    this.onRequest = options.onRequest;
    const rate = options.requestsPerSecond ?? 10;
    const limitKey = `${this.baseUrl}|${this.accountId}`;
    this.bucket = rate > 0 ? sharedTokenBucket(limitKey, rate, this.now, options.burst) : undefined;
    this.sendWindow = rate > 0 ? sharedSendWindow(limitKey, new URL(this.baseUrl).host, rate) : undefined;
  }

  /** `BOOMI_TOKEN.<userId>` of the latest credential ('' before the first call with a provider). */
  get username(): string {
    return this.current?.username ?? '';
  }

  /** The user id as in `BOOMI_TOKEN.<userId>`, of the latest credential. */
  get userId(): string {
    return userIdOf(this.username);
  }

  /** The user id of the credential as of now (asks the provider). */
  async currentUserId(): Promise<string> {
    if (this.current === undefined) await this.credentialFor(this.call('GET', 'Credential', 'GET', ''));
    return this.userId;
  }

  /** Counts of this client's requests (or of every client sharing its counter). */
  get stats(): RequestStats {
    return this.counter.snapshot();
  }

  /**
   * `GET /{object}/{id}`. Throws NotFoundError when there is no such object, and InvalidResponse when the
   * answer is not an object of `shape`.
   */
  async get<T>(object: string, id: string, shape: Shape = {}): Promise<T> {
    const call = this.call('GET', object, 'GET', `${object}/${encodeURIComponent(id)}`);
    call.check = (json) => shapeProblem(json, shape, 'the answer');
    return (await this.send(call)) as T;
  }

  /**
   * `POST /{object}/query`, then `queryMore` while a queryToken comes back; pages are fetched as the
   * iteration reaches them. Without an expression every object is returned.
   *
   * Query tokens may be single-use: when a queryMore attempt was lost after the platform used the token,
   * its retry answers 410. The query then starts over and skips the results already yielded (this
   * assumes the platform's order is stable), at most MAX_QUERY_RESTARTS times.
   */
  async *query<T>(
    object: string,
    expression: QueryExpression = MATCH_ALL,
    shape: Shape = {},
  ): AsyncGenerator<T, void, undefined> {
    let yielded = 0;
    for (let restarts = 0; ; restarts++) {
      try {
        let skip = yielded;
        for await (const item of this.queryOnce<T>(object, expression, shape)) {
          if (skip > 0) {
            skip -= 1;
            continue;
          }
          yielded += 1;
          yield item;
        }
        return;
      } catch (error) {
        if (!isLostQueryToken(error) || restarts >= MAX_QUERY_RESTARTS) throw error;
      }
    }
  }

  /** Every result of `query`, as an array. */
  async queryAll<T>(object: string, expression?: QueryExpression, shape?: Shape): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this.query<T>(object, expression, shape)) all.push(item);
    return all;
  }

  /** `POST /{object}/bulk`, one call per 100 distinct ids. Unknown ids land in `errors`, not in a throw. */
  async bulkGet<T>(object: string, ids: readonly string[], shape: Shape = {}): Promise<BulkGetResult<T>> {
    const result: BulkGetResult<T> = { items: new Map(), errors: [] };
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += BULK_BATCH_SIZE) {
      const batch = unique.slice(start, start + BULK_BATCH_SIZE);
      const request: BulkRequest = { type: 'GET', request: batch.map((id) => ({ id })) };
      const call = this.call('BULK', object, 'POST', `${object}/bulk`, JSON.stringify(request));
      call.check = (json) => bulkAnswerProblem(json, shape);
      collectBulkAnswer(batch, (await this.send(call)) as BulkResult<T>, result);
    }
    return result;
  }

  /**
   * `POST /{object}`: creates an object (or a request, which the platform answers with 202).
   *
   * A create is never applied twice. When an attempt may have reached the platform without an answer
   * saying what happened (timeout, connection reset, 5xx), the client does not simply send it again:
   * - with `findExisting`, it calls that first on every later attempt (after the backoff wait) and, if it
   *   returns an object, returns that object instead of re-sending. `findExisting` must find what this
   *   create would have made — e.g. query AtomVersionUpdateRequest by atomId with a non-terminal status —
   *   and must not itself create anything. If it throws, the create fails with that error.
   * - without `findExisting`, it throws at once with `mayHaveApplied: true`.
   * Failures that prove the request never arrived (connection refused, 429) are retried either way.
   * The body gets `"@type": object` unless it has one.
   */
  async create<T>(object: string, body: object, options: CreateOptions<T> = {}): Promise<T> {
    const call = this.call('CREATE', object, 'POST', object, JSON.stringify(withType(object, body)));
    if (options.findExisting !== undefined) call.findExisting = options.findExisting;
    const shape = options.shape;
    if (shape !== undefined) call.check = (json) => shapeProblem(json, shape, 'the answer');
    return (await this.send(call)) as T;
  }

  /**
   * `POST /{object}/{id}` with the fields to change. Idempotent, so retried like a read; with
   * `findExisting`, a retry after an attempt that may have arrived first asks it whether the object already
   * is as asked (and then returns it without writing again).
   */
  async update<T>(
    object: string,
    id: string,
    body: object,
    options: { findExisting?: () => Promise<T | undefined> } = {},
  ): Promise<T> {
    const path = `${object}/${encodeURIComponent(id)}`;
    const call = this.call('UPDATE', object, 'POST', path, JSON.stringify(withType(object, body)));
    if (options.findExisting !== undefined) call.findExisting = options.findExisting;
    return (await this.send(call)) as T;
  }

  /** `DELETE /{object}/{id}`. A 404 on a retry after an attempt that may have applied counts as done. */
  async delete(object: string, id: string): Promise<void> {
    await this.send(this.call('DELETE', object, 'DELETE', `${object}/${encodeURIComponent(id)}`));
  }

  private async *queryOnce<T>(
    object: string,
    expression: QueryExpression,
    shape: Shape,
  ): AsyncGenerator<T, void, undefined> {
    const config: QueryConfig = { QueryFilter: { expression } };
    const first = this.call('QUERY', object, 'POST', `${object}/query`, JSON.stringify(config));
    first.check = (json) => queryPageProblem(json, shape);
    let page = (await this.send(first)) as QueryResult<T>;
    for (;;) {
      const results = page.result ?? [];
      yield* results;
      const token = page.queryToken;
      if (token === undefined || token === '' || results.length === 0) return;
      const more = this.call('QUERY_MORE', object, 'POST', `${object}/queryMore`, token, 'text/plain');
      more.check = first.check;
      page = (await this.send(more)) as QueryResult<T>;
    }
  }

  // ---- the request loop ----------------------------------------------------------------------------

  private call(
    verb: Verb,
    object: string,
    method: RequestDescription['method'],
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Call {
    const description = { verb, object, method, request: `${method} ${path}`, accountId: this.accountId };
    return body === undefined ? { description, path } : { description, path, body, contentType };
  }

  /**
   * The platform's current time, from the Date header of its latest answer (wall time before any answer).
   * Planning uses it so that release dates and windows are judged by the platform's clock.
   */
  platformNow(): Date {
    return new Date(this.now() + this.platformClockOffsetMs);
  }

  private platformClockOffsetMs = 0;

  /** What every answer tells beyond its call: the platform's clock, and whether the pacing kept its limit. */
  private noteAnswer(answer: Answer): void {
    this.notePlatformDate(answer.date);
    if (answer.status === 503 || answer.status === 429) this.sendWindow?.margin?.refused(this.now());
  }

  private notePlatformDate(date: string | null): void {
    const ms = date ? Date.parse(date) : Number.NaN;
    if (!Number.isNaN(ms)) this.platformClockOffsetMs = ms - this.now();
  }

  private async send(call: Call): Promise<unknown> {
    let reachedBefore = false;
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      if (reachedBefore && call.findExisting !== undefined) {
        const existing = await call.findExisting();
        if (existing !== undefined) return existing;
      }
      const credential = await this.credentialFor(call, { fresh });
      await this.throttle();
      const started = this.now();
      const outcome = await attemptOnce(this.fetchImpl, this.attemptRequest(call, credential));
      if (outcome.kind === 'answer') this.noteAnswer(outcome);
      const verdict = this.judge(call, outcome, attempt, reachedBefore, fresh);
      const again = verdict.kind === 'retry' || verdict.kind === 'refresh';
      this.record(call, outcome, attempt, again, this.now() - started);
      if (verdict.kind === 'success') return this.successValue(call, verdict.answer, attempt);
      if (verdict.kind === 'done') return undefined;
      if (verdict.kind === 'fail') throw this.failure(call, outcome, attempt, verdict.mayHaveApplied);
      if (verdict.kind === 'refresh') {
        fresh = true;
        continue;
      }
      reachedBefore ||= verdict.reached;
      await this.sleep(this.waitBeforeRetry(attempt, outcome));
    }
  }

  /** The credential for the next attempt; a provider failure fails the call (nothing was sent). */
  private async credentialFor(call: Call, options: { fresh?: boolean } = {}): Promise<Credentials> {
    let credentials: Credentials;
    try {
      credentials = await this.credentials(options.fresh ? { fresh: true } : undefined);
    } catch (error) {
      throw new PlatformError('NoCredential', {
        ...call.description,
        attempts: 0,
        platformMessage: error instanceof Error ? error.message : String(error),
      });
    }
    this.noteCredential(credentials);
    return credentials;
  }

  private noteCredential(credentials: Credentials): void {
    this.current = credentials;
    rememberCredentials(credentials.username, credentials.token);
  }

  /** What an attempt's outcome means for the call. */
  private judge(
    call: Call,
    outcome: AttemptOutcome,
    attempt: number,
    reachedBefore: boolean,
    refreshed: boolean,
  ): Verdict {
    const { verb } = call.description;
    if (outcome.kind === 'oversized') return { kind: 'fail', mayHaveApplied: verb === 'CREATE' };
    if (outcome.kind === 'answer' && outcome.status < 300) return { kind: 'success', answer: outcome };
    if (outcome.kind === 'answer' && outcome.status === 401 && !refreshed && this.rotates) {
      return { kind: 'refresh' };
    }
    if (verb === 'DELETE' && reachedBefore && outcome.kind === 'answer' && outcome.status === 404) {
      return { kind: 'done' };
    }
    const retryable = outcome.kind === 'no-answer' || isRetryableStatus(outcome.status);
    const reached = outcome.kind === 'no-answer' ? outcome.maySent : statusMayHaveApplied(outcome.status);
    const createMayHaveApplied = verb === 'CREATE' && reached;
    const unsafeToResend = createMayHaveApplied && call.findExisting === undefined;
    if (retryable && attempt <= this.maxRetries && !unsafeToResend) return { kind: 'retry', reached };
    return { kind: 'fail', mayHaveApplied: createMayHaveApplied };
  }

  private successValue(call: Call, answer: Answer, attempt: number): unknown {
    const invalid = (platformMessage: string) =>
      new PlatformError('InvalidResponse', {
        ...call.description,
        status: answer.status,
        attempts: attempt,
        platformMessage,
        mayHaveApplied: call.description.verb === 'CREATE',
      });
    if (answer.json === undefined && answer.text.trim() !== '') {
      throw invalid(`the answer is not JSON: ${cleanPlatformText(answer.text, processSecrets, 200)}`);
    }
    const problem = call.check?.(answer.json);
    if (problem !== undefined) {
      throw invalid(`the answer does not have the expected shape: ${cleanPlatformText(problem)}`);
    }
    return answer.json;
  }

  private failure(
    call: Call,
    outcome: AttemptOutcome,
    attempts: number,
    mayHaveApplied: boolean,
  ): PlatformError {
    const details = { ...call.description, attempts, mayHaveApplied };
    if (outcome.kind === 'no-answer') {
      return new UnreachableError({ ...details, platformMessage: `${outcome.detail} (${this.baseUrl})` });
    }
    if (outcome.kind === 'oversized') return oversizedAnswerError(details, outcome);
    return errorForStatus({
      ...details,
      status: outcome.status,
      platformMessage: this.platformMessage(outcome),
    });
  }

  private platformMessage(answer: Answer): string {
    const message = (answer.json as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && message !== '') return cleanPlatformText(message);
    const text = cleanPlatformText(answer.text, processSecrets, 200);
    return text === '' ? 'no message' : text;
  }

  private waitBeforeRetry(attempt: number, outcome: AttemptOutcome): number {
    const retryAfter =
      outcome.kind === 'answer' ? parseRetryAfter(outcome.retryAfter, this.now()) : undefined;
    if (retryAfter !== undefined) return retryAfter;
    return backoffDelay(attempt - 1, {
      baseMs: this.retryBaseMs,
      maxMs: this.retryMaxMs,
      random: this.random,
    });
  }

  /**
   * How long until the requests already waiting for the account's rate limit have gone (ms): above 0, they
   * use the whole budget. Lets callers put off reads that can wait while writes go out.
   */
  rateBacklogMs(): number {
    return this.bucket?.backlogMs() ?? 0;
  }

  /**
   * Waits for the request's slot in the token bucket, then for its turn in the account's send window (by
   * the times requests actually went: a slot kept late, or a retry, may otherwise crowd a window).
   */
  private async throttle(): Promise<void> {
    const wait = this.bucket?.reserve() ?? 0;
    if (wait > 0) await this.sleep(wait);
    await this.sendWindow?.take(
      () => this.now(),
      (ms) => this.sleep(ms),
    );
  }

  private attemptRequest(call: Call, credentials: Credentials) {
    const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64')}`;
    const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
    if (call.contentType !== undefined) headers['Content-Type'] = call.contentType;
    const request = {
      url: this.url(call.path),
      method: call.description.method,
      headers,
      timeoutMs: this.timeoutMs,
      maxAnswerBytes: this.maxAnswerBytes,
    };
    return call.body === undefined ? request : { ...request, body: call.body };
  }

  private url(path: string): string {
    const account = encodeURIComponent(this.accountId);
    if (this.partnerAccountId === undefined) return `${this.baseUrl}/api/rest/v1/${account}/${path}`;
    const partner = encodeURIComponent(this.partnerAccountId);
    return `${this.baseUrl}/partner/api/rest/v1/${partner}/${path}?overrideAccount=${account}`;
  }

  private record(
    call: Call,
    outcome: AttemptOutcome,
    attempt: number,
    willRetry: boolean,
    durationMs: number,
  ): void {
    const { accountId, object, verb, method } = call.description;
    const event: RequestEvent = {
      accountId,
      object,
      verb,
      method,
      outcome: 'ok',
      attempt,
      willRetry,
      durationMs,
    };
    if (outcome.kind === 'oversized') {
      event.status = outcome.status;
      event.outcome = 'http-error';
    } else if (outcome.kind === 'answer') {
      event.status = outcome.status;
      event.outcome = outcome.status < 300 ? 'ok' : 'http-error';
    } else {
      event.outcome = outcome.reason;
    }
    this.counter.record(event);
    try {
      this.onRequest?.(event);
    } catch {
      // A broken metrics hook must not fail platform calls.
    }
  }
}

function oversizedAnswerError(
  details: RequestDescription & { attempts: number; mayHaveApplied: boolean },
  outcome: OversizedAnswer,
): PlatformError {
  const cap = `${Math.round((outcome.maxBytes / 1024 / 1024) * 10) / 10} MiB`;
  return new PlatformError('InvalidResponse', {
    ...details,
    status: outcome.status,
    platformMessage: `the ${details.object} answer is larger than the ${cap} cap on platform answers and was not read`,
  });
}

/** The platform may echo the credentials back (error text): make sure they are known to the scrubber. */
function rememberCredentials(username: string, token: string): void {
  processSecrets.addBasicAuth(username, token);
}

function fixedCredential(options: AtomSphereClientOptions): Credentials {
  if (options.username === undefined || options.token === undefined) {
    throw new TypeError('AtomSphereClient needs `credentials`, or both `username` and `token`');
  }
  return { username: options.username, token: options.token };
}

function isLostQueryToken(error: unknown): boolean {
  return error instanceof PlatformError && error.code === 'Gone' && error.verb === 'QUERY_MORE';
}

function withType(object: string, body: object): object {
  return '@type' in body ? body : { '@type': object, ...body };
}

function collectBulkAnswer<T>(batch: string[], answer: BulkResult<T>, into: BulkGetResult<T>): void {
  const answered = new Set<string>();
  for (const [position, item] of answer.response.entries()) {
    const id = item.id ?? batch[item.index ?? position];
    if (id === undefined) continue;
    answered.add(id);
    if (item.statusCode >= 200 && item.statusCode < 300 && item.Result !== undefined) {
      into.items.set(id, item.Result);
    } else {
      into.errors.push({
        id,
        statusCode: item.statusCode,
        message: item.errorMessage ? cleanPlatformText(item.errorMessage) : `HTTP ${item.statusCode}`,
      });
    }
  }
  for (const id of batch) {
    if (!answered.has(id)) into.errors.push({ id, statusCode: 404, message: 'missing from the bulk answer' });
  }
}
