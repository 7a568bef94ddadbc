// One HTTP call of a receiver, classified for the dispatcher: delivered, worth retrying (network, 408,
// 429, 5xx — with the receiver's Retry-After when it sends one), or refused for good (other 4xx).

export type DeliveryResult =
  | { ok: true; status: number; json?: unknown }
  | { ok: false; retry: boolean; message: string; retryAfterMs?: number };

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** Sent as is (already serialized, so a signature covers exactly these bytes). */
  body?: string;
  timeoutMs: number;
  /** Text removed from error messages (tokens, secret URLs). */
  secrets?: readonly string[];
}

export async function httpDeliver(call: HttpCall): Promise<DeliveryResult> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: {
        ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...call.headers,
      },
      ...(call.body !== undefined ? { body: call.body } : {}),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const detail = cause ?? (error instanceof Error ? error.name : 'network error');
    return { ok: false, retry: true, message: redact(`${origin(call.url)} unreachable (${detail})`, call) };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { ok: true, status: response.status, ...parsed(text) };
  const retry = response.status === 408 || response.status === 429 || response.status >= 500;
  const retryAfterMs = retryAfter(response.headers.get('retry-after'));
  const said = text.trim().slice(0, 200);
  return {
    ok: false,
    retry,
    message: redact(`${origin(call.url)} answered ${response.status}${said ? `: ${said}` : ''}`, call),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function parsed(text: string): { json?: unknown } {
  if (text === '') return {};
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return {};
  }
}

/** Seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Only the origin: a Slack URL's path is its secret. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the receiver';
  }
}

function redact(text: string, call: HttpCall): string {
  return (call.secrets ?? []).filter(Boolean).reduce((out, secret) => out.split(secret).join('***'), text);
}
