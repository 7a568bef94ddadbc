// Reading requests and writing responses for the fake API server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest } from './status-errors.js';
import type { KubeStatusError } from './status-errors.js';
import type { IncludeObject } from './table.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendStatusError(res: ServerResponse, error: KubeStatusError): void {
  sendJson(res, error.code, error.toStatus());
}

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON (or, when the client says so, YAML) body; an empty body is undefined. */
export function parseBody(text: string, contentType: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return mediaTypeOf(contentType).endsWith('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
    throw badRequest(
      `the object provided is unrecognized: couldn't get version/kind; json parse error: ${detail}`,
    );
  }
}

export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

export interface TableRequest {
  tableApiVersion: string;
  includeObject: IncludeObject;
}

/** `Accept: application/json;as=Table;v=v1;g=meta.k8s.io, …` → the Table version to answer with. */
export function tableRequested(
  accept: string | undefined,
  includeObject: string | null,
): TableRequest | undefined {
  if (!accept) return undefined;
  for (const mediaRange of accept.split(',')) {
    const [base, ...rawParams] = mediaRange.split(';').map((p) => p.trim());
    if (base !== 'application/json') continue;
    const params = new Map(rawParams.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (params.get('as') !== 'Table' || params.get('g') !== 'meta.k8s.io') continue;
    const version = params.get('v');
    if (version !== 'v1' && version !== 'v1beta1') continue;
    return { tableApiVersion: `meta.k8s.io/${version}`, includeObject: includeObjectOf(includeObject) };
  }
  return undefined;
}

function includeObjectOf(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}
