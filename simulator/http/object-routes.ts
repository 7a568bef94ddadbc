// The object operations under /api/rest/v1/{account}/: which operation a request is, whether the object
// and its handler support it, whether the caller may do it, and the handler call itself.
import { API_PRIVILEGE, requirePrivilege } from './auth.js';
import { bulkGet, readBulkIds } from './bulk.js';
import { SimError, type CallContext, type ObjectHandler, type WorldPort } from '../model/port.js';
import type { QueryPager } from './paging.js';
import { compileQueryFilter } from './query-filter.js';
import { GONE_MESSAGE, parseJsonObject } from './respond.js';

export type Operation =
  'GET' | 'CREATE' | 'UPDATE' | 'DELETE' | 'QUERY' | 'QUERY_MORE' | 'BULK' | 'ASYNC_TOKEN' | 'ASYNC_RESPONSE';

export interface ObjectRequest {
  objectType: string;
  operation: Operation;
  id?: string;
}

export interface ObjectResponse {
  status: 200 | 202;
  /** undefined = empty body (DELETE). */
  body: unknown;
  /** A write that succeeded: the model must persist before the answer goes out. */
  wrote: boolean;
}

const WRITES: ReadonlySet<Operation> = new Set(['CREATE', 'UPDATE', 'DELETE']);
const SUB_PATHS: Record<string, Operation> = { query: 'QUERY', queryMore: 'QUERY_MORE', bulk: 'BULK' };

/** Maps method + path segments after the account to an operation (400 for shapes Boomi has no call for). */
export function classifyObjectRequest(method: string, segments: readonly string[]): ObjectRequest {
  if (method === 'GET' && segments[0] === 'async') return classifyAsync(segments);
  const [objectType, second, ...extra] = segments;
  // The legacy form of Boomi's help pages and scripts: POST /Atom/{id}/update is the UPDATE of /Atom/{id}.
  if (method === 'POST' && objectType && second && extra.length === 1 && extra[0] === 'update') {
    return { objectType, operation: 'UPDATE', id: second };
  }
  if (!objectType || extra.length > 0) throw new SimError(404, `No API endpoint at /${segments.join('/')}.`);
  if (method === 'GET')
    return second === undefined
      ? { objectType, operation: 'GET' }
      : { objectType, operation: 'GET', id: second };
  if (method === 'DELETE' && second !== undefined) return { objectType, operation: 'DELETE', id: second };
  if (method === 'POST' && second === undefined) return { objectType, operation: 'CREATE' };
  if (method === 'POST' && second !== undefined) {
    const sub = SUB_PATHS[second];
    return sub ? { objectType, operation: sub } : { objectType, operation: 'UPDATE', id: second };
  }
  throw new SimError(400, `${method} /${segments.join('/')} is not a supported operation.`);
}

/** Boomi's async GET: `/async/{type}/{id}` answers a token, `/async/{type}/response/{token}` the object. */
function classifyAsync(segments: readonly string[]): ObjectRequest {
  const [, objectType, second, third, ...extra] = segments;
  if (objectType && second === 'response' && third && extra.length === 0) {
    return { objectType, operation: 'ASYNC_RESPONSE', id: third };
  }
  if (objectType && second && third === undefined)
    return { objectType, operation: 'ASYNC_TOKEN', id: second };
  throw new SimError(404, `No API endpoint at /${segments.join('/')}.`);
}

/** The token of an async GET names the object and the id (Boomi: `AtomCounters-<uuid>`); nothing is kept. */
function asyncToken(objectType: string, id: string): string {
  return `${objectType}-${id}`;
}

function idOfAsyncToken(objectType: string, token: string): string {
  const prefix = asyncToken(objectType, '');
  if (!token.startsWith(prefix) || token.length === prefix.length) throw new SimError(410, GONE_MESSAGE);
  return token.slice(prefix.length);
}

export class ObjectRoutes {
  constructor(
    private readonly model: WorldPort,
    private readonly pager: QueryPager,
  ) {}

  handle(ctx: CallContext, request: ObjectRequest, rawBody: string): ObjectResponse {
    const handler = this.findHandler(request.objectType);
    const label = `${request.operation} of ${handler.type}`;
    requirePrivilege(ctx.privileges, [API_PRIVILEGE], label, ctx.accountId);
    requireSupport(handler, request);
    const needed = WRITES.has(request.operation) ? handler.writePrivileges : handler.readPrivileges;
    requirePrivilege(ctx.privileges, needed, label, ctx.accountId);
    return this.perform(handler, ctx, request, rawBody);
  }

