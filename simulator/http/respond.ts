// Response writing and request-body reading for the simulator's HTTP layer. Every error leaves as
// {"@type":"Error","message":…} with one of the statuses Boomi documents; nothing else reaches the wire.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonBytes, JsonText } from './json-text.js';
import { SimError } from '../model/port.js';
import type { WireFormat } from './negotiate.js';
import { toXml } from './xml-wire.js';

export type ErrorStatus = SimError['status'];

export const RATE_LIMIT_MESSAGE =
  "The Boomi server is currently unavailable or your account's rate limits have been exceeded. Retry later.";
export const GONE_MESSAGE = 'Endpoint is invalid or no longer exists.';

const MAX_BODY_BYTES = 1024 * 1024;
const NO_BYTES = Buffer.alloc(0);

function errorBody(message: string): { '@type': 'Error'; message: string } {
  return { '@type': 'Error', message };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // Encoded once: the length is that of the bytes that are written.
  const bytes = body === undefined ? NO_BYTES : jsonBytes(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

/** The body in the format the client asked for; `schemaName` names the answer's schema for XML. */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: unknown,
  format: WireFormat,
  schemaName?: string,
  headers: Record<string, string> = {},
): void {
  if (format === 'json') return sendJson(res, status, body, headers);
  const bytes = body === undefined ? NO_BYTES : Buffer.from(toXml(plain(body), schemaName), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

/** A body kept as JSON bytes (query pages, bulk results) as the object it stands for. */
function plain(body: unknown): unknown {
  return body instanceof JsonText ? (JSON.parse(body.bytes.toString('utf8')) as unknown) : body;
}

/** Writes any thrown value as an error body, in the client's format; returns the status sent. */
export function sendError(res: ServerResponse, err: unknown, format: WireFormat = 'json'): ErrorStatus {
  const simError = toSimError(err);
  sendBody(res, simError.status, errorBody(simError.message), format, undefined, headersFor(simError.status));
  return simError.status;
}

/** A SimError keeps its status and message; anything else becomes a 400 without internals. */
export function toSimError(err: unknown): SimError {
  if (err instanceof SimError) return err;
  const detail = err instanceof Error && err.message ? `: ${firstLine(err.message)}` : '';
  return new SimError(400, `The request could not be processed${detail}`);
}

function headersFor(status: ErrorStatus): Record<string, string> {
  if (status === 401) return { 'WWW-Authenticate': 'Basic realm="AtomSphere API"' };
  if (status === 503) return { 'Retry-After': '1' };
  return {};
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new SimError(400, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An empty body is `{}`; anything but a JSON object is a 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SimError(400, 'The request body is not valid JSON.');
  }
  if (!isRecord(parsed)) throw new SimError(400, 'The request body must be a JSON object.');
  return parsed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
