// The simulator's HTTP server (node:http, no framework): routing and the life of one request.
//   /api/rest/v1/{account}/…                              Boomi objects
//   /partner/api/rest/v1/{parent}/…?overrideAccount={child}  the partner form
//   /_sim/…                                                simulator control
import http from 'node:http';
import { authenticate, resolveCallContext, type AccountTarget } from './auth.js';
import { FaultInjector } from './faults.js';
import { SimError, type WorldPort } from '../model/port.js';
import { answerFormat, answerSchema, isXmlBody, xmlBodyAsJson, type WireFormat } from './negotiate.js';
import { classifyObjectRequest, ObjectRoutes } from './object-routes.js';
import { QueryPager } from './paging.js';
import { RateLimiter } from './rate-limit.js';
import { RATE_LIMIT_MESSAGE, readBody, sendBody, sendError } from './respond.js';
import { handleSimControl, type AccountListing, type SimControlDeps } from './sim-control.js';

export interface SimServerOptions {
  /** One structured line per request; never carries credentials. */
  logger?: (line: object) => void;
  /** Seed of the fault dice (503 ratio, resets), for reproducible tests. */
  faultSeed?: number;
  /** Wall clock for the rate-limit window and query-token expiry (tests pin it). */
  nowMs?: () => number;
  /** How added latency waits (tests record it instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
}

type Route =
  | { kind: 'api'; target: AccountTarget; segments: string[] }
  | { kind: 'sim'; segments: string[] }
  | { kind: 'unknown' };

interface Answer {
  status: number;
  body: unknown;
  wrote: boolean;
  /** The schema of the body (for XML), when it is a Boomi object's answer. */
  schema?: string;
}

interface ServerState {
  model: WorldPort & AccountListing;
  objects: ObjectRoutes;
  limiter: RateLimiter;
  faults: FaultInjector;
  sim: SimControlDeps;
  sleep: (ms: number) => Promise<void>;
  log: (line: object) => void;
}

export function createSimServer(model: WorldPort, opts: SimServerOptions = {}): http.Server {
  const state = buildState(model, opts);
  return http.createServer((req, res) => {
    void serve(state, req, res);
  });
}

function buildState(model: WorldPort, opts: SimServerOptions): ServerState {
  const nowMs = opts.nowMs ?? Date.now;
  const faults = new FaultInjector(opts.faultSeed ?? 1);
  return {
    model,
    objects: new ObjectRoutes(model, new QueryPager({ nowMs })),
    limiter: new RateLimiter(() => model.rateLimitPerSecond(), nowMs),
    faults,
    sim: { model, faults, initialRateLimit: model.rateLimitPerSecond() },
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log: opts.logger ?? (() => {}),
  };
}

async function serve(state: ServerState, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?', 1)[0];
  // Boomi answers XML unless asked for JSON; the simulator's own /_sim/ control speaks JSON only.
  const format: WireFormat = path?.startsWith('/_sim/') ? 'json' : answerFormat(req.headers.accept);
  let status: number | 'reset';
  try {
    state.model.tick();
    // The platform's own clock, so clients plan with platform time (the simulator's clock may be moved).
    res.setHeader('Date', state.model.now().toUTCString());
    const answer = await dispatch(state, req, method);
    if (answer === 'reset') {
      req.socket.destroy();
      status = 'reset';
    } else {
      if (answer.wrote) await persist(state.model);
      sendBody(res, answer.status, answer.body, format, answer.schema);
      status = answer.status;
    }
  } catch (err) {
    if (!(err instanceof SimError)) state.log({ msg: 'request failed', method, path, error: describe(err) });
    status = sendError(res, err, format);
  }
  state.log({ msg: 'request', method, path, status, durationMs: Math.round(performance.now() - started) });
}

async function dispatch(
  state: ServerState,
  req: http.IncomingMessage,
  method: string,
): Promise<Answer | 'reset'> {
  const route = parseRoute(req.url ?? '/');
  if (route.kind === 'unknown')
    throw new SimError(404, `No endpoint at ${(req.url ?? '/').split('?', 1)[0]}.`);
  if (route.kind === 'sim') {
    const user = authenticate(state.model, req.headers.authorization);
    return handleSimControl(state.sim, user, method, route.segments, await readBody(req));
  }
  if ((await injectFault(state)) === 'reset') return 'reset';
  const user = authenticate(state.model, req.headers.authorization);
  const ctx = resolveCallContext(state.model, user, route.target);
  if (!state.limiter.tryAcquire(ctx.accountId)) throw new SimError(503, RATE_LIMIT_MESSAGE);
  const request = classifyObjectRequest(effectiveMethod(method, req.url ?? '/'), route.segments);
  const raw = await readBody(req);
  // Scripts often send Content-Type: application/xml on every call, GET and DELETE included: no body, no XML.
  const xml = raw.trim() !== '' && isXmlBody(req.headers['content-type'], raw);
  const body = xml ? xmlBodyAsJson(raw, request) : raw;
  return { ...state.objects.handle(ctx, request, body), schema: answerSchema(request) };
}

/** Boomi's fallback for clients that cannot send DELETE: GET (or POST) …?method=DELETE is a DELETE. */
function effectiveMethod(method: string, rawUrl: string): string {
  const override = new URL(rawUrl, 'http://simulator.invalid').searchParams.get('method');
  return override?.toUpperCase() === 'DELETE' && (method === 'GET' || method === 'POST') ? 'DELETE' : method;
}

/** Rolls the fault dice, waits any added latency, then resets the connection or answers 503. */
async function injectFault(state: ServerState): Promise<'reset' | 'none'> {
  const decision = state.faults.decide();
  const { latencyMs } = state.faults.settings();
  if (latencyMs > 0) await state.sleep(latencyMs);
  if (decision.kind === 'reset') return 'reset';
  if (decision.kind === 'unavailable') throw new SimError(503, RATE_LIMIT_MESSAGE);
  return 'none';
}

async function persist(model: WorldPort): Promise<void> {
  try {
    await model.persist();
  } catch {
    throw new SimError(503, 'The change was made but the simulator could not save its state. Retry later.');
  }
}

function parseRoute(rawUrl: string): Route {
  const url = new URL(rawUrl, 'http://simulator.invalid');
  const segments = decodeSegments(url.pathname);
  if (segments[0] === '_sim') return { kind: 'sim', segments: segments.slice(1) };
  const partner = segments[0] === 'partner';
  const rest = partner ? segments.slice(1) : segments;
  if (rest[0] !== 'api' || rest[1] !== 'rest' || rest[2] !== 'v1' || !rest[3]) return { kind: 'unknown' };
  const override = partner ? url.searchParams.get('overrideAccount') : null;
  const target: AccountTarget = { urlAccountId: rest[3], partner };
  if (override) target.overrideAccountId = override;
  return { kind: 'api', target, segments: rest.slice(4) };
}

function decodeSegments(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw new SimError(400, 'The request path is not valid URL encoding.');
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