  private findHandler(objectType: string): ObjectHandler {
    const handler = this.model.handlers().find((h) => h.type === objectType);
    if (!handler) throw new SimError(404, `Unknown API object '${objectType}'.`);
    return handler;
  }

  private perform(
    handler: ObjectHandler,
    ctx: CallContext,
    request: ObjectRequest,
    rawBody: string,
  ): ObjectResponse {
    const id = request.id ?? '';
    switch (request.operation) {
      case 'GET':
        return read(getOne(handler, ctx, id));
      case 'ASYNC_TOKEN':
        getOne(handler, ctx, id);
        return read({
          '@type': 'AsyncOperationResult',
          responseStatusCode: 202,
          asyncToken: { '@type': 'AsyncToken', token: asyncToken(handler.type, id) },
        });
      case 'ASYNC_RESPONSE': {
        const found = getOne(handler, ctx, idOfAsyncToken(handler.type, id));
        return read({
          '@type': 'AsyncOperationResult',
          responseStatusCode: 200,
          numberOfResults: 1,
          result: [found],
        });
      }
      case 'CREATE': {
        const created = handler.create!(ctx, parseJsonObject(rawBody));
        return { status: created.status, body: created.body, wrote: true };
      }
      case 'UPDATE':
        return { status: 200, body: handler.update!(ctx, id, parseJsonObject(rawBody)), wrote: true };
      case 'DELETE':
        handler.delete!(ctx, id);
        return { status: 200, body: undefined, wrote: true };
      case 'QUERY':
        return read(this.query(handler, ctx, rawBody));
      case 'QUERY_MORE':
        return read(this.pager.nextPage(pagingScope(ctx, handler), readQueryToken(rawBody)));
      case 'BULK':
        return read(bulkGet(handler, ctx, readBulkIds(parseJsonObject(rawBody), handler.type)));
    }
  }

  private query(handler: ObjectHandler, ctx: CallContext, rawBody: string): unknown {
    const matches = compileQueryFilter(parseJsonObject(rawBody), handler.query!, handler.type);
    const results = handler.list!(ctx).filter(matches);
    return this.pager.firstPage(pagingScope(ctx, handler), results);
  }
}

function read(body: unknown): ObjectResponse {
  return { status: 200, body, wrote: false };
}

function getOne(handler: ObjectHandler, ctx: CallContext, id: string): unknown {
  const found = handler.get!(ctx, id);
  if (!found) throw new SimError(404, `${handler.type} ${id} does not exist in account ${ctx.accountId}.`);
  return found;
}

function requireSupport(handler: ObjectHandler, request: ObjectRequest): void {
  const { operation } = request;
  if (operation === 'GET' && (request.id === undefined) !== (handler.readsWithoutId === true)) {
    throw new SimError(
      400,
      `GET /${handler.type}${request.id === undefined ? '' : '/{id}'} is not a supported operation.`,
    );
  }
  if (!supports(handler, operation)) {
    const verb = operation === 'QUERY_MORE' ? 'QUERY' : operation;
    throw new SimError(400, `The ${verb} operation is not supported for ${handler.type}.`);
  }
}

export function supports(handler: ObjectHandler, operation: Operation): boolean {
  switch (operation) {
    case 'GET':
      return handler.get !== undefined && handler.readsAsync !== true;
    case 'ASYNC_TOKEN':
    case 'ASYNC_RESPONSE':
      return handler.get !== undefined && handler.readsAsync === true;
    case 'CREATE':
      return handler.create !== undefined;
    case 'UPDATE':
      return handler.update !== undefined;
    case 'DELETE':
      return handler.delete !== undefined;
    case 'QUERY':
    case 'QUERY_MORE':
      return handler.query !== undefined && handler.list !== undefined;
    case 'BULK':
      return handler.bulkSupported === true && handler.get !== undefined && handler.readsAsync !== true;
  }
}

function pagingScope(ctx: CallContext, handler: ObjectHandler): string {
  return `${ctx.accountId}\u0000${handler.type}`;
}

/** queryMore takes the token as a text/plain body; a JSON-quoted token is accepted too. */
function readQueryToken(rawBody: string): string {
  let token = rawBody.trim();
  if (token.startsWith('"') && token.endsWith('"') && token.length >= 2) token = token.slice(1, -1);
  if (token === '') throw new SimError(400, 'queryMore needs the queryToken as its text/plain body.');
  return token;
}
