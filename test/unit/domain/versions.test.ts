import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../controller/domain/duration.js';
import { compareVersions, isAtLeast } from '../../../controller/domain/versions.js';

describe('compareVersions', () => {
  it('orders versions by number, not by text', () => {
    expect(compareVersions('26.9.0', '26.10.0')).toBe(-1);
    expect(compareVersions('26.12.0', '26.11.2')).toBe(1);
    expect(compareVersions('26.11.0', '26.11.0')).toBe(0);
  });

  it('treats a missing segment as zero', () => {
    expect(compareVersions('26.11', '26.11.0')).toBe(0);
    expect(compareVersions('26.11.0.1', '26.11.0')).toBe(1);
  });

  it('says whether a runtime version meets a required minimum', () => {
    expect(isAtLeast('26.12.0', '26.12.0')).toBe(true);
    expect(isAtLeast('26.11.0', '26.12.0')).toBe(false);
    expect(isAtLeast('27.1.0', '26.12.0')).toBe(true);
  });
});

describe('parseDuration', () => {
  it('reads Go-style durations used in maintenance windows', () => {
    expect(parseDuration('4h')).toBe(4 * 3600_000);
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('90s')).toBe(90_000);
  });

  it('reads the milliseconds CLI flags take (--poll-interval 500ms), alone or after seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1s500ms')).toBe(1500);
    expect(parseDuration('500ms1s')).toBeUndefined();
  });

  it('rejects text that is not a duration', () => {
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('4 hours')).toBeUndefined();
    expect(parseDuration('30m4h')).toBeUndefined();
  });
});
