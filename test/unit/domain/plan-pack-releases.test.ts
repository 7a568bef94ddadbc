// Issue 12, Deliver 5 ("privileges checked; fail closed"): the pure release planner refuses what cannot be
// sent — a read-only credential, a date already past, an account that could not be read — with the reason.
import { describe, expect, it } from 'vitest';
import { AccountBook } from '../../../controller/domain/accounts.js';
import type { DesiredPackRelease } from '../../../controller/domain/pack-release-types.js';
import {
  planPackReleases,
  type PublisherObservation,
} from '../../../controller/domain/plan-pack-releases.js';

const book = new AccountBook([{ alias: 'pub', accountId: 'pub-1' }]);

function desired(timing: { release?: 'immediately'; releaseOn?: string }): DesiredPackRelease {
  return {
    key: 'publishing/orders',
    name: 'orders',
    namespace: 'publishing',
    generation: 'g',
    spec: { account: 'pub', pack: 'Orders', components: [{ componentId: 'c1', version: '2.0' }], ...timing },
    origin: { source: 'file' },
  };
}

function observed(
  overrides: Partial<Extract<PublisherObservation, { readable: true }>> = {},
): PublisherObservation {
  return {
    accountId: 'pub-1',
    readable: true,
    canRelease: true,
    packs: [{ id: 'p1', name: 'Orders', components: [{ componentId: 'c1', currentVersion: '1.0' }] }],
    releases: [],
    ...overrides,
  };
}

const plan = (doc: DesiredPackRelease, observation: PublisherObservation) =>
  planPackReleases([doc], new Map([['pub-1', observation]]), book, '2026-12-04');

describe('planPackReleases', () => {
  it('blocks a release when the credential may only read (InsufficientPrivilege) and sends nothing', () => {
    const result = plan(desired({ release: 'immediately' }), observed({ canRelease: false }));
    expect(result.changes).toEqual([]);
    expect(result.results[0]).toMatchObject({ outcome: 'Blocked', reason: 'InsufficientPrivilege' });
    expect(result.results[0]!.message).toContain('needs ATOM_MANAGEMENT in pub-1');
  });

  it('blocks a date that is not after the platform’s today (PastReleaseDate)', () => {
    const result = plan(desired({ releaseOn: '2026-12-04' }), observed());
    expect(result.results[0]).toMatchObject({ outcome: 'Blocked', reason: 'PastReleaseDate' });
  });

  it('blocks when the publisher account could not be read, naming why', () => {
    const result = plan(desired({ release: 'immediately' }), {
      accountId: 'pub-1',
      readable: false,
      reason: 'HTTP 401',
    });
    expect(result.results[0]).toMatchObject({
      outcome: 'Blocked',
      reason: 'AccountUnavailable',
      message: 'account pub-1 could not be read: HTTP 401',
    });
  });

  it('finds the pack by id as well as by name, and plans a CREATE with the current versions', () => {
    const doc = desired({ release: 'immediately' });
    const result = plan({ ...doc, spec: { ...doc.spec, pack: 'p1' } }, observed());
    expect(result.changes).toEqual([
      expect.objectContaining({
        operation: 'CREATE',
        releaseSchedule: 'IMMEDIATELY',
        components: [{ componentId: 'c1', version: '2.0', currentVersion: '1.0' }],
      }),
    ]);
  });
});
