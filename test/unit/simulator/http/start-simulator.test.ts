import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseListen, startSimulator, type RunningSimulator } from '../../../../simulator/start.js';
import { validateWire } from '../../../support/openapi-validator.js';
import { basicAuth, call } from './sim-http.js';

const DEMO_SCENARIO = fileURLToPath(new URL('../../../../examples/sim/demo.yaml', import.meta.url));
const ADMIN = basicAuth('BOOMI_TOKEN.admin@demo.atomsync', 'demo-admin-token');
const VIEWER = basicAuth('BOOMI_TOKEN.viewer@demo.atomsync', 'demo-viewer-token');

describe('startSimulator with the demo scenario', () => {
  let dir: string;
  let running: RunningSimulator[];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'atomsync-sim-'));
    running = [];
  });
  afterEach(async () => {
    await Promise.all(running.map((r) => r.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<RunningSimulator> {
    const sim = await startSimulator({
      scenarioFile: DEMO_SCENARIO,
      stateFile: path.join(dir, 'state.json'),
      listen: '127.0.0.1:0',
      clock: 'manual',
      rateLimitPerSecond: 0,
    });
    running.push(sim);
    return sim;
  }

  it('serves the demo runtimes over HTTP in the shape Boomi documents', async () => {
    const sim = await start();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await call(sim.url, 'POST', '/api/rest/v1/acme-prod-D4E5F6/Atom/query', {
      authorization: ADMIN,
      json: {
        QueryFilter: { expression: { property: 'name', operator: 'EQUALS', argument: ['Prod West Atom'] } },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      numberOfResults: 1,
      result: [{ name: 'Prod West Atom', type: 'ATOM' }],
    });
    expect(validateWire('AtomQueryResponse', res.body)).toBeNull();
  });

  it('refuses a write by the viewer credential with 403', async () => {
    const sim = await start();
    const query = await call(sim.url, 'POST', '/api/rest/v1/acme-eu-J1K2L3/Atom/query', {
      authorization: VIEWER,
    });
    const atomId = query.body.result[0].id as string;
    const res = await call(sim.url, 'POST', `/api/rest/v1/acme-eu-J1K2L3/Atom/${atomId}`, {
      authorization: VIEWER,
      json: { name: 'renamed' },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('ATOM_MANAGEMENT');
  });

  it('lets the admin read /_sim/state and refuses the viewer', async () => {
    const sim = await start();
    const admin = await call(sim.url, 'GET', '/_sim/state', { authorization: ADMIN });
    expect(admin.status).toBe(200);
    expect(admin.raw).not.toContain('demo-admin-token');
    expect((await call(sim.url, 'GET', '/_sim/state', { authorization: VIEWER })).status).toBe(403);
  });

  it('serves a managed account through the publisher partner form', async () => {
    const sim = await start();
    const res = await call(
      sim.url,
      'POST',
      '/partner/api/rest/v1/acme-publisher-A1B2C3/Environment/query?overrideAccount=acme-prod-D4E5F6',
      { authorization: ADMIN },
    );
    expect(res.status).toBe(200);
    const names = (res.body.result as { name: string }[]).map((e) => e.name).sort();
    expect(names).toEqual(['Production', 'Staging']);
  });

  it('continues from its state file after a restart', async () => {
    const first = await start();
    await call(first.url, 'POST', '/_sim/clock', { authorization: ADMIN, json: { advance: '1h' } });
    await first.close();
    running = [];
    const second = await start();
    const clock = await call(second.url, 'GET', '/_sim/clock', { authorization: ADMIN });
    expect(clock.body).toEqual({ now: '2026-11-23T09:00:00.000Z' });
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:9090', { host: '127.0.0.1', port: 9090 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    [':7000', { host: '127.0.0.1', port: 7000 }],
  ])('reads %s', (listen, expected) => {
    expect(parseListen(listen)).toEqual(expected);
  });

  it.each([['localhost'], ['host:99999'], ['host:port']])('refuses %s', (listen) => {
    expect(() => parseListen(listen)).toThrow(/HOST:PORT/);
  });
});
