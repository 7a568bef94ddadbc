// Issue 12, Deliver 5: "has the release reached everyone?" — the pure install-base report decides, per
// account, whether the release runs there, is pending in its testing period (or was applied early), is not
// sent yet, or the account could not be read; on Boomi's API alone (no IntegrationPackVersions) it says the
// version is not readable rather than guessing a number.
import { describe, expect, it } from 'vitest';
import {
  installBaseReport,
  type InstalledPackEntry,
  type SubscriberObservation,
} from '../../../controller/domain/pack-install-base.js';
import type { PackReleaseOutcome } from '../../../controller/domain/plan-pack-releases.js';

const result = (outcome: PackReleaseOutcome) => ({
  key: 'publishing/orders',
  accountId: 'pub-1',
  pack: 'Orders',
  integrationPackId: 'p1',
  outcome,
  message: '',
});

function installed(accountId: string, entries?: InstalledPackEntry[]): SubscriberObservation {
  return {
    accountId,
    readable: true,
    installedPackIds: ['p1'],
    ...(entries !== undefined && { packVersions: { p1: entries } }),
  };
}

const entry = (version: number, extra: Partial<InstalledPackEntry> = {}): InstalledPackEntry => ({
  integrationPackInstanceId: 'i1',
  version,
  attached: true,
  ...extra,
});

describe('installBaseReport', () => {
  it('counts pending, applied-early, not installed and unreadable accounts in one summary line', () => {
    const report = installBaseReport(result('Scheduled'), '2026-12-10', [
      installed('a', [entry(7, { pendingVersion: 8, releaseOnDate: '2026-12-10' })]),
      installed('b', [entry(4)]),
      { accountId: 'c', readable: true, installedPackIds: [] },
      { accountId: 'd', readable: false, reason: 'HTTP 403 Forbidden (…)' },
    ]);
    expect(report.summary).toBe(
      'reached 1 of 3 accounts; 1 pending until 2026-12-10; 1 not installed; 1 unreadable',
    );
    expect(report.accounts.map((a) => [a.accountId, a.state, a.message])).toEqual([
      [
        'a',
        'Pending',
        'runs version 7; the release (version 8) is pending until 2026-12-10 (testing period)',
      ],
      ['b', 'Current', 'runs version 4: the release, applied early'],
      ['c', 'NotInstalled', 'the pack is not installed'],
      ['d', 'Unreadable', 'could not be read: HTTP 403 Forbidden (…)'],
    ]);
  });

  it('reads the versions of attached environments, not the account-wide entry of runtimes elsewhere', () => {
    const report = installBaseReport(result('InSync'), undefined, [
      installed('a', [
        entry(9),
        entry(9, { attached: false }),
        entry(8, { integrationPackInstanceId: 'i2' }),
      ]),
      installed('b', [entry(3, { attached: false })]),
    ]);
    expect(report.accounts.map((a) => a.versions)).toEqual([[8, 9], [3]]);
    expect(report.summary).toBe('reached 2 of 2 accounts');
  });

  it("on Boomi's API alone says the version is not readable, and decides by the release's stage", () => {
    const accounts = [installed('a')];
    expect(installBaseReport(result('InSync'), undefined, accounts).accounts[0]).toEqual({
      accountId: 'a',
      state: 'Current',
      message:
        "installed; runs the release; the version is not readable on Boomi's API alone (no IntegrationPackVersions)",
    });
    const scheduled = installBaseReport(result('Scheduled'), '2026-12-10', accounts).accounts[0];
    expect(scheduled).toMatchObject({ state: 'Pending', pendingUntil: '2026-12-10' });
    expect(installBaseReport(result('Release'), undefined, [installed('a', [])]).accounts[0]).toEqual({
      accountId: 'a',
      state: 'Behind',
      message:
        'installed; the release is not sent yet; the version is not readable: the account has no runtime',
    });
  });
});
