// What went wrong talking to the Kubernetes API, as a status code and the API server's own message.
// client-node 1.4.0 throws ApiException (code, body as text) for HTTP errors and plain errors for
// network failures; its message embeds response headers, so it is never shown as it is.

import { isPlainObject } from './kube-object.js';

export interface KubeFailure {
  /** HTTP status, when the API server answered. */
  statusCode?: number;
  /** The Status reason (NotFound, Conflict, Expired, Forbidden…), when there is one. */
  reason?: string;
  /** The API server's message, or the network error's. */
  message: string;
}

export function describeKubeFailure(error: unknown): KubeFailure {
  const candidate = error as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown };
  const statusCode = numberOr(candidate?.code) ?? numberOr(candidate?.statusCode);
  const body = parseBody(candidate?.body);
  const reason = typeof body?.reason === 'string' ? body.reason : undefined;
  if (statusCode !== undefined) {
    const message = typeof body?.message === 'string' ? body.message : `HTTP ${statusCode}`;
    return { statusCode, ...(reason ? { reason } : {}), message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: message.split('\n')[0] ?? message };
}

export function statusCodeOf(error: unknown): number | undefined {
  return describeKubeFailure(error).statusCode;
}

/** Typed error of the Kubernetes parts: a code to branch on and a message a person can act on. */
export class KubeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (isPlainObject(body)) return body;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
