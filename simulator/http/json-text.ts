// JSON for the wire, as the UTF-8 bytes that are written. A model may answer the same deeply frozen object
// again while it is unchanged (see simulator/model/view-cache.ts): its JSON cannot change either, so it is
// serialized and encoded once and kept for as long as the object lives. Answers made of many objects
// (bulk, query pages) are put together from those bytes instead of being serialized again.

/** A body already serialized as JSON: sendJson writes its bytes as they are. */
export class JsonText {
  /** The UTF-8 bytes of one JSON document. */
  constructor(readonly bytes: Buffer) {}
}

const frozenJson = new WeakMap<object, Buffer>();

/** The UTF-8 bytes of JSON.stringify(value); kept for a frozen object (whose nested objects are frozen too). */
export function jsonBytes(value: unknown): Buffer {
  if (value instanceof JsonText) return value.bytes;
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) {
    return Buffer.from(JSON.stringify(value), 'utf8');
  }
  let bytes = frozenJson.get(value);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(value), 'utf8');
    frozenJson.set(value, bytes);
  }
  return bytes;
}

/** One JSON document from pieces in order: JSON text, and bytes from jsonBytes(). */
export function joinJson(parts: readonly (string | Buffer)[]): JsonText {
  let length = 0;
  for (const part of parts)
    length += typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length;
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      offset += bytes.write(part, offset, 'utf8');
    } else {
      bytes.set(part, offset);
      offset += part.length;
    }
  }
  return new JsonText(bytes);
}
