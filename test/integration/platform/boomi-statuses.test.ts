// Issue 13, statuses and paths as Boomi has them: "the form POST /Atom/{id}/update used in Boomi's help pages
// and scripts is 404", "a URL naming an account the caller has no access to is 404 'does not exist' (Boomi:
// 403)", "?method=DELETE on GET (Boomi's fallback for clients that cannot send DELETE) is 400".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, PROD } from './support/demo-world.js';
import { Simulators, type Platform } from './support/simulators.js';

const NS = 'http://api.platform.boomi.com/';
const AUTH = `Basic ${Buffer.from(`BOOMI_TOKEN.${DEMO_ADMIN.userId}:${DEMO_ADMIN.token}`).toString('base64')}`;

const simulators = new Simulators();
let platform: Platform;

beforeAll(async () => {
  platform = await simulators.demo();
});
afterAll(() => simulators.closeAll());

async function json(method: string, path: string, body?: unknown, account = PROD) {
  const response = await fetch(`${platform.url}/api/rest/v1/${account}/${path}`, {
    method,
    headers: {
      Authorization: AUTH,
      Accept: 'application/json',
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function firstAtomId(): Promise<string> {
  const { body } = await json('POST', 'Atom/query', {});
  return (body['result'] as { id: string; type: string }[]).find((atom) => atom.type === 'ATOM')!.id;
}

describe('Boomi’s legacy and fallback forms', () => {
  it('takes POST /Atom/{id}/update with the XML body of Boomi’s help pages', async () => {
    const id = await firstAtomId();
    const response = await fetch(`${platform.url}/api/rest/v1/${PROD}/Atom/${id}/update`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/xml', Accept: 'application/json' },
      body: `<bns:Atom xmlns:bns="${NS}" id="${id}" purgeHistoryDays="90"/>`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id, purgeHistoryDays: 90 });
    expect((await json('GET', `Atom/${id}`)).body).toMatchObject({ purgeHistoryDays: 90 });
  });

  it('treats GET …?method=DELETE as the DELETE it stands for', async () => {
    const attachments = (await json('POST', 'EnvironmentAtomAttachment/query', {})).body['result'] as {
      id: string;
    }[];
    const id = attachments[0]!.id;
    const deleted = await json('GET', `EnvironmentAtomAttachment/${id}?method=DELETE`);
    expect(deleted.status).toBe(200);
    const left = (await json('POST', 'EnvironmentAtomAttachment/query', {})).body['result'] as {
      id: string;
    }[];
    expect(left.map((attachment) => attachment.id)).not.toContain(id);
    expect(left).toHaveLength(attachments.length - 1);
  });
});

describe('an account out of the caller’s reach', () => {
  it('is 403 with Boomi’s message, whether or not the account exists', async () => {
    for (const account of ['someone-elses-account-Z9Y8X7', 'not-an-account']) {
      const reply = await json('POST', 'Atom/query', {}, account);
      expect(reply.status).toBe(403);
      expect(reply.body['message']).toContain('Access denied due to insufficient permissions.');
      expect(reply.body['message']).not.toContain('does not exist');
    }
  });
});
