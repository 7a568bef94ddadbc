import { describe, expect, it } from 'vitest';
import { githubSignature, verifyWebhook } from '../../../controller/server/webhook-auth.js';

const SECRET = 'webhook-secret-for-tests';
const BODY = Buffer.from('{"ref":"refs/heads/main"}');

describe('webhook authentication', () => {
  it('accepts a GitHub push signed with the configured secret', () => {
    const headers = { 'x-hub-signature-256': githubSignature(BODY, SECRET) };
    expect(verifyWebhook(headers, BODY, SECRET)).toEqual({ ok: true, provider: 'github' });
  });

  it('refuses a GitHub signature made with another secret or over another body', () => {
    const otherSecret = { 'x-hub-signature-256': githubSignature(BODY, 'not-the-secret') };
    const otherBody = { 'x-hub-signature-256': githubSignature('{"ref":"x"}', SECRET) };
    expect(verifyWebhook(otherSecret, BODY, SECRET).ok).toBe(false);
    expect(verifyWebhook(otherBody, BODY, SECRET).ok).toBe(false);
  });

  it('refuses a truncated or malformed signature header', () => {
    const signature = githubSignature(BODY, SECRET);
    expect(verifyWebhook({ 'x-hub-signature-256': signature.slice(0, -2) }, BODY, SECRET).ok).toBe(false);
    expect(verifyWebhook({ 'x-hub-signature-256': 'sha1=abc' }, BODY, SECRET).ok).toBe(false);
  });

  it('accepts a GitLab token equal to the secret and refuses any other', () => {
    expect(verifyWebhook({ 'x-gitlab-token': SECRET }, BODY, SECRET)).toEqual({
      ok: true,
      provider: 'gitlab',
    });
    expect(verifyWebhook({ 'x-gitlab-token': `${SECRET}x` }, BODY, SECRET).ok).toBe(false);
    expect(verifyWebhook({ 'x-gitlab-token': '' }, BODY, SECRET).ok).toBe(false);
  });

  it('refuses a request with neither header', () => {
    const verdict = verifyWebhook({}, BODY, SECRET);
    expect(verdict).toMatchObject({ ok: false, message: expect.stringContaining('neither') });
  });

  it('refuses every webhook when no secret is configured', () => {
    const headers = { 'x-hub-signature-256': githubSignature(BODY, '') };
    expect(verifyWebhook(headers, BODY, undefined)).toMatchObject({ ok: false });
    expect(verifyWebhook({ 'x-gitlab-token': '' }, BODY, '')).toMatchObject({ ok: false });
  });
});
