import { describe, expect, it } from 'vitest';
import { PerKeyBackoff, backoffCeiling, jitteredBackoff } from '../../../controller/util/backoff.js';

describe('backoff', () => {
  it('doubles the ceiling from one second per failure', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffCeiling(attempt))).toEqual([
      1000, 2000, 4000, 8000, 16000,
    ]);
  });

  it('never waits longer than ten minutes, however often a key failed', () => {
    expect(backoffCeiling(9)).toBe(512_000);
    expect(backoffCeiling(10)).toBe(600_000);
    expect(backoffCeiling(5000)).toBe(600_000);
  });

  it('spreads retries over the whole range from zero up to the ceiling (full jitter)', () => {
    expect(jitteredBackoff(3, { random: () => 0 })).toBe(0);
    expect(jitteredBackoff(3, { random: () => 0.5 })).toBe(4000);
    expect(jitteredBackoff(3, { random: () => 0.999999 })).toBeLessThan(8000);
    expect(jitteredBackoff(3, { random: () => 0.999999 })).toBeGreaterThan(7990);
  });

  it('stays within bounds even when the random source misbehaves', () => {
    expect(jitteredBackoff(0, { random: () => 1 })).toBeLessThan(1000);
    expect(jitteredBackoff(0, { random: () => -3 })).toBe(0);
    expect(jitteredBackoff(0, { random: () => Number.NaN })).toBe(0);
  });

  it('keeps every random draw inside [0, ceiling) for many attempts', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let attempt = 0; attempt < 30; attempt++) {
      for (let draw = 0; draw < 50; draw++) {
        const delay = jitteredBackoff(attempt, { random });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(backoffCeiling(attempt));
      }
    }
  });

  it('counts failures per key and starts over after forget', () => {
    const backoff = new PerKeyBackoff<string>({ random: () => 0.999999, baseMs: 100, capMs: 1000 });
    const delays = [1, 2, 3, 4, 5].map(() => backoff.next('a'));
    expect(delays.map((delay) => Math.ceil(delay / 100) * 100)).toEqual([100, 200, 400, 800, 1000]);
    expect(backoff.next('b')).toBeLessThan(100);
    expect(backoff.attempts('a')).toBe(5);
    backoff.forget('a');
    expect(backoff.attempts('a')).toBe(0);
    expect(backoff.next('a')).toBeLessThan(100);
  });
});
