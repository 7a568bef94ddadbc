import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GithubApiError,
  GithubReporter,
  type GithubReporterOptions,
} from '../../../controller/github/pr-comments.js';
import { renderMarkdown, splitForGithub } from '../../../controller/report/markdown.js';
import { FakeGithubApi } from '../../fakes/github-api.js';
import { bigPlan } from '../report/big-plan.js';
import { demoPlan, manualPlan } from '../report/demo-plans.js';

const TOKEN = 'ghs_fakeToken0123456789abcdef';
const REPO = 'acme/integration-pins';
const PR = 42;
const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';
const NOW = Date.parse('2026-11-23T08:00:00Z');

let fake: FakeGithubApi;
let waits: number[];

beforeEach(async () => {
  fake = await FakeGithubApi.start({ token: TOKEN });
  waits = [];
});

afterEach(async () => {
  await fake.close();
});

function reporter(options: Partial<GithubReporterOptions> = {}): GithubReporter {
  return new GithubReporter({
    apiUrl: fake.url,
    token: TOKEN,
    repo: REPO,
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
}

function ourComments(): string[] {
  return fake
    .comments(REPO, PR)
    .map((comment) => comment.body)
    .filter((body) => body.startsWith('<!-- atomsync:plan'));
}

async function rejection(promise: Promise<unknown>): Promise<GithubApiError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(GithubApiError);
  return error as GithubApiError;
}

describe('GithubReporter.upsertComments', () => {
  it('creates the plan comment on the first run, with the API headers GitHub expects', async () => {
    const report = renderMarkdown(demoPlan);
    const result = await reporter().upsertComments(PR, [report]);
    expect(result.comments).toEqual([{ part: 1, id: expect.any(Number), action: 'created' }]);
    expect(ourComments()).toEqual([report]);
    const post = fake.served('POST')[0];
    expect(post?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post?.headers.accept).toBe('application/vnd.github+json');
    expect(post?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(post?.headers['user-agent']).toBe('atomsync');
  });

  it('updates the same comment in place on the next run instead of adding another', async () => {
    const first = await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    const second = await reporter().upsertComments(PR, [renderMarkdown(manualPlan)]);
    expect(second.comments).toEqual([{ part: 1, id: first.comments[0]?.id, action: 'updated' }]);
    expect(ourComments()).toEqual([renderMarkdown(manualPlan)]);
    expect(fake.served('POST')).toHaveLength(1);
    expect(fake.served('PATCH')).toHaveLength(1);
  });

  it('leaves an identical comment alone', async () => {
    await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    const again = await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    expect(again.comments[0]?.action).toBe('unchanged');
    expect(fake.served('PATCH')).toHaveLength(0);
  });

  it('pages through more than 100 comments to find its own', async () => {
    fake.seedComments(
      REPO,
      PR,
      Array.from({ length: 150 }, (_, i) => `review note ${i}`),
      'reviewer',
    );
    const [ours] = fake.seedComments(REPO, PR, ['<!-- atomsync:plan -->\nold plan'], 'atomsync[bot]');
    fake.seedComments(REPO, PR, ['LGTM'], 'reviewer');
    const result = await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    expect(result.comments).toEqual([{ part: 1, id: ours?.id, action: 'updated' }]);
    expect(fake.served('POST')).toHaveLength(0);
    const pages = fake.served('GET').map((request) => request.query);
    expect(pages).toEqual([{ per_page: '100' }, { per_page: '100', page: '2' }]);
    expect(fake.comments(REPO, PR)).toHaveLength(152);
  });

  it('adds parts when the report grows and deletes surplus parts when it shrinks', async () => {
    const big = splitForGithub(renderMarkdown(bigPlan(700)));
    expect(big.length).toBeGreaterThan(2);
    await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    const grown = await reporter().upsertComments(PR, big);
    expect(grown.comments.map((c) => c.action)).toEqual(['updated', ...big.slice(1).map(() => 'created')]);
    expect(ourComments()).toEqual(big);

    const small = [renderMarkdown(demoPlan)];
    const shrunk = await reporter().upsertComments(PR, small);
    expect(shrunk.comments).toEqual([{ part: 1, id: grown.comments[0]?.id, action: 'updated' }]);
    expect(shrunk.deleted).toEqual(grown.comments.slice(1).map((c) => c.id));
    expect(ourComments()).toEqual(small);
  });

  it("deletes duplicate copies of a part and leaves other people's comments alone", async () => {
    fake.seedComments(REPO, PR, [
      '<!-- atomsync:plan -->\nfirst',
      'please check prod',
      '<!-- atomsync:plan -->\ndupe',
    ]);
    const result = await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    expect(result.deleted).toHaveLength(1);
    expect(fake.comments(REPO, PR).map((c) => c.body)).toEqual([
      renderMarkdown(demoPlan),
      'please check prod',
    ]);
  });

  it('removes its comments when given no parts', async () => {
    fake.seedComments(REPO, PR, [
      '<!-- atomsync:plan part 1/2 -->\na',
      'keep me',
      '<!-- atomsync:plan part 2/2 -->\nb',
    ]);
    const result = await reporter().upsertComments(PR, []);
    expect(result).toEqual({ comments: [], deleted: expect.any(Array) });
    expect(fake.comments(REPO, PR).map((c) => c.body)).toEqual(['keep me']);
  });

  it('refuses parts that do not carry their marker, since a later run could not find them', async () => {
    const error = await rejection(reporter().upsertComments(PR, ['plan without marker']));
    expect(error.code).toBe('GITHUB_INVALID_ARGUMENT');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('GithubReporter.setStatus', () => {
  it('sets the atomsync/plan commit status', async () => {
    await reporter().setStatus(SHA, 'failure', 'Plan: 5 requests (7 pins to change), 13 blocked');
    expect(fake.statuses(REPO, SHA)).toEqual([
      expect.objectContaining({
        state: 'failure',
        context: 'atomsync/plan',
        description: 'Plan: 5 requests (7 pins to change), 13 blocked',
      }),
    ]);
  });

  it('cuts the description to one line of at most 140 characters and takes another context', async () => {
    await reporter().setStatus(SHA, 'success', `${'word '.repeat(50)}\nsecond line`, 'atomsync/drift');
    const [status] = fake.statuses(REPO, SHA);
    expect(status?.context).toBe('atomsync/drift');
    expect(status?.description).toHaveLength(140);
    expect(status?.description).not.toContain('\n');
    expect(status?.description?.endsWith('…')).toBe(true);
  });

  it('refuses something that is not a commit SHA', async () => {
    const error = await rejection(reporter().setStatus('main', 'success', 'ok'));
    expect(error.code).toBe('GITHUB_INVALID_ARGUMENT');
  });
});

describe('GitHub errors', () => {
  it('says which permission the token lacks when GitHub answers 403', async () => {
    fake.failNext(1, { kind: 'forbidden' });
    const comments = await rejection(reporter().upsertComments(PR, [renderMarkdown(demoPlan)]));
    expect(comments.code).toBe('GITHUB_FORBIDDEN');
    expect(comments.status).toBe(403);
    expect(comments.message).toContain('issues:read');

    fake.failNext(1, { kind: 'forbidden' });
    const write = await rejection(reporter().setStatus(SHA, 'success', 'ok'));
    expect(write.message).toContain('the token lacks permission; it needs statuses:write');
    expect(write.message).toContain('Resource not accessible by integration');
  });

  it('asks for issues:write when it may read comments but not write them', async () => {
    await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    fake.failNext(1, { kind: 'forbidden' }, { method: 'PATCH' });
    const error = await rejection(reporter().upsertComments(PR, [renderMarkdown(manualPlan)]));
    expect(error.code).toBe('GITHUB_FORBIDDEN');
    expect(error.message).toContain(
      `to update comment ${fake.comments(REPO, PR)[0]?.id} on pull request #42`,
    );
    expect(error.message).toContain('it needs issues:write (or pull-requests:write)');
  });

  it('says the token is invalid on 401 and never repeats the token', async () => {
    const error = await rejection(
      reporter({ token: 'ghp_wrongToken999' }).upsertComments(PR, [renderMarkdown(demoPlan)]),
    );
    expect(error.code).toBe('GITHUB_UNAUTHORIZED');
    expect(error.message).toContain('the token is invalid or expired');
    expect(error.message).not.toContain('ghp_wrongToken999');
  });

  it('keeps the token out of messages even when GitHub echoes it', async () => {
    fake.failNext(1, { kind: 'forbidden', message: `token ${TOKEN} may not do this` });
    const error = await rejection(reporter().setStatus(SHA, 'success', 'ok'));
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('token *** may not do this');
  });

  it('waits until the rate limit resets (per x-ratelimit-reset) and then succeeds', async () => {
    fake.failNext(1, { kind: 'rateLimited', resetEpochSeconds: NOW / 1000 + 30 });
    await reporter().setStatus(SHA, 'pending', 'planning');
    expect(waits).toEqual([31_000]);
    expect(fake.statuses(REPO, SHA)).toHaveLength(1);
  });

  it('waits as long as retry-after says on a secondary rate limit (429) and then succeeds', async () => {
    fake.failNext(2, { kind: 'rateLimited', status: 429, retryAfterSeconds: 7 });
    const result = await reporter().upsertComments(PR, [renderMarkdown(demoPlan)]);
    expect(waits).toEqual([7_000, 7_000]);
    expect(result.comments[0]?.action).toBe('created');
  });

  it('gives up with a clear error when the reset is further away than it will wait', async () => {
    fake.failNext(1, { kind: 'rateLimited', resetEpochSeconds: NOW / 1000 + 3_600 });
    const error = await rejection(reporter().setStatus(SHA, 'pending', 'planning'));
    expect(waits).toEqual([]);
    expect(error.code).toBe('GITHUB_RATE_LIMITED');
    expect(error.message).toContain('It resets at 2026-11-23T09:00:00.000Z');
    expect(error.message).toContain('longer than the 60 s atomsync waits');
  });

  it('gives up after a bounded number of waits when GitHub keeps rate-limiting', async () => {
    fake.failNext(10, { kind: 'rateLimited', status: 429, retryAfterSeconds: 1 });
    const error = await rejection(reporter({ maxRateLimitRetries: 2 }).setStatus(SHA, 'pending', 'planning'));
    expect(waits).toEqual([1_000, 1_000]);
    expect(error.code).toBe('GITHUB_RATE_LIMITED');
    expect(error.message).toContain('still rate-limited the token after 2 waits');
  });

  it('says GitHub is unreachable when nothing listens at the API URL', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(
      reporter({ apiUrl: `http://127.0.0.1:${port}` }).setStatus(SHA, 'success', 'ok'),
    );
    expect(error.code).toBe('GITHUB_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('does not follow a next-page link to another host, so the token is not sent there', async () => {
    fake.seedComments(
      REPO,
      PR,
      Array.from({ length: 120 }, (_, i) => `note ${i}`),
    );
    const calls: string[] = [];
    const redirecting: typeof fetch = async (input, init) => {
      calls.push(String(input));
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      const link = headers.get('link');
      if (link) headers.set('link', link.replaceAll(fake.url, 'http://elsewhere.example'));
      return new Response(await response.text(), { status: response.status, headers });
    };
    const error = await rejection(
      reporter({ fetchImpl: redirecting }).upsertComments(PR, [renderMarkdown(demoPlan)]),
    );
    expect(error.code).toBe('GITHUB_BAD_RESPONSE');
    expect(calls.every((url) => url.startsWith(fake.url))).toBe(true);
  });
});
