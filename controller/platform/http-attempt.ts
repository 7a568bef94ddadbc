// One HTTP exchange with the platform, reduced to what the retry loop needs to decide: an answer
// (status, parsed body), or no answer and whether the request may have reached the platform.
//
// By default the exchange goes over node:http / node:https with keep-alive agents: per request it costs
// about a fifth of the CPU of the global fetch (no web streams, no AbortSignal, far less garbage), which
// decides how many accounts one controller process keeps at their rate limit (docs/benchmarks.md,
// "Convergence"). A caller that injects a fetch (tests, the CLI's deadline) goes through that fetch.
import http from 'node:http';
import https from 'node:https';

export type AttemptOutcome = Answer | NoAnswer | OversizedAnswer;

/** An answer whose body was larger than the cap: not read further, and not to be retried. */
export interface OversizedAnswer {
  kind: 'oversized';
  status: number;
  maxBytes: number;
}

/** Default cap on one answer's body. The largest real answer (a bulk of 100) is far below it. */
export const DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export interface Answer {
  kind: 'answer';
  status: number;
  /** The raw body text ('' when empty). */
  text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
  retryAfter: string | null;
  /** The platform's Date header, if any. */
  date: string | null;
}

export interface NoAnswer {
  kind: 'no-answer';
  reason: 'timeout' | 'network';
  /** What happened, for messages: `connection reset by the platform`, `no answer within 30000 ms`. */
  detail: string;
  /** False only when the request certainly never left (connection refused, unknown host). */
  maySent: boolean;
}

export interface AttemptRequest {
  url: string;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxAnswerBytes?: number;
}

/** Errors raised before a connection existed: the request cannot have reached the platform. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Connections are kept alive and reused, per platform host, as fetch's global pool does. */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** One attempt through `fetchImpl`, or over node:http(s) when none is given. */
export function attemptOnce(
  fetchImpl: typeof fetch | undefined,
  request: AttemptRequest,
): Promise<AttemptOutcome> {
  return fetchImpl ? attemptWithFetch(fetchImpl, request) : attemptWithNodeHttp(request);
}

function attemptWithNodeHttp(request: AttemptRequest): Promise<AttemptOutcome> {
  return new Promise<AttemptOutcome>((resolve) => {
    let outgoing: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      finish({
        kind: 'no-answer',
        reason: 'timeout',
        detail: `no answer within ${request.timeoutMs} ms`,
        maySent: true,
      });
      outgoing?.destroy();
    }, request.timeoutMs);
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (error) {
      finish(describeFailure(error, request.timeoutMs));
      return;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
    const maxBytes = request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    try {
      outgoing = transport.request(url, { method: request.method, headers, agent }, (answer) => {
        readAnswer(answer, maxBytes, finish);
      });
    } catch (error) {
      finish(describeFailure(error, request.timeoutMs));
      return;
    }
    outgoing.on('error', (error) => finish(describeFailure(error, request.timeoutMs)));
    outgoing.end(request.body);
  });
}

/** Collects the body (up to maxBytes) of an answer and settles the attempt with it. */
function readAnswer(
  answer: http.IncomingMessage,
  maxBytes: number,
  finish: (outcome: AttemptOutcome) => void,
): void {
  const status = answer.statusCode ?? 0;
  const oversized = (): void => {
    answer.destroy();
    finish({ kind: 'oversized', status, maxBytes });
  };
  if (Number(answer.headers['content-length'] ?? Number.NaN) > maxBytes) {
    oversized();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  answer.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > maxBytes) oversized();
    else chunks.push(chunk);
  });
  answer.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    finish({
      kind: 'answer',
      status,
      text,
      json: parseJson(text),
      retryAfter: headerOf(answer, 'retry-after'),
      date: headerOf(answer, 'date'),
    });
  });
  answer.on('error', (error) => finish(describeFailure(error, 0)));
  answer.on('close', () => {
    if (!answer.complete)
      finish({
        kind: 'no-answer',
        reason: 'network',
        detail: 'connection reset by the platform (the answer was cut off)',
        maySent: true,
      });
  });
}

function headerOf(answer: http.IncomingMessage, name: string): string | null {
  const value = answer.headers[name];
  return (Array.isArray(value) ? value.join(', ') : value) ?? null;
}

async function attemptWithFetch(fetchImpl: typeof fetch, request: AttemptRequest): Promise<AttemptOutcome> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetchImpl(request.url, init);
    const maxBytes = request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    const text = await readCapped(response, maxBytes);
    if (text === undefined) return { kind: 'oversized', status: response.status, maxBytes };
    return {
      kind: 'answer',
      status: response.status,
      text,
      json: parseJson(text),
      retryAfter: response.headers.get('retry-after'),
      date: response.headers.get('date'),
    };
  } catch (error) {
    return describeFailure(error, request.timeoutMs);
  }
}

/** The body as text, or undefined (and the rest left unread) once it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFailure(error: unknown, timeoutMs: number): NoAnswer {
  if (isTimeout(error)) {
    return {
      kind: 'no-answer',
      reason: 'timeout',
      detail: `no answer within ${timeoutMs} ms`,
      maySent: true,
    };
  }
  const code = errorCode(error);
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return { kind: 'no-answer', reason: 'network', detail: `could not connect (${code})`, maySent: false };
  }
  if (code !== undefined && RESET_CODES.has(code)) {
    return {
      kind: 'no-answer',
      reason: 'network',
      detail: `connection reset by the platform (${code})`,
      maySent: true,
    };
  }
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return { kind: 'no-answer', reason: 'network', detail: `network error (${detail})`, maySent: true };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** fetch wraps socket errors: TypeError('fetch failed', { cause: { code } }). */
function errorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
