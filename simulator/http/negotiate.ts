// Content negotiation as Boomi's API does it: JSON only when the client asks for it (Accept:
// application/json), XML otherwise — Boomi's default, `Accept: */*` and no Accept included. A request body
// is XML when its Content-Type says so or, without one, when it starts with "<".
import { SimError } from '../model/port.js';
import type { ObjectRequest } from './object-routes.js';
import { fromXml, XmlSyntaxError } from './xml-wire.js';

export type WireFormat = 'json' | 'xml';

export function answerFormat(accept: string | undefined): WireFormat {
  let json = 0;
  let xml = 0;
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const quality = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    if (type === 'application/json' || type.endsWith('+json')) json = Math.max(json, quality);
    if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml'))
      xml = Math.max(xml, quality);
  }
  return json > 0 && json >= xml ? 'json' : 'xml';
}

export function isXmlBody(contentType: string | undefined, raw: string): boolean {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('xml')) return true;
  if (type.includes('json') || type.startsWith('text/plain')) return false;
  return raw.trimStart().startsWith('<');
}

/** The schema of the body an operation takes (Atom, AtomQueryConfig, AtomBulkRequest…). */
function requestSchema(request: ObjectRequest): string {
  if (request.operation === 'QUERY') return `${request.objectType}QueryConfig`;
  if (request.operation === 'BULK') return `${request.objectType}BulkRequest`;
  return request.objectType;
}

/** The schema of an operation's answer (Atom, AtomQueryResponse, AtomBulkResponse…). */
export function answerSchema(request: ObjectRequest): string {
  if (request.operation === 'QUERY' || request.operation === 'QUERY_MORE') {
    return `${request.objectType}QueryResponse`;
  }
  if (request.operation === 'BULK') return `${request.objectType}BulkResponse`;
  if (request.operation === 'ASYNC_TOKEN') return 'AsyncOperationTokenResult';
  if (request.operation === 'ASYNC_RESPONSE') return `${request.objectType}AsyncResponse`;
  // An object with no schema of its name (getAssignableRoles) is written after its @type (Roles).
  return request.objectType;
}

/** An XML request body as the JSON text the object routes read; 400 when it is not XML or not this object. */
export function xmlBodyAsJson(raw: string, request: ObjectRequest): string {
  if (request.operation === 'QUERY_MORE') return raw;
  const schema = requestSchema(request);
  let decoded;
  try {
    decoded = fromXml(raw, schema);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new SimError(400, err.message);
    throw err;
  }
  const rootProblem = decoded.problems.find((problem) => problem.startsWith('the root element'));
  if (rootProblem) throw new SimError(400, `The request body does not fit ${schema}: ${rootProblem}.`);
  return JSON.stringify(decoded.value);
}
