// The notifier against receivers over real HTTP on loopback: the local sink (webhook + Slack), a
// receiver that fails for a while, and the fake GitHub API for issues.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notifier, NotifyConfigError } from '../../../controller/notify/notifier.js';
import { startNotifySink, type NotifySink } from '../../../controller/notify/sink.js';
import { FakeGithubApi } from '../../fakes/github-api.js';
import { inSync, manualPin, notifyConfig, planOf } from './notify-fixtures.js';

let stateDir: string;
let sink: NotifySink;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'atomsync-notify-'));
  sink = await startNotifySink({ secret: 'hook-secret' });
  closers.push(() => sink.close());
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await rm(stateDir, { recursive: true, force: true });
});

const env = { HOOK_SECRET: 'hook-secret', SLACK_URL: '' };

function sinkReceivers(secretEnv = 'HOOK_SECRET') {
  return notifyConfig([
    { kind: 'webhook', name: 'ops', url: `${sink.url}/webhook`, secretEnv, events: ['Manual', 'Applied'] },
    { kind: 'slack', name: 'team', url: `${sink.url}/slack`, events: ['Manual'] },
  ]);
}

async function open(config = sinkReceivers(), extra: Record<string, string> = {}, problems: string[] = []) {
  const notifier = await Notifier.open(config, stateDir, {
    env: { ...env, ...extra },
    onProblem: (message) => problems.push(message),
    baseBackoffMs: 20,
    maxBackoffMs: 50,
  });
  closers.push(() => notifier.close());
  return notifier;
}

const soon = () => Date.now() + 5_000;

describe('notify: webhook and Slack receivers', () => {
  it('delivers each manual task, signed, to the webhook and as Block Kit to Slack', async () => {
    const notifier = await open();
    await notifier.planned(['default/staging'], planOf([manualPin()]));
    expect(await notifier.flush(soon())).toEqual([]);
    const webhook = sink.messages.find((m) => m.via === 'webhook');
    const slack = sink.messages.find((m) => m.via === 'slack');
    expect(webhook).toMatchObject({ verified: true, event: 'Manual', change: 'opened' });
    expect(webhook?.steps).toContain('Go to Manage > Atom Management.');
    expect(slack?.title).toBe('Manual: Staging Atom: move Salesforce from 24.9.0 to 24.10.1 in the UI');
    const blocks = (slack?.body as { blocks: { type: string }[] }).blocks.map((b) => b.type);
    expect(blocks).toEqual(['header', 'section', 'section', 'context']);
    expect(slack?.steps.join('\n')).toContain('1. Go to Manage &gt; Atom Management.');
  });

  it('sends one message per change of state, also across a restart (state kept in stateDir)', async () => {
    const first = await open();
    await first.planned(['default/staging'], planOf([manualPin()]));
    await first.planned(['default/staging'], planOf([manualPin()]));
    await first.flush(soon());
    await first.close();
    const second = await open();
    await second.planned(['default/staging'], planOf([manualPin()]));
    await second.flush(soon());
    expect(sink.messages.filter((m) => m.via === 'webhook')).toHaveLength(1);
    const saved = JSON.parse(await readFile(join(stateDir, 'notify.json'), 'utf8')) as {
      items: unknown[];
      outbox: unknown[];
    };
    expect(saved.items).toHaveLength(1);
    expect(saved.outbox).toEqual([]);
    await second.planned(['default/staging'], planOf([inSync(manualPin())]));
    await second.flush(soon());
    const last = sink.messages.filter((m) => m.via === 'webhook').at(-1);
    expect(last).toMatchObject({ change: 'resolved', text: 'Verified: Salesforce now runs 24.10.1.' });
  });

  it('gives receivers only the events they asked for', async () => {
    const notifier = await open();
    await notifier.planned(
      ['default/staging'],
      planOf([manualPin({ outcome: 'Blocked', reason: 'OutsideWindow' })]),
    );
    const completed = {
      key: 'default/staging',
      accountId: 'a',
      runtimeId: 'r',
      runtimeName: 'Staging Atom',
      components: ['Atom'],
      requestId: 'q1',
      status: 'COMPLETE',
    };
    await notifier.requestsEnded([completed]);
    await notifier.requestsEnded([completed]);
    await notifier.flush(soon());
    expect(sink.messages.map((m) => `${m.via} ${m.event ?? ''}`)).toEqual(['webhook Applied']);
  });

  it('drops a message the receiver refuses for good (bad signature: 401) and says so', async () => {
    const problems: string[] = [];
    const notifier = await open(sinkReceivers('WRONG_SECRET'), { WRONG_SECRET: 'not-the-secret' }, problems);
    await notifier.planned(['default/staging'], planOf([manualPin()]));
    expect(await notifier.flush(soon())).toEqual([]);
    expect(sink.messages.map((m) => m.via)).toEqual(['slack']);
    expect(problems.join('\n')).toMatch(
      /ops \(webhook\) did not take .* answered 401: bad signature; refused, not retried/,
    );
    expect(problems.join('\n')).not.toContain('not-the-secret');
  });

  it('fails closed when a receiver secret is missing from the environment', async () => {
    await expect(open(sinkReceivers('UNSET_SECRET'))).rejects.toThrow(NotifyConfigError);
    await expect(open(sinkReceivers('UNSET_SECRET'))).rejects.toThrow(
      'notify.receivers[0] (ops): environment variable UNSET_SECRET (secretEnv) is not set',
    );
  });
});

