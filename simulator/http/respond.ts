// Response writing and request-body reading for the simulator's HTTP layer. Every error leaves as
// {"@type":"Error","message":…} with one of the statuses Boomi documents; nothing else reaches the wire.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonBytes } from './json-text.js';
import { SimError } from '../model/port.js';

export type ErrorStatus = SimError['status'];

export const RATE_LIMIT_MESSAGE =
  "The Boomi server is currently unavailable or your account's rate limits have been exceeded. Retry later.";
export const GONE_MESSAGE = 'Endpoint is invalid or no longer exists.';

const MAX_BODY_BYTES = 1024 * 1024;
const NO_BYTES = Buffer.alloc(0);

export function errorBody(message: string): { '@type': 'Error'; message: string } {
  return { '@type': 'Error', message };
}

export function sendJson(
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

/** Writes any thrown value as an error body; returns the status sent. */
export function sendError(res: ServerResponse, err: unknown): ErrorStatus {
  const simError = toSimError(err);
  sendJson(res, simError.status, errorBody(simError.message), headersFor(simError.status));
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
