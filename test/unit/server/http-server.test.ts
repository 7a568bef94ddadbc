import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Readiness } from '../../../controller/reconciler/reconcile-loop.js';
import { createLogger } from '../../../controller/log/logger.js';
import { ControllerMetrics } from '../../../controller/reconciler/metrics.js';
import type { AtomVersionStatus } from '../../../controller/domain/status.js';
import {
  startHttpServer,
  type ControllerApi,
  type RunningHttpServer,
} from '../../../controller/server/http-server.js';
import { githubSignature } from '../../../controller/server/webhook-auth.js';

const SECRET = 'http-test-webhook-secret';

function status(key: string): AtomVersionStatus {
  return {
    key,
    observedGeneration: 'abc',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'InSync',
        message: 'ok',
        lastTransitionTime: '2026-11-23T08:00:00.000Z',
      },
    ],
    pins: [
      {
        kind: 'runtime',
        name: 'Atom',
        wanted: '26.11.0',
        outcome: 'InSync',
        message: 'runs the pinned version',
      },
    ],
    history: [],
    runtimeName: 'Prod West Atom',
    synced: '1/1',
  };
}

class FakeApi implements ControllerApi {
  ready: Readiness = { ready: true, checks: [{ name: 'sources', ok: true, message: 'synced' }] };
  triggered = 0;
  reconciles: string[] = [];
  readiness(): Readiness {
    return this.ready;
  }
  statuses(): AtomVersionStatus[] {
    return [status('integration/prod-west-atom')];
  }
  status(key: string): AtomVersionStatus | undefined {
    return key === 'integration/prod-west-atom' ? status(key) : undefined;
  }
  sourceStates() {
    return [{ name: 'git:repo#main', revision: 'deadbeef', problems: 0, synced: true, hasContent: true }];
  }
  requestReconcile(namespace: string, name: string): boolean {
    if (`${namespace}/${name}` !== 'integration/prod-west-atom') return false;
    this.reconciles.push(`${namespace}/${name}`);
    return true;
  }
  triggerGitSources(): number {
    this.triggered += 1;
    return 1;
  }
}

