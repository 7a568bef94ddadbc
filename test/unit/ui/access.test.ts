// Who may read the dashboard and status API, and who may act — over real HTTP on loopback, with the
// "is the listener loopback" decision injected to stand for a listener on a public address. Replays
// issue 15's observation that the status API and the manual trigger had no authentication at all.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startHttpServer,
  type ControllerApi,
  type RunningHttpServer,
} from '../../../controller/server/http-server.js';
import { isLoopbackAddress } from '../../../controller/ui/access.js';
import { FleetFeed } from '../../../controller/ui/fleet-feed.js';
import type { FleetView } from '../../../controller/ui/fleet-view.js';
import { createUiRoutes } from '../../../controller/ui/ui-routes.js';

const TOKEN = 'unit-test-token';

const EMPTY_VIEW: FleetView = {
  generatedAt: '2026-12-01T00:00:00.000Z',
  mode: 'controller',
  columns: [],
  rows: [],
  waves: [],
  summary: {
    atomVersions: 0,
    pins: 0,
    inSync: 0,
    toChange: 0,
    requests: 0,
    waiting: 0,
    manual: 0,
    blocked: 0,
    drifted: 0,
  },
  accounts: [],
  accountErrors: [],
};

let server: RunningHttpServer | undefined;
const queued: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  queued.length = 0;
});

function api(): ControllerApi {
  return {
    readiness: () => ({ ready: true, checks: [] }),
    statuses: () => [],
    status: () => undefined,
    sourceStates: () => [],
    requestReconcile: (namespace, name) => {
      queued.push(`${namespace}/${name}`);
      return true;
    },
    triggerGitSources: () => 0,
    suspend: (namespace, name, by) => {
      queued.push(`suspend ${namespace}/${name} by ${by}`);
      return Promise.resolve(true);
    },
    resume: (namespace, name) => {
      queued.push(`resume ${namespace}/${name}`);
      return Promise.resolve(true);
    },
  };
}

async function start(options: { loopback: boolean; token?: string }): Promise<string> {
  const feed = new FleetFeed({ intervalMs: 60_000, observe: () => Promise.resolve(EMPTY_VIEW) });
  server = await startHttpServer({
    listen: '127.0.0.1:0',
    api: api(),
    ui: createUiRoutes({
      feed,
      actions: {
        reconcile: (ns, name) => api().requestReconcile(ns, name),
        suspend: (ns, name, by) => api().suspend!(ns, name, by),
        resume: (ns, name) => api().resume!(ns, name),
      },
    }),
    isLoopback: () => options.loopback,
    ...(options.token ? { token: options.token } : {}),
  });
  return server.url;
}

const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('a listener off loopback', () => {
  it('without a configured token refuses the status API, the trigger and the dashboard, and says how to fix it', async () => {
    const url = await start({ loopback: false });
    for (const [method, path] of [
      ['GET', '/api/v1/atomversions'],
      ['POST', '/api/v1/atomversions/ns/a/reconcile'],
      ['GET', '/ui'],
      ['GET', '/ui/events'],
      ['GET', '/ui/api/fleet'],
    ] as const) {
      const response = await fetch(`${url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.text()).toContain('server.tokenEnv');
    }
    expect(queued).toEqual([]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('with a token answers only requests that carry it', async () => {
    const url = await start({ loopback: false, token: TOKEN });
    expect((await fetch(`${url}/api/v1/atomversions`)).status).toBe(401);
    expect(
      (await fetch(`${url}/api/v1/atomversions`, { headers: { Authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    expect((await fetch(`${url}/api/v1/atomversions`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${url}/ui/api/fleet`, { headers: bearer })).status).toBe(200);
    const trigger = await fetch(`${url}/api/v1/atomversions/ns/a/reconcile`, {
      method: 'POST',
      headers: bearer,
    });
    expect(trigger.status).toBe(202);
    expect(queued).toEqual(['ns/a']);
  });
});

describe('a loopback listener', () => {
  it('shows the dashboard read-only when no token is configured: reconcile now is refused', async () => {
    const url = await start({ loopback: true });
    expect((await fetch(`${url}/ui`)).status).toBe(200);
    const page = await (await fetch(`${url}/ui`)).text();
    expect(page).not.toContain('Log in to act');
    const act = await fetch(`${url}/ui/runtime/ns/a/reconcile`, {
      method: 'POST',
      headers: { 'HX-Request': 'true' },
    });
    expect(act.status).toBe(403);
    expect(await act.text()).toContain('read-only');
    expect(queued).toEqual([]);
  });

  it('with a token, acting needs it (the manual trigger too); reading does not', async () => {
    const url = await start({ loopback: true, token: TOKEN });
    expect((await fetch(`${url}/api/v1/atomversions`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/atomversions/ns/a/reconcile`, { method: 'POST' })).status).toBe(401);
    const anonymous = await fetch(`${url}/ui/runtime/ns/a/reconcile`, {
      method: 'POST',
      headers: { 'HX-Request': 'true' },
    });
    expect(anonymous.status).toBe(401);
    const login = await fetch(`${url}/ui/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).not.toContain(TOKEN);
    const crossSite = await fetch(`${url}/ui/runtime/ns/a/reconcile`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(crossSite.status).toBe(403);
    const fromDashboard = await fetch(`${url}/ui/runtime/ns/a/reconcile`, {
      method: 'POST',
      headers: { Cookie: cookie, 'HX-Request': 'true' },
    });
    expect(fromDashboard.status).toBe(202);
    expect(queued).toEqual(['ns/a']);
  });

  it('refuses suspend and resume without a configured token, from the dashboard and the status API', async () => {
    const url = await start({ loopback: true });
    for (const path of [
      '/ui/runtime/ns/a/suspend',
      '/ui/runtime/ns/a/resume',
      '/api/v1/atomversions/ns/a/suspend',
      '/api/v1/atomversions/ns/a/resume',
    ]) {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'HX-Request': 'true' } });
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toContain('read-only');
    }
    expect(queued).toEqual([]);
  });

  it('with the token, suspends and resumes from the dashboard and the status API', async () => {
    const url = await start({ loopback: true, token: TOKEN });
    const anonymous = await fetch(`${url}/api/v1/atomversions/ns/a/suspend`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const api = await fetch(`${url}/api/v1/atomversions/ns/a/suspend`, { method: 'POST', headers: bearer });
    expect(api.status).toBe(200);
    const ui = await fetch(`${url}/ui/runtime/ns/a/resume`, {
      method: 'POST',
      headers: { ...bearer, 'HX-Request': 'true' },
    });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('resumed ns/a');
    expect(queued).toEqual(['suspend ns/a by api', 'resume ns/a']);
  });

  it('answers a malformed path with 400, not a stack trace', async () => {
    const url = await start({ loopback: true });
    const response = await fetch(`${url}/ui/runtime/%E0%A4%A/x`);
    expect(response.status).toBe(400);
  });
});

describe('isLoopbackAddress', () => {
  it('counts 127.0.0.0/8, ::1 and IPv4-mapped loopback, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', 'localhost', '[::1]'])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', '128.0.0.1'])
      expect(isLoopbackAddress(address), address).toBe(false);
  });
});
