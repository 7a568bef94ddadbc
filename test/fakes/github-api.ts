// A local fake of the slice of GitHub's REST API that atomsync's PR reporter and its issue receiver use,
// over real HTTP on 127.0.0.1 (ephemeral port): issue comments (list with paging and Link headers, create,
// update, delete), issues (list by state and label, create, update/close) and commit statuses. It checks
// the token, can answer 403 or rate-limited for the next N requests, and records every request for
// assertions.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
}

export interface FakeStatus {
  id: number;
  state: string;
  description: string | null;
  context: string;
  target_url: string | null;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: { name: string }[];
}

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The status the fake answered. */
  status: number;
}

export type FakeFault =
  | { kind: 'forbidden'; message?: string }
  | { kind: 'unauthorized' }
  | {
      kind: 'rateLimited';
      /** 403 (GitHub's primary limit) by default; 429 for secondary limits. */
      status?: 403 | 429;
      /** Sends retry-after (seconds) when set. */
      retryAfterSeconds?: number;
      /** Sends x-ratelimit-remaining: 0 and this x-ratelimit-reset (epoch seconds) when set. */
      resetEpochSeconds?: number;
    };

export interface FakeGithubOptions {
  /** The token the fake accepts (Bearer or `token` scheme). */
  token: string;
  /** Login recorded as the author of comments the fake's API creates. */
  login?: string;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export class FakeGithubApi {
  readonly requests: RecordedRequest[] = [];
  private readonly commentsByIssue = new Map<string, FakeComment[]>();
  private readonly statusesBySha = new Map<string, FakeStatus[]>();
  private readonly issuesByRepo = new Map<string, FakeIssue[]>();
  private readonly faults: { fault: FakeFault; method?: string }[] = [];
  private nextId = 1000;
  private baseUrl = '';

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeGithubOptions,
  ) {}

  static async start(options: FakeGithubOptions): Promise<FakeGithubApi> {
    const server = http.createServer();
    const fake = new FakeGithubApi(server, options);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      fake.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  get url(): string {
    return this.baseUrl;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers the next `count` requests (only those with `only.method`, when given) with `fault`. */
  failNext(count: number, fault: FakeFault, only: { method?: string } = {}): void {
    for (let i = 0; i < count; i += 1) this.faults.push({ fault, ...only });
  }

  /** Adds comments as if people had written them (oldest first). */
  seedComments(repo: string, issue: number, bodies: string[], login = 'someone'): FakeComment[] {
    return bodies.map((body) => this.addComment(repo, issue, body, login));
  }

  comments(repo: string, issue: number): FakeComment[] {
    return [...(this.commentsByIssue.get(issueKey(repo, issue)) ?? [])];
  }

  issues(repo: string): FakeIssue[] {
    return [...(this.issuesByRepo.get(repo) ?? [])];
  }

  statuses(repo: string, sha: string): FakeStatus[] {
    return [...(this.statusesBySha.get(`${repo}@${sha}`) ?? [])];
  }

  /** Recorded requests that were not answered with a fault, by method. */
  served(method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.status < 400 && (method === undefined || r.method === method));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const body = parseBody(raw);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0,
    };
    this.requests.push(record);
    const answer = this.answer(req, url, body);
    record.status = answer.status;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...answer.headers,
    };
    if (answer.json !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(answer.status, headers);
    res.end(answer.json === undefined ? undefined : JSON.stringify(answer.json));
  }

