import { describe, expect, it } from 'vitest';
import type { AtomSphereClient } from '../../../controller/platform/client.js';
import type { AccountTarget } from '../../../controller/platform/observe.js';
import { SnapshotCache } from '../../../controller/reconciler/snapshot-cache.js';

/** Just enough of a client for observeAccount: a principal, the Atoms, their versions; counts reads. */
function fakeTarget(names: string[]): { target: AccountTarget; reads: () => number; release?: () => void } {
  let atomQueries = 0;
  const atoms = names.map((name, i) => ({
    id: `atom-${i}`,
    name,
    type: 'ATOM',
    status: 'ONLINE',
    currentVersion: '26.11.0',
  }));
  const client = {
    userId: 'admin@test',
    currentUserId: () => Promise.resolve('admin@test'),
    async queryAll(object: string) {
      if (object === 'AccountUserRole') return [{ roleId: 'role-1' }];
      if (object === 'Atom') {
        atomQueries += 1;
        return atoms;
      }
      return [];
    },
    async bulkGet(object: string, ids: readonly string[]) {
      if (object === 'Role')
        return {
          items: new Map([['role-1', { Privileges: { Privilege: [{ name: 'ATOM_MANAGEMENT' }] } }]]),
          errors: [],
        };
      return {
        items: new Map(
          ids.map((id) => [id, { atomId: id, AtomVersion: [{ name: 'Atom', version: '26.11.0' }] }]),
        ),
        errors: [],
      };
    },
  } as unknown as AtomSphereClient;
  return { target: { accountId: 'acct-1', client }, reads: () => atomQueries };
}

const SCOPE = { runtimes: [{ name: 'Alpha' }], withPacks: [] };

describe('shared account snapshot of a resync tick', () => {
  it('serves a fresh snapshot until the TTL passes', async () => {
    let now = 1_000;
    const cache = new SnapshotCache(500, () => now);
    const { target } = fakeTarget(['Alpha']);
    await cache.refresh(target, SCOPE);
    expect(cache.fresh('acct-1')?.runtimes.map((r) => r.name)).toEqual(['Alpha']);
    now += 501;
    expect(cache.fresh('acct-1')).toBeUndefined();
  });

  it('trims the snapshot to the runtime one AtomVersion names, keeping ambiguous names whole', async () => {
    const cache = new SnapshotCache(60_000, () => 0);
    const { target } = fakeTarget(['Alpha', 'Beta', 'Twin', 'Twin']);
    await cache.refresh(target, SCOPE);
    expect(cache.freshFor('acct-1', { name: 'Beta' })?.runtimes.map((r) => r.id)).toEqual(['atom-1']);
    expect(cache.freshFor('acct-1', { name: 'Twin' })?.runtimes).toHaveLength(2);
    expect(cache.freshFor('acct-1', { id: 'atom-0' })?.runtimes.map((r) => r.name)).toEqual(['Alpha']);
    expect(cache.freshFor('acct-1', { name: 'Gamma' })?.runtimes).toEqual([]);
  });

  it('does not serve a pass asked for after the snapshot was taken', async () => {
    let now = 1_000;
    const cache = new SnapshotCache(60_000, () => now);
    const { target } = fakeTarget(['Alpha']);
    await cache.refresh(target, SCOPE);
    now = 2_000;
    expect(cache.freshFor('acct-1', { name: 'Alpha' }, 1_000)).toBeDefined();
    expect(cache.freshFor('acct-1', { name: 'Alpha' }, 1_500)).toBeUndefined();
  });

  it('shares one read between concurrent refreshes and drops it when the account is written to', async () => {
    const cache = new SnapshotCache(60_000, () => 0);
    const { target, reads } = fakeTarget(['Alpha']);
    await Promise.all([
      cache.refresh(target, SCOPE),
      cache.refresh(target, SCOPE),
      cache.refresh(target, SCOPE),
    ]);
    expect(reads()).toBe(1);
    cache.invalidate('acct-1');
    expect(cache.fresh('acct-1')).toBeUndefined();
  });

  it('does not keep a read that was in flight when the account was written to', async () => {
    const cache = new SnapshotCache(60_000, () => 0);
    const { target, reads } = fakeTarget(['Alpha']);
    const stale = cache.refresh(target, SCOPE);
    cache.invalidate('acct-1');
    const fresh = cache.refresh(target, SCOPE);
    await Promise.all([stale, fresh]);
    expect(reads()).toBe(2);
    expect(cache.fresh('acct-1')).toBeDefined();
    cache.invalidate('acct-1');
    await cache.refresh(target, SCOPE).then(() => cache.invalidate('acct-1'));
    expect(cache.fresh('acct-1')).toBeUndefined();
  });
});
