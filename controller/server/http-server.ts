// The controller's HTTP endpoints on node:http:
//   GET  /healthz                                        the process runs
//   GET  /readyz                                         sources synced once and the platform answers
//   GET  /metrics                                        Prometheus text
//   GET  /api/v1/atomversions[/{namespace}/{name}]       status JSON
//   POST /api/v1/atomversions/{namespace}/{name}/reconcile   reconcile now (404: unknown; 429: asked
//                                                        again within reconcileIntervalMs for that key)
//   POST /api/v1/atomversions/{namespace}/{name}/suspend|resume   stop / restart sending changes for it
//                                                        (only with a token configured, and presented)
//   GET  /api/v1/integrationpackreleases[/{namespace}/{name}]   release status JSON (docs/publisher.md)
//   POST /api/v1/integrationpackreleases/{namespace}/{name}/suspend|resume   as for AtomVersions
//   POST /hooks/git                                      push webhook (GitHub or GitLab): git sources fetch now
//   /ui/...                                              the dashboard (controller/ui/ui-routes.ts)
// Off loopback the status API and the dashboard need the bearer token (controller/ui/access.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { silentLogger } from '../log/logger.js';
import type { Readiness } from '../reconciler/reconcile-loop.js';
import type { SourceState } from '../reconciler/desired-set.js';
import type { ControllerMetrics } from '../reconciler/metrics.js';
import type { AtomVersionStatus } from '../domain/status.js';
import { statusListView, statusView } from './status-view.js';
import { releaseStatusApi, type ReleaseStatusApi } from './release-status-view.js';
import { verifyWebhook } from './webhook-auth.js';
import { checkRead, checkWrite, isLoopbackAddress, type AccessPolicy } from '../ui/access.js';
import type { UiHandler } from '../ui/ui-routes.js';

/** What the endpoints need from the controller. */
export interface ControllerApi {
  readiness(): Readiness;
  statuses(): AtomVersionStatus[];
  status(key: string): AtomVersionStatus | undefined;
  sourceStates(): SourceState[];
  requestReconcile(namespace: string, name: string): boolean;
  triggerGitSources(): number;
  /** Run-time suspension (absent: the plan-only dashboard, which never acts). False: unknown key. */
  suspend?(namespace: string, name: string, by: string): Promise<boolean>;
  /** False: the key was not suspended at run time. */
  resume?(namespace: string, name: string): Promise<boolean>;
  /** IntegrationPackRelease statuses (absent: no release reconciler). */
  releases?: ReleaseStatusApi;
}

export interface HttpServerOptions {
  /** host:port; port 0 picks a free one. */
  listen: string;
  api: ControllerApi;
  metrics?: ControllerMetrics;
  /** Read on every webhook, so a rotated secret applies at once; undefined = no webhook configured. */
  webhookSecret?: () => string | undefined;
  logger?: Logger;
  now?: () => Date;
  /** A manual reconcile of one AtomVersion is accepted at most once per this many ms. Default 5 s. */
  reconcileIntervalMs?: number;
  /** The dashboard under /ui. */
  ui?: UiHandler;
  /** Bearer token for the status API, the dashboard and its actions (undefined: none configured). */
  token?: string;
  /** Whether the listener counts as loopback; default: decided from the bound address. */
  isLoopback?: (address: string) => boolean;
}

export interface RunningHttpServer {
  /** http://host:port */
  url: string;
  close(): Promise<void>;
}

const DEFAULT_RECONCILE_INTERVAL_MS = 5_000;

/** Webhook bodies larger than this are refused (GitHub caps payloads at 25 MB; pushes are far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Manual reconciles per AtomVersion key: one per interval. Each accepted trigger costs platform calls
 * (a plan reads the account), so a loop of POSTs must not turn into a loop of platform calls.
 */
class ReconcileLimiter {
  private readonly lastAccepted = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** Ms to wait before the key may be triggered again; 0 when it may be now. */
  waitFor(key: string): number {
    const last = this.lastAccepted.get(key);
    return last === undefined ? 0 : Math.max(0, last + this.intervalMs - this.now());
  }

  accepted(key: string): void {
    this.lastAccepted.set(key, this.now());
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const logger = options.logger ?? silentLogger();
  const access: AccessPolicy = { loopback: true, ...(options.token ? { token: options.token } : {}) };
  const now = options.now ?? (() => new Date());
  const limiter = new ReconcileLimiter(options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS, () =>
    now().getTime(),
  );
  const server = http.createServer((req, res) => {
    handle(req, res, options, access, limiter).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.message }, error.headers);
        return;
      }
      logger.error({ err: error, path: req.url }, 'HTTP handler failed');
      sendJson(res, 500, { error: 'internal error' });
    });
  });
  const { host, port } = parseListen(options.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  access.loopback = (options.isLoopback ?? isLoopbackAddress)(address.address);
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: HttpServerOptions,
  access: AccessPolicy,
  limiter: ReconcileLimiter,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const { api } = options;
  if (path === '/healthz') return only(method, 'GET', () => sendText(res, 200, 'ok\n'));
  if (path === '/readyz') {
    return only(method, 'GET', () => {
      const readiness = api.readiness();
      sendJson(res, readiness.ready ? 200 : 503, readiness);
    });
  }
  if (path === '/metrics') {
    return only(method, 'GET', async () => {
      if (!options.metrics) throw new HttpError(404, 'metrics are not enabled');
      res.writeHead(200, { 'Content-Type': options.metrics.contentType });
      res.end(await options.metrics.render());
    });
  }
  if (path === '/hooks/git') return only(method, 'POST', () => gitWebhook(req, res, options));
  if ((path === '/ui' || path.startsWith('/ui/')) && options.ui) return options.ui(req, res, path, access);
  const segments = path.split('/').filter(Boolean).map(decodePathSegment);
  if (segments[0] === 'api' && segments[1] === 'v1' && segments[2] === 'atomversions') {
    requireAccess(req, access, method === 'POST');
    const [namespace, name, action] = segments.slice(3);
    if (method === 'POST' && segments.length === 6 && (action === 'suspend' || action === 'resume'))
      return suspendApi(req, res, options, access, { namespace: namespace!, name: name!, action });
    return statusApi(method, segments.slice(3), res, options, limiter);
  }
  if (segments[0] === 'api' && segments[1] === 'v1' && segments[2] === 'integrationpackreleases') {
    const [namespace, name, action] = segments.slice(3);
    if (method === 'POST' && segments.length === 6 && (action === 'suspend' || action === 'resume'))
      return suspendApi(req, res, options, access, { namespace: namespace!, name: name!, action });
    requireAccess(req, access, false);
    const answer = releaseStatusApi(
      method,
      segments.slice(3),
      api.releases,
      (options.now ?? (() => new Date()))(),
    );
    return sendJson(res, answer.status, answer.body);
  }
  throw new HttpError(404, `no endpoint ${method} ${path}`);
}

