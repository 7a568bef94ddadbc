// The one HTTP stack atomsync uses to talk to GitHub's REST API: auth headers, the API version, a
// timeout, rate limits waited out within bounds, and every failure turned into a GithubApiError whose
// message says what atomsync was doing and what the token needs. Used by the PR reporter
// (pr-comments.ts, commit-status) and the GitHub issues receiver of `notify:`.
import { GithubApiError } from './errors.js';
import { rateLimitWait } from './rate-limit.js';

export interface GithubApiOptions {
  /** GitHub's REST API root; for GitHub Enterprise Server `https://host/api/v3`. */
  apiUrl?: string;
  token: string;
  /** `owner/name`, for messages. */
  repo: string;
  fetchImpl?: typeof fetch;
  /** Waits between rate-limited attempts (injected by tests). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock used to read x-ratelimit-reset (injected by tests). */
  now?: () => number;
  /** The longest single wait for a rate limit before giving up; 60 s by default. */
  maxRateLimitWaitMs?: number;
  /** How many rate-limited answers to wait out per call; 3 by default. */
  maxRateLimitRetries?: number;
  /** Per-request timeout; 30 s by default. */
  timeoutMs?: number;
  userAgent?: string;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the API root, or an absolute URL (a Link header's next page). */
  path: string;
  body?: unknown;
  /** What atomsync was doing, for messages: `list the comments on pull request #12`. */
  doing: string;
  /** The token permission the call needs. */
  permission: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

const API_VERSION = '2022-11-28';

export class GithubApi {
  readonly apiUrl: string;
  private readonly token: string;
  private readonly repo: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly maxRateLimitWaitMs: number;
  private readonly maxRateLimitRetries: number;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(options: GithubApiOptions) {
    if (!options.token) throw invalid('No GitHub token was given; set one to talk to GitHub.');
    this.apiUrl = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.token = options.token;
    this.repo = options.repo;
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 3;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'atomsync';
  }

  /** One API call, waiting out rate limits within bounds; every other failure is a GithubApiError. */
  async call(op: Operation): Promise<Answer> {
    for (let waits = 0; ; waits += 1) {
      const response = await this.send(op);
      const text = await response.text().catch(() => '');
      if (response.ok)
        return { status: response.status, headers: response.headers, json: parseJson(text, op) };
      const message = this.redact(githubMessage(text));
      const limit = rateLimitWait(response.status, response.headers, message, this.now());
      if (!limit) throw this.httpError(op, response.status, message);
      if (limit.waitMs > this.maxRateLimitWaitMs || waits >= this.maxRateLimitRetries) {
        throw rateLimitError(op, limit, this.maxRateLimitWaitMs, waits, response.status);
      }
      await this.sleep(limit.waitMs);
    }
  }

  private async send(op: Operation): Promise<Response> {
    const url = this.resolve(op.path);
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${this.token}`,
      'X-GitHub-Api-Version': API_VERSION,
      'User-Agent': this.userAgent,
    };
    const init: RequestInit = { method: op.method, headers, signal: AbortSignal.timeout(this.timeoutMs) };
    if (op.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(op.body);
    }
    try {
      return await this.fetchImpl(url, init);
    } catch (err) {
      const detail = this.redact(networkDetail(err));
      throw new GithubApiError(
        'GITHUB_UNREACHABLE',
        `Could not reach GitHub at ${this.apiUrl} to ${op.doing}: ${detail}. Check the API URL and the network.`,
      );
    }
  }

  /** API paths and next-page links; a link to another origin is refused so the token stays home. */
  private resolve(path: string): string {
    if (!/^https?:\/\//i.test(path)) return `${this.apiUrl}${path}`;
    if (new URL(path).origin !== new URL(this.apiUrl).origin) {
      throw new GithubApiError(
        'GITHUB_BAD_RESPONSE',
        `GitHub sent a next-page link to another host (${new URL(path).origin}); atomsync does not follow it.`,
      );
    }
    return path;
  }

  private httpError(op: Operation, status: number, message: string): GithubApiError {
    const said = message ? ` GitHub said: ${message}` : '';
    const where = `GitHub answered ${status} when atomsync tried to ${op.doing} in ${this.repo}`;
    if (status === 401) {
      return new GithubApiError(
        'GITHUB_UNAUTHORIZED',
        `${where}: the token is invalid or expired. Give atomsync a valid token.${said}`,
        status,
      );
    }
    if (status === 403) {
      return new GithubApiError(
        'GITHUB_FORBIDDEN',
        `${where}: the token lacks permission; it needs ${op.permission}.${said}`,
        status,
      );
    }
    if (status === 404) {
      return new GithubApiError(
        'GITHUB_NOT_FOUND',
        `${where}: not found. Check the repository and pull request, and that the token can see them.${said}`,
        status,
      );
    }
    const code = status >= 500 ? 'GITHUB_SERVER_ERROR' : 'GITHUB_REJECTED';
    return new GithubApiError(code, `${where}.${said}`, status);
  }

  private redact(text: string): string {
    return text.split(this.token).join('***');
  }
}

function rateLimitError(
  op: Operation,
  limit: { waitMs: number; resetAt?: Date },
  maxWaitMs: number,
  waits: number,
  status: number,
): GithubApiError {
  const reset = limit.resetAt ? ` It resets at ${limit.resetAt.toISOString()}.` : '';
  const why =
    limit.waitMs > maxWaitMs
      ? `GitHub asks for a wait of ${seconds(limit.waitMs)}, longer than the ${seconds(maxWaitMs)} atomsync waits`
      : waits === 0
        ? `GitHub asks for a wait of ${seconds(limit.waitMs)}`
        : `GitHub still rate-limited the token after ${waits} wait${waits === 1 ? '' : 's'}`;
  return new GithubApiError(
    'GITHUB_RATE_LIMITED',
    `GitHub answered ${status} (rate limit) when atomsync tried to ${op.doing}: ${why}.${reset} Try again later.`,
    status,
    limit.waitMs,
  );
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function parseJson(text: string, op: Operation): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GithubApiError('GITHUB_BAD_RESPONSE', `GitHub's answer to ${op.doing} was not JSON.`);
  }
}

function githubMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? message : '';
  } catch {
    return text.slice(0, 200);
  }
}

function networkDetail(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time';
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

export function invalid(message: string): GithubApiError {
  return new GithubApiError('GITHUB_INVALID_ARGUMENT', message);
}
