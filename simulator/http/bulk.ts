// Bulk GET: `{"type":"GET","request":[{"id":…}]}` with at most 100 ids. The call answers 200; each item
// carries its own statusCode, with Result on success or errorMessage on failure (the *BulkResponse schemas).
import { SimError, type CallContext, type ObjectHandler, type WireObject } from './object-handler.js';
import { isRecord, toSimError } from './respond.js';

export const MAX_BULK_IDS = 100;

export interface BulkItemResponse {
  '@type': 'BulkResponse';
  index: number;
  id: string;
  statusCode: number;
  Result?: WireObject;
  errorMessage?: string;
}

export interface BulkResultBody {
  '@type': 'BulkResult';
  response: BulkItemResponse[];
}

/** Validates the request and returns the ids, in order. */
export function readBulkIds(body: Record<string, unknown>, objectType: string): string[] {
  const type = body['type'] ?? 'GET';
  if (type !== 'GET') {
    throw new SimError(400, `Bulk ${String(type)} is not supported for ${objectType}; only GET is.`);
  }
  const request = body['request'];
  if (!Array.isArray(request))
    throw new SimError(400, 'A bulk request needs a "request" array of {"id": …}.');
  if (request.length > MAX_BULK_IDS) {
    throw new SimError(
      400,
      `A bulk request may name at most ${MAX_BULK_IDS} ids; this one names ${request.length}.`,
    );
  }
  return request.map((item: unknown, index) => {
    const id = isRecord(item) ? item['id'] : undefined;
    if (typeof id !== 'string' || id === '') throw new SimError(400, `Bulk request item ${index} has no id.`);
    return id;
  });
}

export function bulkGet(handler: ObjectHandler, ctx: CallContext, ids: readonly string[]): BulkResultBody {
  const get = handler.get?.bind(handler);
  if (!get) throw new SimError(400, `The GET operation is not supported for ${handler.type}.`);
  return { '@type': 'BulkResult', response: ids.map((id, index) => bulkItem(index, id, () => get(ctx, id))) };
}

function bulkItem(index: number, id: string, fetch: () => WireObject | undefined): BulkItemResponse {
  const base = { '@type': 'BulkResponse' as const, index, id };
  try {
    const found = fetch();
    if (found) return { ...base, statusCode: 200, Result: found };
    return { ...base, statusCode: 404, errorMessage: `No object with id ${id}.` };
  } catch (err) {
    const simError = toSimError(err);
    return { ...base, statusCode: simError.status, errorMessage: simError.message };
  }
}