/** A malformed escape (`%E0%A4%A`) is the caller's mistake: 400, not a 500 with a stack trace. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in the path segment "${segment.slice(0, 100)}"`);
  }
}

/** Off loopback: the token for everything; with a token configured: the token for the manual trigger. */
function requireAccess(req: http.IncomingMessage, access: AccessPolicy, writes: boolean): void {
  const read = checkRead(req, access);
  if (!read.ok) throw new HttpError(read.status, read.message);
  if (!writes || access.token === undefined) return;
  const write = checkWrite(req, access);
  if (!write.ok) throw new HttpError(write.status, write.message);
}

async function only(method: string, allowed: string, run: () => void | Promise<void>): Promise<void> {
  if (method !== allowed) throw new HttpError(405, `use ${allowed}`);
  await run();
}

function statusApi(
  method: string,
  rest: string[],
  res: http.ServerResponse,
  options: HttpServerOptions,
  limiter: ReconcileLimiter,
): void {
  const { api } = options;
  const now = options.now ?? (() => new Date());
  if (rest.length === 0 && method === 'GET') {
    sendJson(res, 200, statusListView(api.statuses(), api.sourceStates(), now()));
    return;
  }
  const [namespace, name, action] = rest;
  if (namespace === undefined || name === undefined || rest.length > 3)
    throw new HttpError(404, 'no such endpoint');
  if (action === 'reconcile' && method === 'POST') {
    manualReconcile(`${namespace}/${name}`, () => api.requestReconcile(namespace, name), limiter);
    sendJson(res, 202, { queued: `${namespace}/${name}` });
    return;
  }
  if (action === undefined && method === 'GET') {
    const status = api.status(`${namespace}/${name}`);
    if (!status) throw new HttpError(404, `no status for ${namespace}/${name}`);
    sendJson(res, 200, statusView(status));
    return;
  }
  throw new HttpError(action === undefined || action === 'reconcile' ? 405 : 404, 'no such endpoint');
}

async function suspendApi(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: HttpServerOptions,
  access: AccessPolicy,
  target: { namespace: string; name: string; action: 'suspend' | 'resume' },
): Promise<void> {
  const write = checkWrite(req, access);
  if (!write.ok) throw new HttpError(write.status, write.message);
  const { api } = options;
  if (!api.suspend || !api.resume) throw new HttpError(403, 'this server never acts (plan-only)');
  const key = `${target.namespace}/${target.name}`;
  if (target.action === 'suspend') {
    if (!(await api.suspend(target.namespace, target.name, 'api')))
      throw new HttpError(404, `no AtomVersion or IntegrationPackRelease ${key} in any source`);
    sendJson(res, 200, { suspended: key });
    return;
  }
  if (!(await api.resume(target.namespace, target.name)))
    throw new HttpError(
      409,
      `${key} is not suspended at run time (policy.suspend in the pins is lifted there)`,
    );
  sendJson(res, 200, { resumed: key });
}

function manualReconcile(key: string, request: () => boolean, limiter: ReconcileLimiter): void {
  const waitMs = limiter.waitFor(key);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new HttpError(429, `${key} was queued moments ago; ask again in ${seconds} s`, {
      'Retry-After': String(seconds),
    });
  }
  if (!request()) throw new HttpError(404, `no AtomVersion ${key} in any source`);
  limiter.accepted(key);
}

async function gitWebhook(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: HttpServerOptions,
): Promise<void> {
  const body = await readBody(req);
  const verdict = verifyWebhook(req.headers, body, options.webhookSecret?.());
  if (!verdict.ok) {
    options.logger?.warn({ remote: req.socket.remoteAddress }, `webhook refused: ${verdict.message}`);
    throw new HttpError(401, 'webhook signature or token missing or invalid');
  }
  if (req.headers['x-github-event'] === 'ping') {
    sendJson(res, 200, { pong: true });
    return;
  }
  const triggered = options.api.triggerGitSources();
  options.logger?.info({ provider: verdict.provider, triggered }, 'webhook: fetching git sources now');
  sendJson(res, 202, { triggered });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `bodies over ${MAX_BODY_BYTES} bytes are refused`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** `host:port` or `[v6]:port`. */
function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`listen must be HOST:PORT (for example 127.0.0.1:8080), got "${listen}"`);
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}
