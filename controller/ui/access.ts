// Who may see the dashboard and the status API, and who may act (reconcile now, suspend/resume).
//   - On a loopback listener anyone on the machine may look; acting needs the configured token.
//   - Off loopback every page, event stream and status API call needs the token; with no token configured
//     they are refused (fail closed) and the message says how to configure one.
// The token comes as `Authorization: Bearer TOKEN` (API clients, curl) or as the session cookie the
// login page sets (browsers: EventSource cannot send headers). The cookie holds an HMAC of the token,
// never the token itself.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export interface AccessPolicy {
  /** The bearer token; undefined = none configured (read-only dashboard, loopback only). */
  token?: string;
  /** Whether the listener is bound to a loopback address (decided once at listen; injectable in tests). */
  loopback: boolean;
}

export type AccessVerdict =
  { ok: true; authenticated: boolean } | { ok: false; status: 401 | 403; message: string };

const SESSION_COOKIE = 'atomsync_session';

export function isLoopbackAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** May this request read (pages, events, status API)? */
export function checkRead(req: http.IncomingMessage, policy: AccessPolicy): AccessVerdict {
  const authenticated = hasValidCredential(req, policy.token);
  if (policy.loopback || authenticated) return { ok: true, authenticated };
  if (policy.token === undefined)
    return {
      ok: false,
      status: 401,
      message:
        'the listener is not loopback and no token is configured: set server.tokenEnv or server.tokenFile ' +
        'in the config (or listen on 127.0.0.1)',
    };
  return {
    ok: false,
    status: 401,
    message: 'send the token as "Authorization: Bearer TOKEN" or log in at /ui/login',
  };
}

/** May this request act (reconcile now, suspend/resume)? Only with a configured token, presented. */
export function checkWrite(req: http.IncomingMessage, policy: AccessPolicy): AccessVerdict {
  if (policy.token === undefined)
    return {
      ok: false,
      status: 403,
      message: 'read-only: configure server.tokenEnv or server.tokenFile to enable actions',
    };
  if (!hasValidCredential(req, policy.token))
    return {
      ok: false,
      status: 401,
      message: 'send the token as "Authorization: Bearer TOKEN" or log in at /ui/login',
    };
  return { ok: true, authenticated: true };
}

function hasValidCredential(req: http.IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (bearer !== undefined && sameText(bearer, token)) return true;
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  return cookie !== undefined && sameText(cookie, sessionValue(token));
}

export function tokenMatches(candidate: string, token: string | undefined): boolean {
  return token !== undefined && sameText(candidate, token);
}

/** The cookie value for a token: an HMAC, so a leaked cookie does not reveal the token. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('atomsync dashboard session v1').digest('base64url');
}

export function sessionCookie(token: string, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return `${SESSION_COOKIE}=${sessionValue(token)}; ${attributes.join('; ')}`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
