import { describe, expect, it } from 'vitest';
import { rateLimitWait } from '../../../controller/github/rate-limit.js';

const NOW = Date.parse('2026-11-23T08:00:00Z');

describe('rateLimitWait', () => {
  it('reads retry-after in seconds or as an HTTP date', () => {
    expect(rateLimitWait(429, new Headers({ 'retry-after': '12' }), '', NOW)?.waitMs).toBe(12_000);
    const date = new Date(NOW + 5_000).toUTCString();
    expect(rateLimitWait(403, new Headers({ 'retry-after': date }), '', NOW)?.waitMs).toBe(5_000);
  });

  it('waits until x-ratelimit-reset plus a second when the quota is used up', () => {
    const headers = new Headers({
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(NOW / 1000 + 90),
    });
    expect(rateLimitWait(403, headers, 'API rate limit exceeded', NOW)).toEqual({
      waitMs: 91_000,
      resetAt: new Date(NOW + 90_000),
    });
  });

  it('waits a minute on a secondary limit that names no time', () => {
    expect(rateLimitWait(429, new Headers(), '', NOW)?.waitMs).toBe(60_000);
    expect(rateLimitWait(403, new Headers(), 'You have exceeded a secondary rate limit', NOW)?.waitMs).toBe(
      60_000,
    );
  });

  it('does not treat a plain permission error as a rate limit', () => {
    expect(
      rateLimitWait(403, new Headers({ 'x-ratelimit-remaining': '4999' }), 'Forbidden', NOW),
    ).toBeUndefined();
    expect(rateLimitWait(500, new Headers({ 'retry-after': '1' }), '', NOW)).toBeUndefined();
  });
});
