// `apply plan.json` replays the saved releases only while, planned again now, they are the same changes
// from the same publisher versions; otherwise each difference is named (docs/publisher.md, saved plans).
import { describe, expect, it } from 'vitest';
import type { PackReleaseChange, PackReleasePlan } from '../../../controller/domain/plan-pack-releases.js';
import { releaseStaleness } from '../../../controller/domain/saved-pack-releases.js';

const change = (overrides: Partial<PackReleaseChange> = {}): PackReleaseChange => ({
  key: 'publishing/orders',
  accountId: 'pub-1',
  integrationPackId: 'p1',
  packName: 'Orders',
  operation: 'CREATE',
  releaseSchedule: 'IMMEDIATELY',
  components: [{ componentId: 'c1', version: '2.0', currentVersion: '1.0' }],
  ...overrides,
});

const planNow = (
  changes: PackReleaseChange[],
  results: PackReleasePlan['results'] = [],
): PackReleasePlan => ({
  results,
  changes,
});

describe('releaseStaleness', () => {
  it('is empty when the release planned now is the saved one', () => {
    expect(releaseStaleness([change()], planNow([change()]))).toEqual([]);
  });

  it('names what moved: the publisher versions, another change, a release gone or new', () => {
    const pending = change({
      components: [{ componentId: 'c1', version: '2.0', currentVersion: '1.0', pendingVersion: '1.5' }],
    });
    expect(releaseStaleness([change()], planNow([pending]))).toEqual([
      'release publishing/orders: Orders c1 was current 1.0, now current 1.0, pending 1.5',
    ]);
    const dated = change({ releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-12-24' });
    expect(releaseStaleness([change()], planNow([dated]))).toEqual([
      'release publishing/orders: planned now, CREATE Orders (c1 2.0) on 2026-12-24 would be sent instead of CREATE Orders (c1 2.0) now',
    ]);
    const inSync = {
      key: 'publishing/orders',
      accountId: 'pub-1',
      pack: 'Orders',
      outcome: 'InSync' as const,
      message: 'released: c1 2.0',
    };
    expect(releaseStaleness([change()], planNow([], [inSync]))).toEqual([
      'release publishing/orders: planned now, nothing would be sent (InSync: released: c1 2.0)',
    ]);
    expect(releaseStaleness([], planNow([change()]))).toEqual([
      'release publishing/orders: planned now, CREATE Orders (c1 2.0) now would be sent too',
    ]);
  });
});
