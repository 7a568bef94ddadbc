import { describe, expect, it } from 'vitest';
import { WindowEvaluator } from '../../../controller/domain/windows.js';
import type { MaintenanceWindow } from '../../../controller/domain/types.js';

const saturdayNightBerlin: MaintenanceWindow = {
  kind: 'allow',
  schedule: '0 22 * * SAT',
  duration: '4h',
  timeZone: 'Europe/Berlin',
};

function verdictAt(instant: string, windows: MaintenanceWindow[]) {
  return new WindowEvaluator(new Date(instant)).verdict(windows);
}

describe('maintenance windows', () => {
  it('are open when no window is declared', () => {
    expect(verdictAt('2026-11-23T08:00:00Z', []).open).toBe(true);
  });

  it('open an allow window from its start until start + duration', () => {
    // Saturday 2026-11-28 22:00 in Berlin (CET, UTC+1) is 21:00Z; open until 01:00Z.
    expect(verdictAt('2026-11-28T20:59:59Z', [saturdayNightBerlin]).open).toBe(false);
    expect(verdictAt('2026-11-28T21:00:00Z', [saturdayNightBerlin]).open).toBe(true);
    expect(verdictAt('2026-11-29T00:59:59Z', [saturdayNightBerlin]).open).toBe(true);
    expect(verdictAt('2026-11-29T01:00:00Z', [saturdayNightBerlin]).open).toBe(false);
  });

  it('say when the next allow window opens while outside them', () => {
    const verdict = verdictAt('2026-11-23T08:00:00Z', [saturdayNightBerlin]);
    expect(verdict.open).toBe(false);
    expect(verdict.message).toContain('outside the allow windows "0 22 * * SAT" (Europe/Berlin)');
    expect(verdict.advice).toContain('2026-11-28T21:00:00Z');
  });

  it('follow Berlin local time across the end of daylight saving time (25 October 2026)', () => {
    // Before the change Saturday 22:00 CEST is 20:00Z; after it Saturday 22:00 CET is 21:00Z.
    expect(verdictAt('2026-10-24T20:30:00Z', [saturdayNightBerlin]).open).toBe(true);
    expect(verdictAt('2026-10-31T20:30:00Z', [saturdayNightBerlin]).open).toBe(false);
    expect(verdictAt('2026-10-31T21:30:00Z', [saturdayNightBerlin]).open).toBe(true);
  });

  it('measure the duration in elapsed time when the window spans the DST change', () => {
    // Opens 2026-10-24 22:00 CEST (20:00Z); the clocks go back at 01:00Z; 6 h later is 02:00Z (03:00 CET).
    const spanning: MaintenanceWindow = { ...saturdayNightBerlin, duration: '6h' };
    expect(verdictAt('2026-10-25T01:59:00Z', [spanning]).open).toBe(true);
    expect(verdictAt('2026-10-25T02:00:00Z', [spanning]).open).toBe(false);
  });

  it('follow Berlin local time across the start of daylight saving time (29 March 2026)', () => {
    expect(verdictAt('2026-03-28T21:30:00Z', [saturdayNightBerlin]).open).toBe(true);
    expect(verdictAt('2026-04-04T20:30:00Z', [saturdayNightBerlin]).open).toBe(true);
    expect(verdictAt('2026-04-04T19:30:00Z', [saturdayNightBerlin]).open).toBe(false);
  });

  it('use UTC when a window names no time zone', () => {
    const utc: MaintenanceWindow = { kind: 'allow', schedule: '0 22 * * SAT', duration: '1h' };
    expect(verdictAt('2026-11-28T22:30:00Z', [utc]).open).toBe(true);
    expect(verdictAt('2026-11-28T21:30:00Z', [utc]).open).toBe(false);
  });

  it('close inside a deny window even when an allow window is open, and say until when', () => {
    const freeze: MaintenanceWindow = {
      kind: 'deny',
      schedule: '0 0 * * *',
      duration: '6h',
      timeZone: 'UTC',
    };
    const always: MaintenanceWindow = { kind: 'allow', schedule: '0 * * * *', duration: '1h' };
    const inside = verdictAt('2026-11-23T03:00:00Z', [always, freeze]);
    expect(inside.open).toBe(false);
    expect(inside.message).toContain('inside the deny window "0 0 * * *" (UTC) until 2026-11-23T06:00:00Z');
    expect(verdictAt('2026-11-23T07:00:00Z', [always, freeze]).open).toBe(true);
  });

  it('with only deny windows, are open outside them', () => {
    const freeze: MaintenanceWindow = { kind: 'deny', schedule: '0 0 * * *', duration: '6h' };
    expect(verdictAt('2026-11-23T08:00:00Z', [freeze]).open).toBe(true);
  });

  it('report an invalid schedule, duration or time zone instead of opening', () => {
    const badCron = verdictAt('2026-11-23T08:00:00Z', [
      { kind: 'allow', schedule: 'every day', duration: '1h' },
    ]);
    expect(badCron.open).toBe(false);
    expect(badCron.message).toContain('"every day" is invalid');
    const badZone = verdictAt('2026-11-23T08:00:00Z', [
      { ...saturdayNightBerlin, timeZone: 'Europe/Atlantis' },
    ]);
    expect(badZone.open).toBe(false);
    expect(badZone.message).toContain('Europe/Atlantis');
    const badDuration = verdictAt('2026-11-23T08:00:00Z', [{ ...saturdayNightBerlin, duration: '0h' }]);
    expect(badDuration.message).toContain('duration "0h"');
  });

  it('evaluate an equal window set once and give the same verdict', () => {
    const evaluator = new WindowEvaluator(new Date('2026-11-23T08:00:00Z'));
    const first = evaluator.verdict([saturdayNightBerlin]);
    expect(evaluator.verdict([{ ...saturdayNightBerlin }])).toBe(first);
  });
});
