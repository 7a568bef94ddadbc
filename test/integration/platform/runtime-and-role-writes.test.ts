// Issue 13 Deliver 2, what users' tools do beyond reads: attach a runtime to a Runtime cloud and delete it
// (Atom CREATE/DELETE), manage custom roles and who holds them (Role, AccountUserRole, ACCOUNT_ADMIN only),
// drop a release schedule, and read a runtime's internals through Boomi's async GET. One demo world.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOMI_PUBLIC, DEMO_ADMIN, DEMO_VIEWER, PROD, type PlatformUser } from './support/demo-world.js';
import { Simulators, type Platform } from './support/simulators.js';

const simulators = new Simulators();
let platform: Platform;

beforeAll(async () => {
  platform = await simulators.demo();
});
afterAll(() => simulators.closeAll());

type Body = Record<string, unknown>;

async function json(method: string, path: string, body?: unknown, user = DEMO_ADMIN, account = PROD) {
  const response = await fetch(`${platform.url}/api/rest/v1/${account}/${path}`, {
    method,
    headers: {
      Authorization: basic(user),
      Accept: 'application/json',
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
}

function basic(user: PlatformUser): string {
  return `Basic ${Buffer.from(`BOOMI_TOKEN.${user.userId}:${user.token}`).toString('base64')}`;
}

async function results(path: string, account = PROD): Promise<Body[]> {
  return ((await json('POST', path, {}, DEMO_ADMIN, account)).body['result'] as Body[] | undefined) ?? [];
}

async function auditNames(): Promise<string[]> {
  return (await results('AuditLog/query')).map((r) => `${String(r['type'])} ${String(r['action'])}`);
}

describe('Atom CREATE and DELETE', () => {
  it('attaches a runtime to a Runtime cloud, shown to the account and to the Cloud owner, and deletes it', async () => {
    const cloud = (await results('Cloud/query'))[0]!;
    const created = await json('POST', 'Atom', { cloudId: cloud['id'], name: 'Tooling Attachment' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ type: 'CLOUD', isCloudAttachment: true, cloudId: cloud['id'] });
    const id = String(created.body['id']);
    const owners = await results('AccountCloudAttachmentSummary/query', BOOMI_PUBLIC);
    expect(owners.map((a) => a['runtimeId'])).toContain(id);

    expect((await json('DELETE', `Atom/${id}`)).status).toBe(200);
    expect((await json('GET', `Atom/${id}`)).status).toBe(404);
    expect(await auditNames()).toEqual(expect.arrayContaining(['as.atom INSTALL', 'as.atom DELETE']));
  });

  it('refuses a local runtime, a viewer, and the delete of a runtime whose update is running', async () => {
    const local = await json('POST', 'Atom', { name: 'Local', type: 'ATOM' });
    expect(local).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('cloudId is required') },
    });
    const cloudId = (await results('Cloud/query'))[0]!['id'];
    const viewer = await json('POST', 'Atom', { cloudId, name: 'Viewer Attachment' }, DEMO_VIEWER);
    expect(viewer.status).toBe(403);

    const atom = (await results('Atom/query')).find((a) => a['name'] === 'Prod West Atom')!;
    const restart = await json('POST', 'RuntimeRestartRequest', { runtimeId: atom['id'] });
    expect(restart.status).toBe(200);
    const refused = await json('DELETE', `Atom/${String(atom['id'])}`);
    expect(refused.status).toBe(409);
    expect((await json('GET', `Atom/${String(atom['id'])}`)).status).toBe(200);
  });
});

describe('Role and AccountUserRole writes', () => {
  it('need ACCOUNT_ADMIN, which the demo admin (a runtime administrator) does not hold', async () => {
    const role = await json('POST', 'Role', { name: 'Custom', Privileges: { Privilege: [{ name: 'API' }] } });
    expect(role.status).toBe(403);
    expect(String(role.body['message'])).toContain('ACCOUNT_ADMIN');
    const roleId = (await results('Role/query'))[0]!['id'];
    const given = await json('POST', 'AccountUserRole', { userId: 'new@acme.example', roleId });
    expect(given.status).toBe(403);
    expect((await results('Role/query')).map((r) => r['name'])).not.toContain('Custom');
  });
});

describe('RuntimeReleaseSchedule DELETE', () => {
  it('puts the runtime back on NEVER and records as.atom.rc_schedule SAVE', async () => {
    const atomId = String(
      (await results('Atom/query')).find((a) => a['name'] === 'Prod East Molecule')!['id'],
    );
    await json('POST', `RuntimeReleaseSchedule/${atomId}`, {
      atomId,
      scheduleType: 'LAST',
      dayOfWeek: 'FRIDAY',
      hourOfDay: 1,
      timeZone: 'Etc/UTC',
    });
    expect((await json('DELETE', `RuntimeReleaseSchedule/${atomId}`)).status).toBe(200);
    expect((await json('GET', `RuntimeReleaseSchedule/${atomId}`)).body).toMatchObject({
      scheduleType: 'NEVER',
    });
    const saves = (await auditNames()).filter((name) => name === 'as.atom.rc_schedule SAVE');
    expect(saves.length).toBeGreaterThanOrEqual(2);
  });
});

describe("Boomi's async GET", () => {
  it('answers a token, then the object for it; a plain GET or a token of another object is refused', async () => {
    const atom = (await results('Atom/query')).find((a) => a['name'] === 'Prod West Atom')!;
    const id = String(atom['id']);
    const token = await json('GET', `async/RuntimeProperties/${id}`);
    expect(token.body).toMatchObject({
      responseStatusCode: 202,
      asyncToken: { token: `RuntimeProperties-${id}` },
    });
    const answer = await json('GET', `async/RuntimeProperties/response/RuntimeProperties-${id}`);
    expect(answer.body).toMatchObject({
      responseStatusCode: 200,
      numberOfResults: 1,
      result: [{ runtimeId: id, standardProperties: { containerName: 'Prod West Atom' } }],
    });
    expect((await json('GET', `RuntimeProperties/${id}`)).status).toBe(400);
    expect((await json('GET', `async/RuntimeProperties/response/AtomCounters-${id}`)).status).toBe(410);
    expect((await json('GET', `async/AtomCounters/${id}`, undefined, DEMO_ADMIN, BOOMI_PUBLIC)).status).toBe(
      404,
    );
  });
});
