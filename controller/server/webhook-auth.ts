// Authenticates a git push webhook against the configured secret: GitHub signs the body
// (X-Hub-Signature-256: sha256=<hex HMAC-SHA256>), GitLab sends the secret itself (X-Gitlab-Token).
// Both are compared in constant time. Anything else — no header, a bad signature, no secret configured —
// is refused.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type WebhookVerdict = { ok: true; provider: 'github' | 'gitlab' } | { ok: false; message: string };

export function verifyWebhook(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string | undefined,
): WebhookVerdict {
  if (!secret) return { ok: false, message: 'no webhook secret is configured (webhook.secretEnv)' };
  const signature = single(headers['x-hub-signature-256']);
  if (signature !== undefined) {
    const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return sameText(signature, expected)
      ? { ok: true, provider: 'github' }
      : { ok: false, message: 'X-Hub-Signature-256 does not match the body and the configured secret' };
  }
  const token = single(headers['x-gitlab-token']);
  if (token !== undefined) {
    return sameText(token, secret)
      ? { ok: true, provider: 'gitlab' }
      : { ok: false, message: 'X-Gitlab-Token does not match the configured secret' };
  }
  return { ok: false, message: 'the request carries neither X-Hub-Signature-256 nor X-Gitlab-Token' };
}

/** The GitHub signature header for a body (for clients and tests). */
export function githubSignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameText(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
