// A small stand-in for the platform's HTTP API, for the client's tests: objects per type, GET, QUERY with
// queryMore paging, bulk, create, update, delete, Basic auth, both URL forms, and scripted faults
// (a status, a connection reset, no answer at all — optionally after applying the request).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeObject = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  search: URLSearchParams;
  /** The account the URL names (the partner in the partner form). */
  urlAccount: string;
  partner: boolean;
  /** `Atom`, `AtomVersionUpdateRequest`… */
  object: string;
  /** `query`, `queryMore`, `bulk`, an id, or undefined for POST /{Object}. */
  rest: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Fault =
  | { kind: 'status'; status: number; message?: string; retryAfter?: string }
  | { kind: 'reset' }
  | { kind: 'hang' };

interface ScheduledFault {
  fault: Fault;
  remaining: number;
  match: (request: RecordedRequest) => boolean;
  /** Carry the request out first, then fail: the client cannot know it applied. */
  applyFirst: boolean;
}

interface FakeAnswer {
  status: number;
  body?: unknown;
}

export class FakePlatform {
  readonly requests: RecordedRequest[] = [];
  /** Results per query page (the platform's is 100). */
  pageSize = 100;
  private readonly objects = new Map<string, Map<string, FakeObject>>();
  private readonly faults: ScheduledFault[] = [];
  private readonly queryTokens = new Map<string, { items: FakeObject[]; offset: number }>();
  private nextId = 1;

  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private address = '';

  private constructor(private readonly credentials: { username: string; token: string }) {}

  /** Starts on 127.0.0.1, on a free port. */
  static async start(credentials = { username: 'BOOMI_TOKEN.admin@test', token: 'secret-token-123' }) {
    const fake = new FakePlatform(credentials);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.address = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return this.address;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Declares an object type (so it exists even with no objects) and adds objects to it. */
  put(type: string, ...objects: object[]): void {
    const store = this.store(type);
    for (const object of objects as FakeObject[]) {
      const id = String(object.id ?? `${type}-${this.nextId++}`);
      store.set(id, { '@type': type, ...object, id });
    }
  }

  all(type: string): FakeObject[] {
    return [...(this.objects.get(type)?.values() ?? [])];
  }

  /** The next `times` requests that match fail with `fault`. */
  inject(
    fault: Fault,
    options: { times?: number; match?: (r: RecordedRequest) => boolean; applyFirst?: boolean } = {},
  ) {
    this.faults.push({
      fault,
      remaining: options.times ?? 1,
      match: options.match ?? (() => true),
      applyFirst: options.applyFirst ?? false,
    });
  }

  requestsTo(object: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.object === object && (method === undefined || r.method === method));
  }

