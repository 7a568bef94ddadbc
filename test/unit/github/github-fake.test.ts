import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextPageUrl } from '../../../controller/github/link.js';
import { FakeGithubApi } from '../../fakes/github-api.js';

const TOKEN = 'fake-token';
let fake: FakeGithubApi;

beforeEach(async () => {
  fake = await FakeGithubApi.start({ token: TOKEN });
});

afterEach(async () => {
  await fake.close();
});

function get(path: string, token = TOKEN): Promise<Response> {
  return fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

describe('the fake GitHub API', () => {
  it('pages comments like GitHub: at most 100 a page, with next and last links', async () => {
    fake.seedComments(
      'o/r',
      1,
      Array.from({ length: 250 }, (_, i) => `c${i}`),
    );
    const first = await get('/repos/o/r/issues/1/comments?per_page=500');
    expect(((await first.json()) as unknown[]).length).toBe(100);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain(`<${fake.url}/repos/o/r/issues/1/comments?per_page=500&page=2>; rel="next"`);
    expect(link).toContain('page=3>; rel="last"');
    const last = await get('/repos/o/r/issues/1/comments?per_page=100&page=3');
    expect(((await last.json()) as unknown[]).length).toBe(50);
    expect(nextPageUrl(last.headers.get('link'))).toBeUndefined();
  });

  it('answers 401 without the right token', async () => {
    const response = await get('/repos/o/r/issues/1/comments', 'wrong');
    expect(response.status).toBe(401);
  });

  it('answers rate-limited with the headers GitHub sends, for the next N requests only', async () => {
    fake.failNext(1, { kind: 'rateLimited', resetEpochSeconds: 1_800_000_000, retryAfterSeconds: 5 });
    const limited = await get('/repos/o/r/issues/1/comments');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe('1800000000');
    expect(limited.headers.get('retry-after')).toBe('5');
    expect((await get('/repos/o/r/issues/1/comments')).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200]);
  });
});

describe('nextPageUrl', () => {
  it('finds rel="next" among other relations, quoted or not', () => {
    expect(nextPageUrl('<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel="next"')).toBe(
      'https://x/a?page=3',
    );
    expect(nextPageUrl('<https://x/a?page=2>; rel=next')).toBe('https://x/a?page=2');
    expect(nextPageUrl('<https://x/a?page=9>; rel="last"')).toBeUndefined();
    expect(nextPageUrl(null)).toBeUndefined();
  });
});
