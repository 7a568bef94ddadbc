// Posts plan reports to a GitHub pull request: one comment per part, found again by its hidden marker
// and updated in place on every run, plus a commit status. Talks to the GitHub REST API with fetch.

import { readMarker } from './comment-markers.js';
import { GithubApiError } from './errors.js';
import { nextPageUrl } from './link.js';
import { rateLimitWait } from './rate-limit.js';

export { GithubApiError, type GithubErrorCode } from './errors.js';

export type CommitState = 'success' | 'failure' | 'error' | 'pending';

export interface GithubReporterOptions {
  /** GitHub's REST API root; for GitHub Enterprise Server `https://host/api/v3`. */
  apiUrl?: string;
  token: string;
  /** `owner/name`. */
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

export interface UpsertedComment {
  /** 1-based part number. */
  part: number;
  id: number;
  action: 'created' | 'updated' | 'unchanged';
}

export interface UpsertResult {
  comments: UpsertedComment[];
  /** Ids of older parts deleted because the report now has fewer parts. */
  deleted: number[];
}

interface IssueComment {
  id: number;
  body: string;
}

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the API root, or an absolute URL (a Link header's next page). */
  path: string;
  body?: unknown;
  /** What atomsync was doing, for messages: `list the comments on pull request #12`. */
  doing: string;
  /** The token permission the call needs. */
  permission: string;
}

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

const API_VERSION = '2022-11-28';
const DESCRIPTION_LIMIT = 140;
const COMMIT_STATES: readonly CommitState[] = ['success', 'failure', 'error', 'pending'];
const READ_COMMENTS = 'issues:read (or pull-requests:read)';
const WRITE_COMMENTS = 'issues:write (or pull-requests:write)';

export class GithubReporter {
  private readonly apiUrl: string;
  private readonly token: string;
  private readonly repo: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly maxRateLimitWaitMs: number;
  private readonly maxRateLimitRetries: number;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(options: GithubReporterOptions) {
    if (!options.token) throw invalid('No GitHub token was given; set one to post plan reports.');
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(options.repo)) {
      throw invalid(`The repository must be written owner/name, not "${options.repo}".`);
    }
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

  /**
   * Makes the PR's atomsync comments equal `parts` (as made by splitForGithub): existing parts are
   * updated in place, missing ones created, and parts left over from a longer report deleted. An empty
   * `parts` removes atomsync's comments.
   */
  async upsertComments(pr: number, parts: readonly string[]): Promise<UpsertResult> {
    checkPullRequest(pr);
    checkParts(parts);
    const existing = await this.listPlanComments(pr);
    const comments: UpsertedComment[] = [];
    for (const [index, body] of parts.entries()) {
      const part = index + 1;
      const old = existing.get(part)?.shift();
      comments.push(
        old ? await this.updateComment(pr, part, old, body) : await this.createComment(pr, part, body),
      );
    }
    const deleted: number[] = [];
    for (const surplus of [...existing.values()].flat()) {
      await this.deleteComment(pr, surplus.id);
      deleted.push(surplus.id);
    }
    return { comments, deleted };
  }

  /** Sets the commit status `context` on `sha`; the description is cut to one line of 140 characters. */
  async setStatus(
    sha: string,
    state: CommitState,
    description: string,
    context = 'atomsync/plan',
    targetUrl?: string,
  ): Promise<void> {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(sha)) throw invalid(`"${sha}" is not a full commit SHA.`);
    if (!COMMIT_STATES.includes(state))
      throw invalid(`Commit state must be one of ${COMMIT_STATES.join(', ')}.`);
    const body: Record<string, string> = { state, description: statusDescription(description), context };
    if (targetUrl) body.target_url = targetUrl;
    await this.call({
      method: 'POST',
      path: `/repos/${this.repo}/statuses/${sha}`,
      body,
      doing: `set the ${context} status on commit ${sha.slice(0, 12)}`,
      permission: 'statuses:write',
    });
  }