describe('notify: a receiver that is down', () => {
  it('never holds up planning, retries with backoff and delivers once the receiver is back', async () => {
    const flaky = await flakyReceiver(3, 503);
    const problems: string[] = [];
    const notifier = await open(
      notifyConfig([{ kind: 'webhook', name: 'flaky', url: flaky.url, events: ['Manual'] }]),
      {},
      problems,
    );
    await notifier.planned(['default/staging'], planOf([manualPin()]));
    expect(await notifier.flush(soon())).toEqual([]);
    expect(flaky.attempts()).toBe(4);
    expect(flaky.delivered()).toHaveLength(1);
    expect(problems.filter((p) => p.includes('answered 503'))).toHaveLength(3);
  });

  it('follows Retry-After on 429, and keeps what it could not deliver for the next start', async () => {
    const down = await flakyReceiver(Infinity, 429, '0');
    const config = notifyConfig([{ kind: 'webhook', name: 'down', url: down.url, events: ['Manual'] }], {
      maxAttempts: 1000,
    });
    const first = await open(config);
    await first.planned(['default/staging'], planOf([manualPin()]));
    const left = await first.flush(Date.now() + 300);
    expect(left).toHaveLength(1);
    expect(down.attempts()).toBeGreaterThan(2);
    await first.close();
    const up = await flakyReceiver(0, 200);
    const second = await open(
      notifyConfig([{ kind: 'webhook', name: 'down', url: up.url, events: ['Manual'] }]),
    );
    expect(await second.flush(soon())).toEqual([]);
    expect(up.delivered()).toHaveLength(1);
  });

  it('spaces deliveries to one receiver by its rate limit', async () => {
    const receiver = await flakyReceiver(0, 200);
    const notifier = await open(
      notifyConfig([{ kind: 'webhook', name: 'r', url: receiver.url, events: ['Manual'] }], {
        ratePerMinute: 600,
      }),
    );
    const pins = ['A', 'B', 'C', 'D'].map((name) => manualPin({ name }));
    await notifier.planned(['default/staging'], planOf(pins));
    await notifier.flush(soon());
    const times = receiver.times();
    expect(times).toHaveLength(4);
    // 600 per minute: one every 100 ms, so four deliveries span at least 300 ms (less the first's setup).
    expect((times[3] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(270);
  });
});

describe('notify: GitHub issues, one per runtime with manual work', () => {
  let github: FakeGithubApi;
  beforeEach(async () => {
    github = await FakeGithubApi.start({ token: 'gh-token' });
    closers.push(() => github.close());
  });

  const githubConfig = () =>
    notifyConfig([
      {
        kind: 'github',
        name: 'tasks',
        repository: 'acme/ops',
        tokenEnv: 'GH_TOKEN',
        apiUrl: github.url,
        labels: ['atomsync'],
      },
    ]);

  it('creates the issue, updates it when the plan changes, closes it with a comment once verified', async () => {
    const notifier = await open(githubConfig(), { GH_TOKEN: 'gh-token' });
    const connector = manualPin();
    const runtime = manualPin({ kind: 'runtime', name: 'Atom', current: '24.9.0', target: '24.10.0' });
    await notifier.planned(['default/staging'], planOf([connector]));
    await notifier.flush(soon());
    const [issue] = github.issues('acme/ops');
    expect(issue).toMatchObject({
      number: 1,
      state: 'open',
      title: 'atomsync: manual work on Staging Atom (acme-prod-D4E5F6)',
    });
    expect(issue?.body).toContain('1. Go to Manage > Atom Management.');

    await notifier.planned(['default/staging'], planOf([connector, runtime]));
    await notifier.flush(soon());
    expect(github.issues('acme/ops')).toHaveLength(1);
    expect(github.issues('acme/ops')[0]?.body).toContain(
      '### 2. Staging Atom: move Atom from 24.9.0 to 24.10.0',
    );

    await notifier.planned(['default/staging'], planOf([inSync(connector), runtime]));
    await notifier.flush(soon());
    expect(github.issues('acme/ops')[0]?.state).toBe('open');
    expect(github.comments('acme/ops', 1).map((c) => c.body)).toEqual([
      'Verified: Salesforce now runs 24.10.1.',
    ]);

    await notifier.planned(['default/staging'], planOf([inSync(connector), inSync(runtime)]));
    await notifier.flush(soon());
    expect(github.issues('acme/ops')[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.comments('acme/ops', 1).at(-1)?.body).toContain(
      'Every manual task on Staging Atom is verified; closing.',
    );
  });

  it('finds its open issue again by its marker when the state folder was lost', async () => {
    const first = await open(githubConfig(), { GH_TOKEN: 'gh-token' });
    await first.planned(['default/staging'], planOf([manualPin()]));
    await first.flush(soon());
    await first.close();
    await rm(join(stateDir, 'notify.json'));
    const second = await open(githubConfig(), { GH_TOKEN: 'gh-token' });
    await second.planned(['default/staging'], planOf([manualPin()]));
    await second.flush(soon());
    expect(github.issues('acme/ops')).toHaveLength(1);
    expect(github.served('PATCH')).toHaveLength(1);
  });

  it('retries when GitHub is rate limited and never shows the token', async () => {
    const problems: string[] = [];
    github.failNext(1, { kind: 'rateLimited', status: 429, retryAfterSeconds: 0 });
    const notifier = await open(githubConfig(), { GH_TOKEN: 'gh-token' }, problems);
    await notifier.planned(['default/staging'], planOf([manualPin()]));
    expect(await notifier.flush(soon())).toEqual([]);
    expect(github.issues('acme/ops')).toHaveLength(1);
    expect(problems.join('\n')).toContain('answered 429');
    expect(problems.join('\n')).not.toContain('gh-token');
  });
});

/** Answers `status` to the first `failures` requests, then 200; records every attempt. */
async function flakyReceiver(failures: number, status: number, retryAfter?: string) {
  const attempts: { at: number; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      attempts.push({ at: Date.now(), body });
      const failing = attempts.length <= failures;
      res.writeHead(failing ? status : 200, retryAfter && failing ? { 'retry-after': retryAfter } : {});
      res.end(failing ? 'busy' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  const ok = () => attempts.filter((_, index) => index >= failures);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    attempts: () => attempts.length,
    delivered: () => ok().map((a) => JSON.parse(a.body) as unknown),
    times: () => ok().map((a) => a.at),
  };
}
