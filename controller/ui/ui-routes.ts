// The dashboard's routes under /ui on the controller's listener (and `atomsync ui`'s):
//   GET  /ui                                   fleet matrix (filters and page in the query: deep links)
//   GET  /ui/runtime/{namespace}/{name}        one runtime: pins, plan, manual steps, requests, history
//   POST /ui/runtime/{namespace}/{name}/reconcile   reconcile now (token and a controller required)
//   POST /ui/runtime/{namespace}/{name}/suspend|resume   run-time suspension (token and a controller required)
//   GET  /ui/waves                             waves of the current plan (paged: ?page=&size=)
//   GET  /ui/events                            server-sent events: `fleet` with the view's version
//   GET  /ui/api/fleet                         the FleetView as JSON (what `atomsync get` reads)
//   GET  /ui/login, POST /ui/login             exchange the token for a session cookie
//   GET  /ui/assets/{ui.css,ui.js,htmx.min.js}
import type http from 'node:http';
import { checkRead, checkWrite, sessionCookie, tokenMatches, type AccessPolicy } from './access.js';
import { readAsset } from './assets.js';
import type { FleetFeed } from './fleet-feed.js';
import { queryFromUrl, wavesQueryFromUrl } from './fleet-query.js';
import {
  loadingPage,
  loginPage,
  matrixPage,
  notFoundPage,
  runtimePage,
  wavesPage,
  type PageContext,
} from './pages.js';

export interface UiActions {
  /** Queues the AtomVersion now; false when no source holds it. */
  reconcile(namespace: string, name: string): boolean;
  /** Stops sending changes for it until resumed; false when no source holds it. */
  suspend(namespace: string, name: string, by: string): Promise<boolean>;
  /** False when it was not suspended at run time. */
  resume(namespace: string, name: string): Promise<boolean>;
}

type Action = 'reconcile' | 'suspend' | 'resume';
const ACTIONS: readonly string[] = ['reconcile', 'suspend', 'resume'];

export interface UiRoutesOptions {
  feed: FleetFeed;
  /** Present only inside `atomsync run`: the plan-only dashboard never acts. */
  actions?: UiActions;
}

export type UiHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  access: AccessPolicy,
) => Promise<void>;

const MAX_LOGIN_BYTES = 8192;
const HEARTBEAT_MS = 15_000;

export function createUiRoutes(options: UiRoutesOptions): UiHandler {
  return async (req, res, path, access) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = decodeSegments(path);
    if (!segments) return sendText(res, 400, `malformed path ${path}`);
    if (segments[0] === 'assets' && segments.length === 2) return sendAsset(res, segments[1] ?? '');
    if (segments[0] === 'login' && segments.length === 1) return login(req, res, method, access);
    const verdict = checkRead(req, access);
    if (!verdict.ok) return refuse(req, res, verdict.status, verdict.message);
    const context = (): PageContext => ({
      version: options.feed.version,
      canAct: options.actions !== undefined && access.token !== undefined && verdict.authenticated,
      canLogIn: options.actions !== undefined && access.token !== undefined && !verdict.authenticated,
      ...(options.feed.error ? { error: options.feed.error } : {}),
    });
    if (segments[0] === 'events' && segments.length === 1) return events(req, res, options.feed);
    if (
      segments[0] === 'runtime' &&
      segments.length === 4 &&
      ACTIONS.includes(segments[3] ?? '') &&
      method === 'POST'
    )
      return act(req, res, access, options, {
        namespace: segments[1] ?? '',
        name: segments[2] ?? '',
        action: segments[3] as Action,
      });
    if (method !== 'GET') return sendText(res, 405, 'use GET');
    const view = await options.feed.viewed();
    if (segments[0] === 'api' && segments[1] === 'fleet' && segments.length === 2) {
      if (!view) return sendJson(res, 503, { error: options.feed.error ?? 'no observation yet' });
      return sendJson(res, 200, { version: options.feed.version, ...view });
    }
    if (!view) return sendHtml(res, options.feed.error ? 503 : 200, loadingPage(context()));
    if (segments.length === 0)
      return sendHtml(res, 200, matrixPage(view, queryFromUrl(url.searchParams), context()));
    if (segments[0] === 'waves' && segments.length === 1)
      return sendHtml(res, 200, wavesPage(view, wavesQueryFromUrl(url.searchParams), context()));
    if (segments[0] === 'runtime' && segments.length === 3) {
      const key = `${segments[1]}/${segments[2]}`;
      const row = view.rows.find((candidate) => candidate.key === key);
      if (!row)
        return sendHtml(res, 404, notFoundPage(view, context(), `No AtomVersion ${key} in the pins.`));
      return sendHtml(res, 200, runtimePage(view, row, context()));
    }
    return sendHtml(res, 404, notFoundPage(view, context(), `No page ${path}.`));
  };
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