describe('controller HTTP server', () => {
  let api: FakeApi;
  let metrics: ControllerMetrics;
  let server: RunningHttpServer;
  let secret: string | undefined;

  beforeEach(async () => {
    api = new FakeApi();
    metrics = new ControllerMetrics();
    secret = SECRET;
    server = await startHttpServer({ listen: '127.0.0.1:0', api, metrics, webhookSecret: () => secret });
  });
  afterEach(async () => {
    await server.close();
  });

  const get = (path: string) => fetch(`${server.url}${path}`);
  const post = (path: string, body = '', headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', body, headers });

  it('answers /healthz with 200', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('answers /readyz with 200 when ready and 503 with the failing check when not', async () => {
    expect((await get('/readyz')).status).toBe(200);
    api.ready = {
      ready: false,
      checks: [{ name: 'platform', ok: false, message: 'no platform call has been answered yet' }],
    };
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, checks: [{ name: 'platform', ok: false }] });
  });

  it('serves the status list with namespace, name and the sources', async () => {
    const res = await get('/api/v1/atomversions');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      kind: 'AtomVersionStatusList',
      sources: [{ name: 'git:repo#main', revision: 'deadbeef' }],
      items: [
        { namespace: 'integration', name: 'prod-west-atom', runtimeName: 'Prod West Atom', synced: '1/1' },
      ],
    });
  });

  it('serves one status and 404 for an unknown AtomVersion', async () => {
    expect((await get('/api/v1/atomversions/integration/prod-west-atom')).status).toBe(200);
    expect((await get('/api/v1/atomversions/integration/nope')).status).toBe(404);
  });

  it('queues a manual reconcile for a known AtomVersion and answers 404 for an unknown one', async () => {
    const known = await post('/api/v1/atomversions/integration/prod-west-atom/reconcile');
    expect(known.status).toBe(202);
    const unknown = await post('/api/v1/atomversions/integration/missing/reconcile');
    expect(unknown.status).toBe(404);
    expect(api.reconciles).toEqual(['integration/prod-west-atom']);
  });

  it('triggers the git sources for a correctly signed GitHub push', async () => {
    const body = '{"ref":"refs/heads/main"}';
    const res = await post('/hooks/git', body, {
      'X-Hub-Signature-256': githubSignature(body, SECRET),
      'X-GitHub-Event': 'push',
    });
    expect(res.status).toBe(202);
    expect(api.triggered).toBe(1);
  });

  it('answers 401 and triggers nothing for a bad, missing or unconfigured signature', async () => {
    const body = '{"ref":"refs/heads/main"}';
    expect(
      (await post('/hooks/git', body, { 'X-Hub-Signature-256': githubSignature(body, 'wrong') })).status,
    ).toBe(401);
    expect((await post('/hooks/git', body)).status).toBe(401);
    expect((await post('/hooks/git', body, { 'X-Gitlab-Token': 'wrong' })).status).toBe(401);
    secret = undefined;
    expect((await post('/hooks/git', body, { 'X-Gitlab-Token': SECRET })).status).toBe(401);
    expect(api.triggered).toBe(0);
  });

  it('accepts a GitLab push with the right token', async () => {
    const res = await post('/hooks/git', '{}', { 'X-Gitlab-Token': SECRET });
    expect(res.status).toBe(202);
    expect(api.triggered).toBe(1);
  });

  it('refuses webhook bodies over 1 MiB with 413', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const res = await post('/hooks/git', big, { 'X-Hub-Signature-256': githubSignature(big, SECRET) });
    expect(res.status).toBe(413);
    expect(api.triggered).toBe(0);
  });

  it('serves Prometheus metrics from its own registry', async () => {
    metrics.recordReconcile('InSync', 12);
    metrics.recordPlatformRequest({
      accountId: 'acme-prod-D4E5F6',
      object: 'Atom',
      verb: 'QUERY',
      method: 'POST',
      status: 503,
      outcome: 'http-error',
      attempt: 1,
      willRetry: true,
      durationMs: 3,
    });
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('atomsync_reconcile_total{result="InSync"} 1');
    expect(text).toContain('atomsync_platform_requests_total{object="Atom",verb="QUERY",code="503"} 1');
    expect(text).toContain('atomsync_platform_rate_limited_total{account="acme-prod-D4E5F6"} 1');
    expect(text).toContain('atomsync_reconcile_duration_seconds_bucket');
    expect(text).toContain('atomsync_workqueue_depth 0');
  });

  it('keeps the metrics of two controllers in one process apart', async () => {
    const other = new ControllerMetrics();
    other.recordReconcile('Failed', 1);
    expect(await metrics.render()).not.toContain('result="Failed"');
    expect(await other.render()).toContain('atomsync_reconcile_total{result="Failed"} 1');
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await get('/nope')).status).toBe(404);
    expect((await post('/healthz')).status).toBe(405);
    expect((await get('/hooks/git')).status).toBe(405);
  });

  it('Why 5: a malformed percent-escape in a status path is a 400 naming the segment, not a 500 with a stack trace', async () => {
    const lines: string[] = [];
    const { logger } = createLogger({ format: 'json', destination: { write: (line) => lines.push(line) } });
    const logged = await startHttpServer({ listen: '127.0.0.1:0', api, logger });
    try {
      const res = await fetch(`${logged.url}/api/v1/atomversions/%E0%A4%A/x`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('malformed percent-encoding');
      expect(lines.join('')).not.toMatch(/stack|URIError/);
    } finally {
      await logged.close();
    }
  });

  it('Why 5: manual reconciles are limited per AtomVersion: 380 POSTs queue one reconcile, the rest get 429 with Retry-After', async () => {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const limited = await startHttpServer({
      listen: '127.0.0.1:0',
      api,
      now: () => new Date(now),
      reconcileIntervalMs: 5_000,
    });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 380; i++) {
        const res = await fetch(`${limited.url}/api/v1/atomversions/integration/prod-west-atom/reconcile`, {
          method: 'POST',
        });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
        await res.arrayBuffer();
      }
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 429)).toHaveLength(379);
      expect(retryAfter).toBe('5');
      expect(api.reconciles).toEqual(['integration/prod-west-atom']);
      now += 5_000;
      const later = await fetch(`${limited.url}/api/v1/atomversions/integration/prod-west-atom/reconcile`, {
        method: 'POST',
      });
      expect(later.status).toBe(202);
      expect(api.reconciles).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});
