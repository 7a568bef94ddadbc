// Entry point for every request: records it, checks the bearer token, and routes discovery,
// OpenAPI, health and resource paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { coreVersions, groupDocument, groupList, resourceList, SERVER_VERSION } from './discovery.js';
import { bearerToken, parseBody, readRawBody, sendJson, sendStatusError } from './http-io.js';
import { serveOpenApi } from './openapi.js';
import { parseResourcePath, type ResourcePath } from './resource-path.js';
import type { Authenticator, Authorizer } from './rbac.js';
import { attributesOf } from './rbac.js';
import type { ResourceHandler } from './resource-handler.js';
import type { ResourceRegistry } from './resource-registry.js';
import { KubeStatusError, pathNotFound } from './status-errors.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  /** Who made it (kubernetes-admin, or system:serviceaccount:ns:name). */
  user?: string;
  /** The response's status code, once it was sent. */
  status?: number;
  /** The parsed request body (JSON or YAML), when there was one. */
  body?: unknown;
}

export interface RouterDeps {
  registry: ResourceRegistry;
  resources: ResourceHandler;
  authenticator: Authenticator;
  authorizer: Authorizer;
  serverAddress: () => string;
  requests: RecordedRequest[];
}

export function createRouter(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      sendStatusError(
        res,
        new KubeStatusError(500, 'InternalError', `fake kube-apiserver failed: ${message}`),
      );
    });
  };
}

async function handle(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake-kube');
  const raw = await readRawBody(req);
  const contentType = req.headers['content-type'] ?? '';
  const recorded = record(deps.requests, req, url, contentType);
  res.once('finish', () => (recorded.status = res.statusCode));
  try {
    const user = deps.authenticator.authenticate(req, bearerToken(req));
    recorded.user = user.name;
    const body = parseBody(raw, contentType);
    if (body !== undefined) recorded.body = body;
    route(deps, req, res, url, body, (path) =>
      deps.authorizer.authorize(user, attributesOf(req.method ?? 'GET', path, url.searchParams)),
    );
  } catch (err) {
    if (!(err instanceof KubeStatusError)) throw err;
    sendStatusError(res, err);
  }
}

function route(
  deps: RouterDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: unknown,
  authorize: (path: ResourcePath) => void,
): void {
  const pathname = url.pathname.replace(/\/+$/, '') || '/';
  const discovery = discoveryDocument(deps, pathname);
  if (discovery !== undefined && req.method === 'GET') return sendJson(res, 200, discovery);
  if (pathname === '/healthz' || pathname === '/readyz' || pathname === '/livez') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (pathname.startsWith('/openapi/')) return serveOpenApi(deps.registry, pathname, req, res);
  const path = parseResourcePath(pathname);
  if (!path) throw pathNotFound();
  authorize(path);
  deps.resources.handle({ req, res, path, query: url.searchParams, body });
}

function discoveryDocument(deps: RouterDeps, pathname: string): object | undefined {
  if (pathname === '/version') return SERVER_VERSION;
  if (pathname === '/api') return coreVersions(deps.serverAddress());
  if (pathname === '/apis') return groupList(deps.registry);
  const segments = pathname.split('/').filter(Boolean);
  if (segments[0] === 'api' && segments.length === 2)
    return resourceList(deps.registry, '', segments[1] ?? '');
  if (segments[0] !== 'apis') return undefined;
  if (segments.length === 2) return groupDocument(deps.registry, segments[1] ?? '');
  if (segments.length === 3) return resourceList(deps.registry, segments[1] ?? '', segments[2] ?? '');
  return undefined;
}

function record(
  requests: RecordedRequest[],
  req: IncomingMessage,
  url: URL,
  contentType: string,
): RecordedRequest {
  const entry: RecordedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...(contentType ? { contentType } : {}),
    ...(req.headers.accept ? { accept: req.headers.accept } : {}),
  };
  requests.push(entry);
  return entry;
}