async function act(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  access: AccessPolicy,
  options: UiRoutesOptions,
  target: { namespace: string; name: string; action: Action },
): Promise<void> {
  const verdict = checkWrite(req, access);
  if (!verdict.ok) return sendText(res, verdict.status, verdict.message);
  // A browser form from another site cannot set this header without a CORS preflight we never answer.
  if (req.headers['hx-request'] !== 'true' && !req.headers.authorization)
    return sendText(res, 403, 'send the request from the dashboard or with Authorization: Bearer');
  const { actions } = options;
  if (!actions) return sendText(res, 403, 'the plan-only dashboard (atomsync ui) never acts');
  const { namespace, name, action } = target;
  const key = `${namespace}/${name}`;
  if (action === 'resume') {
    if (!(await actions.resume(namespace, name)))
      return sendText(res, 409, `${key} is not suspended from the dashboard`);
  } else {
    const done =
      action === 'reconcile'
        ? actions.reconcile(namespace, name)
        : await actions.suspend(namespace, name, 'dashboard');
    if (!done) return sendText(res, 404, `no AtomVersion ${key} in any source`);
  }
  void options.feed.refresh();
  sendText(res, action === 'reconcile' ? 202 : 200, `${ACTION_DONE[action]} ${key}`);
}

const ACTION_DONE: Record<Action, string> = { reconcile: 'queued', suspend: 'suspended', resume: 'resumed' };

function events(req: http.IncomingMessage, res: http.ServerResponse, feed: FleetFeed): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  const send = (version: number): void => {
    res.write(`event: fleet\ndata: ${JSON.stringify({ version })}\n\n`);
  };
  res.write('retry: 2000\n\n');
  send(feed.version);
  const unsubscribe = feed.subscribe(send);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  if (!feed.current()) void feed.refresh();
  req.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

async function login(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  access: AccessPolicy,
): Promise<void> {
  if (method === 'GET') return sendHtml(res, 200, loginPage(undefined));
  if (method !== 'POST') return sendText(res, 405, 'use GET or POST');
  if (access.token === undefined)
    return sendHtml(res, 403, loginPage('No token is configured (server.tokenEnv or server.tokenFile).'));
  const body = await readSmallBody(req);
  const token = new URLSearchParams(body).get('token') ?? '';
  if (!tokenMatches(token, access.token)) return sendHtml(res, 401, loginPage('That token is not valid.'));
  res.writeHead(303, { Location: '/ui', 'Set-Cookie': sessionCookie(access.token, false) });
  res.end();
}

async function readSmallBody(req: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > MAX_LOGIN_BYTES) break;
  }
  return body.slice(0, MAX_LOGIN_BYTES);
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string): void {
  const wantsHtml = (req.headers.accept ?? '').includes('text/html');
  if (wantsHtml) return sendHtml(res, status, loginPage(message));
  sendJson(res, status, { error: message });
}

async function sendAsset(res: http.ServerResponse, name: string): Promise<void> {
  const asset = await readAsset(name);
  if (!asset) return sendText(res, 404, `no asset ${name}`);
  res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=300' });
  res.end(asset.body);
}

/**
 * Drops the templates' indentation: a run of white space after a line break renders as one space in HTML
 * (the pages have no <pre>), and at 50 rows × 20 pins it is a fifth of the matrix page's bytes.
 */
function compact(page: string): string {
  return page.replace(/\n\s+/g, '\n');
}

function sendHtml(res: http.ServerResponse, status: number, page: string): void {
  const body = compact(page);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
