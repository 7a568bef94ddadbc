// Bulk GET: `{"type":"GET","request":[{"id":…}]}` with at most 100 ids. The call answers 200; each item
// carries its own statusCode, with Result on success or errorMessage on failure (the *BulkResponse schemas);
// an id the account does not have is a 400 item, as in the document's PublisherIntegrationPack bulk example.
import { joinJson, jsonBytes, type JsonText } from './json-text.js';
import { SimError, type CallContext, type ObjectHandler, type WireObject } from '../model/port.js';
import { isRecord, toSimError } from './respond.js';

const MAX_BULK_IDS = 100;

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

/** The BulkResult, put together from each object's own JSON (see json-text.ts). */
export function bulkGet(handler: ObjectHandler, ctx: CallContext, ids: readonly string[]): JsonText {
  const get = handler.get?.bind(handler);
  if (!get) throw new SimError(400, `The GET operation is not supported for ${handler.type}.`);
  const parts: (string | Buffer)[] = ['{"@type":"BulkResult","response":['];
  ids.forEach((id, index) => {
    if (index > 0) parts.push(',');
    parts.push(...bulkItemJson(handler, index, id, () => get(ctx, id)));
  });
  parts.push(']}');
  return joinJson(parts);
}

/** The JSON of one BulkItemResponse, fields in the order of the interface above. */
function invalidIdMessage(objectType: string, id: string): string {
  return `${objectType} ID ${id} is invalid. Provide a valid ${objectType} ID to complete this action.`;
}

function bulkItemJson(
  handler: ObjectHandler,
  index: number,
  id: string,
  fetch: () => WireObject | undefined,
): (string | Buffer)[] {
  const base = { '@type': 'BulkResponse' as const, index, id };
  let found: WireObject | undefined;
  try {
    found = fetch();
  } catch (err) {
    const simError = toSimError(err);
    return [jsonBytes({ ...base, statusCode: simError.status, errorMessage: simError.message })];
  }
  // As the document's bulk example shows an id the account does not have: 400, "… ID … is invalid".
  if (!found)
    return [jsonBytes({ ...base, statusCode: 400, errorMessage: invalidIdMessage(handler.type, id) })];
  const head = `{"@type":"BulkResponse","index":${index},"id":${JSON.stringify(id)},"statusCode":200,"Result":`;
  return [head, jsonBytes(found), '}'];
}