  /** atomsync's comments on the PR by part number, oldest first, following every page. */
  private async listPlanComments(pr: number): Promise<Map<number, IssueComment[]>> {
    const byPart = new Map<number, IssueComment[]>();
    let path: string | undefined = `/repos/${this.repo}/issues/${pr}/comments?per_page=100`;
    while (path) {
      const answer = await this.call({
        method: 'GET',
        path,
        doing: `list the comments on pull request #${pr}`,
        permission: READ_COMMENTS,
      });
      for (const comment of commentList(answer.json)) {
        const marker = readMarker(comment.body);
        if (marker) byPart.set(marker.part, [...(byPart.get(marker.part) ?? []), comment]);
      }
      path = nextPageUrl(answer.headers.get('link'));
    }
    return byPart;
  }

  private async createComment(pr: number, part: number, body: string): Promise<UpsertedComment> {
    const answer = await this.call({
      method: 'POST',
      path: `/repos/${this.repo}/issues/${pr}/comments`,
      body: { body },
      doing: `comment on pull request #${pr}`,
      permission: WRITE_COMMENTS,
    });
    return { part, id: commentId(answer.json), action: 'created' };
  }

  private async updateComment(
    pr: number,
    part: number,
    old: IssueComment,
    body: string,
  ): Promise<UpsertedComment> {
    if (old.body === body) return { part, id: old.id, action: 'unchanged' };
    await this.call({
      method: 'PATCH',
      path: `/repos/${this.repo}/issues/comments/${old.id}`,
      body: { body },
      doing: `update comment ${old.id} on pull request #${pr}`,
      permission: WRITE_COMMENTS,
    });
    return { part, id: old.id, action: 'updated' };
  }

  private async deleteComment(pr: number, id: number): Promise<void> {
    await this.call({
      method: 'DELETE',
      path: `/repos/${this.repo}/issues/comments/${id}`,
      doing: `delete the surplus comment ${id} on pull request #${pr}`,
      permission: WRITE_COMMENTS,
    });
  }

  /** One API call, waiting out rate limits within bounds; every other failure is a GithubApiError. */
  private async call(op: Operation): Promise<Answer> {
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
      : `GitHub still rate-limited the token after ${waits} wait${waits === 1 ? '' : 's'}`;
  return new GithubApiError(
    'GITHUB_RATE_LIMITED',
    `GitHub's rate limit stopped atomsync from trying to ${op.doing}: ${why}.${reset} Try again later.`,
    status,
  );
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function statusDescription(description: string): string {
  const line = description.replace(/\s+/g, ' ').trim();
  return line.length <= DESCRIPTION_LIMIT ? line : `${line.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}

function checkPullRequest(pr: number): void {
  if (!Number.isInteger(pr) || pr <= 0) throw invalid(`"${pr}" is not a pull request number.`);
}

function checkParts(parts: readonly string[]): void {
  parts.forEach((body, index) => {
    const marker = readMarker(body);
    const expected = parts.length === 1 ? 1 : index + 1;
    const totalOk = parts.length === 1 || marker?.total === parts.length;
    if (!marker || marker.part !== expected || !totalOk) {
      throw invalid(
        `Part ${index + 1} of ${parts.length} does not start with its atomsync marker; build the parts with ` +
          'splitForGithub(renderMarkdown(plan)).',
      );
    }
  });
}

function commentList(json: unknown): IssueComment[] {
  if (!Array.isArray(json)) {
    throw new GithubApiError('GITHUB_BAD_RESPONSE', 'GitHub answered the comment list with something else.');
  }
  return json.flatMap((item: unknown) => {
    const { id, body } = (item ?? {}) as { id?: unknown; body?: unknown };
    return typeof id === 'number' ? [{ id, body: typeof body === 'string' ? body : '' }] : [];
  });
}

function commentId(json: unknown): number {
  const id = (json as { id?: unknown } | null)?.id;
  if (typeof id !== 'number') {
    throw new GithubApiError('GITHUB_BAD_RESPONSE', 'GitHub created the comment but did not say its id.');
  }
  return id;
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

function invalid(message: string): GithubApiError {
  return new GithubApiError('GITHUB_INVALID_ARGUMENT', message);
}