  private answer(req: http.IncomingMessage, url: URL, body: unknown): Answer {
    if (!this.authorized(req.headers.authorization)) {
      return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const index = this.faults.findIndex((f) => f.method === undefined || f.method === req.method);
    const [pending] = index >= 0 ? this.faults.splice(index, 1) : [];
    if (pending) return faultAnswer(pending.fault);
    return this.route(req.method ?? 'GET', url, body);
  }

  private authorized(header: string | undefined): boolean {
    return header === `Bearer ${this.options.token}` || header === `token ${this.options.token}`;
  }

  private route(method: string, url: URL, body: unknown): Answer {
    const path = url.pathname;
    let match = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (match?.[1] && match[2]) {
      if (method === 'GET') return this.listComments(match[1], Number(match[2]), url);
      if (method === 'POST') return this.createComment(match[1], Number(match[2]), body);
    }
    match = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (match?.[1] && match[2]) {
      if (method === 'PATCH') return this.updateComment(match[1], Number(match[2]), body);
      if (method === 'DELETE') return this.deleteComment(match[1], Number(match[2]));
    }
    match = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(path);
    if (match?.[1] && method === 'GET') return this.listIssues(match[1], url);
    if (match?.[1] && method === 'POST') return this.createIssue(match[1], body);
    match = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(path);
    if (match?.[1] && match[2] && method === 'PATCH')
      return this.updateIssue(match[1], Number(match[2]), body);
    match = /^\/repos\/([^/]+\/[^/]+)\/statuses\/([0-9a-f]+)$/i.exec(path);
    if (match?.[1] && match[2] && method === 'POST') return this.createStatus(match[1], match[2], body);
    return json(404, { message: 'Not Found' });
  }

  private listComments(repo: string, issue: number, url: URL): Answer {
    const all = this.comments(repo, issue);
    const perPage = Math.min(MAX_PER_PAGE, Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const items = all.slice((page - 1) * perPage, page * perPage);
    const link = linkHeader(this.baseUrl + url.pathname, url.searchParams, page, lastPage);
    return json(200, items, link ? { link } : {});
  }

  private createComment(repo: string, issue: number, body: unknown): Answer {
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string' || text === '') return invalid('body');
    if (text.length > 65_536) return invalid('body is too long (maximum is 65536 characters)');
    return json(201, this.addComment(repo, issue, text, this.options.login ?? 'atomsync[bot]'));
  }

  private updateComment(repo: string, id: number, body: unknown): Answer {
    const comment = this.findComment(repo, id);
    if (!comment) return json(404, { message: 'Not Found' });
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string' || text === '') return invalid('body');
    if (text.length > 65_536) return invalid('body is too long (maximum is 65536 characters)');
    comment.body = text;
    comment.updated_at = new Date().toISOString();
    return json(200, comment);
  }

  private deleteComment(repo: string, id: number): Answer {
    for (const [key, list] of this.commentsByIssue) {
      if (!key.startsWith(`${repo}#`)) continue;
      const index = list.findIndex((comment) => comment.id === id);
      if (index >= 0) {
        list.splice(index, 1);
        return { status: 204, headers: {} };
      }
    }
    return json(404, { message: 'Not Found' });
  }

  private createStatus(repo: string, sha: string, body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    if (!['success', 'failure', 'error', 'pending'].includes(String(input.state))) return invalid('state');
    const description = typeof input.description === 'string' ? input.description : null;
    if (description !== null && description.length > 140) {
      return invalid('description is too long (maximum is 140 characters)');
    }
    const status: FakeStatus = {
      id: this.nextId++,
      state: String(input.state),
      description,
      context: typeof input.context === 'string' ? input.context : 'default',
      target_url: typeof input.target_url === 'string' ? input.target_url : null,
    };
    const key = `${repo}@${sha}`;
    this.statusesBySha.set(key, [...(this.statusesBySha.get(key) ?? []), status]);
    return json(201, status);
  }

  /** Open or closed issues, filtered by state (default open) and one label, as GitHub's list does. */
  private listIssues(repo: string, url: URL): Answer {
    const state = url.searchParams.get('state') ?? 'open';
    const label = url.searchParams.get('labels');
    const items = this.issues(repo).filter(
      (issue) =>
        (state === 'all' || issue.state === state) && (!label || issue.labels.some((l) => l.name === label)),
    );
    return json(200, items);
  }

  private createIssue(repo: string, body: unknown): Answer {
    const input = (body ?? {}) as { title?: unknown; body?: unknown; labels?: unknown };
    if (typeof input.title !== 'string' || input.title === '') return invalid('title');
    const list = this.issuesByRepo.get(repo) ?? [];
    const issue: FakeIssue = {
      number: list.length + 1,
      title: input.title,
      body: typeof input.body === 'string' ? input.body : '',
      state: 'open',
      state_reason: null,
      labels: (Array.isArray(input.labels) ? input.labels : []).map((name) => ({ name: String(name) })),
    };
    this.issuesByRepo.set(repo, [...list, issue]);
    return json(201, issue);
  }

  private updateIssue(repo: string, number: number, body: unknown): Answer {
    const issue = this.issues(repo).find((candidate) => candidate.number === number);
    if (!issue) return json(404, { message: 'Not Found' });
    const input = (body ?? {}) as Record<string, unknown>;
    if (typeof input.title === 'string') issue.title = input.title;
    if (typeof input.body === 'string') issue.body = input.body;
    if (input.state === 'open' || input.state === 'closed') {
      issue.state = input.state;
      issue.state_reason = typeof input.state_reason === 'string' ? input.state_reason : null;
    }
    return json(200, issue);
  }

  private addComment(repo: string, issue: number, body: string, login: string): FakeComment {
    const now = new Date().toISOString();
    const comment: FakeComment = {
      id: this.nextId++,
      body,
      user: { login },
      created_at: now,
      updated_at: now,
    };
    const key = issueKey(repo, issue);
    this.commentsByIssue.set(key, [...(this.commentsByIssue.get(key) ?? []), comment]);
    return comment;
  }

  private findComment(repo: string, id: number): FakeComment | undefined {
    for (const [key, list] of this.commentsByIssue) {
      if (!key.startsWith(`${repo}#`)) continue;
      const comment = list.find((candidate) => candidate.id === id);
      if (comment) return comment;
    }
    return undefined;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers, json: body };
}

function invalid(what: string): Answer {
  return json(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', message: what }] });
}

function faultAnswer(fault: FakeFault): Answer {
  switch (fault.kind) {
    case 'unauthorized':
      return json(401, { message: 'Bad credentials' });
    case 'forbidden':
      return json(403, { message: fault.message ?? 'Resource not accessible by integration' });
    case 'rateLimited': {
      const headers: Record<string, string> = {};
      if (fault.resetEpochSeconds !== undefined) {
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = String(fault.resetEpochSeconds);
      }
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const message =
        fault.status === 429
          ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
          : 'API rate limit exceeded for installation.';
      return json(fault.status ?? 403, { message }, headers);
    }
  }
}

/** GitHub's Link header: absolute URLs for next/last (and prev/first after the first page). */
function linkHeader(
  base: string,
  params: URLSearchParams,
  page: number,
  lastPage: number,
): string | undefined {
  const at = (target: number): string => {
    const query = new URLSearchParams(params);
    query.set('page', String(target));
    return `<${base}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function issueKey(repo: string, issue: number): string {
  return `${repo}#${issue}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