  // ---- serving -------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = await this.record(req);
    if (request === undefined) return send(res, { status: 404, body: error('No such endpoint') });
    const fault = this.takeFault(request);
    if (fault === undefined) return send(res, this.answer(request));
    if (fault.applyFirst) this.answer(request);
    if (fault.fault.kind === 'reset') return void req.socket.destroy();
    if (fault.fault.kind === 'hang') return;
    const headers: Record<string, string> =
      fault.fault.retryAfter === undefined ? {} : { 'Retry-After': fault.fault.retryAfter };
    send(res, { status: fault.fault.status, body: error(fault.fault.message ?? 'Injected fault') }, headers);
  }

  private async record(req: http.IncomingMessage): Promise<RecordedRequest | undefined> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/(partner\/)?api\/rest\/v1\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    if (match === null) return undefined;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      search: url.searchParams,
      partner: match[1] !== undefined,
      urlAccount: decodeURIComponent(match[2] ?? ''),
      object: match[3] ?? '',
      rest: match[4] === undefined ? undefined : decodeURIComponent(match[4]),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    return request;
  }

  private takeFault(request: RecordedRequest): ScheduledFault | undefined {
    const scheduled = this.faults.find((f) => f.remaining > 0 && f.match(request));
    if (scheduled !== undefined) scheduled.remaining -= 1;
    return scheduled;
  }

  private answer(request: RecordedRequest): FakeAnswer {
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.token}`).toString('base64')}`;
    if (request.headers.authorization !== expected)
      return { status: 401, body: error('Invalid credentials') };
    const store = this.objects.get(request.object);
    if (store === undefined) return { status: 404, body: error(`Unknown object type ${request.object}`) };
    const { method, rest } = request;
    if (method === 'POST' && rest === 'query') return this.query(store, request.body);
    if (method === 'POST' && rest === 'queryMore') return this.queryMore(request.body);
    if (method === 'POST' && rest === 'bulk') return this.bulk(store, request.body);
    if (method === 'POST' && rest === undefined) return this.create(request.object, request.body);
    const existing = rest === undefined ? undefined : store.get(rest);
    if (rest === undefined || existing === undefined) {
      return { status: 404, body: error(`${request.object} ${rest ?? ''} not found`) };
    }
    if (method === 'GET') return { status: 200, body: existing };
    if (method === 'POST') return { status: 200, body: Object.assign(existing, JSON.parse(request.body)) };
    store.delete(rest);
    return { status: 200 };
  }

  private query(store: Map<string, FakeObject>, body: string): FakeAnswer {
    const expression = (JSON.parse(body) as { QueryFilter: { expression: Expression } }).QueryFilter
      .expression;
    const items = [...store.values()].filter((object) => matches(object, expression));
    return this.page(items, 0);
  }

  private queryMore(token: string): FakeAnswer {
    const state = this.queryTokens.get(token);
    if (state === undefined) return { status: 410, body: error('Query token expired') };
    this.queryTokens.delete(token);
    return this.page(state.items, state.offset);
  }

  private page(items: FakeObject[], offset: number): FakeAnswer {
    const result = items.slice(offset, offset + this.pageSize);
    const body: Record<string, unknown> = { '@type': 'QueryResult', numberOfResults: result.length, result };
    if (offset + this.pageSize < items.length) {
      const token = `token-${this.nextId++}`;
      this.queryTokens.set(token, { items, offset: offset + this.pageSize });
      body.queryToken = token;
    }
    return { status: 200, body };
  }

  private bulk(store: Map<string, FakeObject>, body: string): FakeAnswer {
    const ids = (JSON.parse(body) as { request: { id: string }[] }).request.map((r) => r.id);
    if (ids.length > 100) return { status: 400, body: error('At most 100 ids per bulk request') };
    const response = ids.map((id, index) => {
      const found = store.get(id);
      return found === undefined
        ? { '@type': 'BulkResponse', index, id, statusCode: 404, errorMessage: `No object with id ${id}` }
        : { '@type': 'BulkResponse', index, id, statusCode: 200, Result: found };
    });
    return { status: 200, body: { '@type': 'BulkResult', response } };
  }

  private create(type: string, body: string): FakeAnswer {
    const id = `${type}-${this.nextId++}`;
    this.put(type, { ...(JSON.parse(body) as FakeObject), id, status: 'ACCEPTED' });
    return { status: 202, body: this.store(type).get(id) };
  }

  private store(type: string): Map<string, FakeObject> {
    let store = this.objects.get(type);
    if (store === undefined) {
      store = new Map();
      this.objects.set(type, store);
    }
    return store;
  }
}

type Expression =
  | { property: string; operator: string; argument?: string[] }
  | { operator: 'and' | 'or'; nestedExpression: Expression[] };

function matches(object: FakeObject, expression: Expression): boolean {
  if ('nestedExpression' in expression) {
    const results = expression.nestedExpression.map((nested) => matches(object, nested));
    return expression.operator === 'and' ? results.every(Boolean) : results.some(Boolean);
  }
  const value = String(object[expression.property] ?? '');
  const wanted = expression.argument ?? [];
  if (expression.operator === 'EQUALS') return wanted.includes(value);
  if (expression.operator === 'NOT_EQUALS') return !wanted.includes(value);
  throw new Error(`fake platform: operator ${expression.operator} not supported`);
}

function error(message: string) {
  return { '@type': 'Error', message };
}

function send(res: http.ServerResponse, answer: FakeAnswer, headers: Record<string, string> = {}): void {
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}
