import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomVersionCollectionPath, atomVersionLister } from '../../../controller/kube/atomversion-api.js';
import type { KubeObject } from '../../../controller/kube/kube-object.js';
import {
  ListWatch,
  type ListWatchError,
  type ListWatchEvent,
  type ListWatchOptions,
  type SyncReason,
} from '../../../controller/kube/list-watch.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import {
  NAMESPACE,
  atomVersion,
  avRef,
  listRequests,
  startKube,
  waitUntil,
  watchRequests,
} from './kube-test-support.js';

const COLLECTION = `/namespaces/${NAMESPACE}/atomversions`;

class Recorder {
  readonly events: ListWatchEvent<KubeObject>[] = [];
  readonly syncs: { reason: SyncReason; names: string[] }[] = [];
  readonly errors: ListWatchError[] = [];

  handlers(): Pick<ListWatchOptions<KubeObject>, 'onEvent' | 'onSync' | 'onError'> {
    return {
      onEvent: (event) => this.events.push(event),
      onSync: (objects, reason) =>
        this.syncs.push({ reason, names: objects.map((o) => o.metadata?.name ?? '').sort() }),
      onError: (error) => this.errors.push(error),
    };
  }

  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);
  }

  has(line: string): boolean {
    return this.summary().includes(line);
  }
}

describe('list-watch over the fake API server', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let listWatch: ListWatch<KubeObject> | undefined;
  let recorder: Recorder;

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    recorder = new Recorder();
  });

  afterEach(async () => {
    await listWatch?.stop();
    listWatch = undefined;
    await kube.close();
  });

  function create(options: Partial<ListWatchOptions<KubeObject>> = {}): ListWatch<KubeObject> {
    listWatch = new ListWatch<KubeObject>({
      kubeConfig: kc,
      path: atomVersionCollectionPath(NAMESPACE),
      list: atomVersionLister(kc, NAMESPACE),
      backoff: { baseMs: 10, capMs: 50 },
      ...recorder.handlers(),
      ...options,
    });
    return listWatch;
  }

  it('reports objects that exist, then objects added, modified and deleted', async () => {
    kube.store.create(atomVersion('existing'));
    await create().start();
    expect(recorder.summary()).toEqual(['added existing']);
    expect(recorder.syncs).toEqual([{ reason: 'list', names: ['existing'] }]);

    await waitUntil(() => watchRequests(kube, COLLECTION).length === 1);
    kube.store.create(atomVersion('prod-east'));
    kube.store.patch(avRef('prod-east'), { spec: { version: '26.12.0' } });
    kube.store.delete(avRef('existing'));
    await waitUntil(() => recorder.events.length === 4);

    expect(recorder.summary()).toEqual([
      'added existing',
      'added prod-east',
      'modified prod-east',
      'deleted existing',
    ]);
    const modified = recorder.events[2];
    expect(modified?.previous?.spec).toMatchObject({ version: '26.11.0' });
    expect(modified?.object.spec).toMatchObject({ version: '26.12.0' });
    expect(listWatch?.objects().map((o) => o.metadata?.name)).toEqual(['prod-east']);
  });

  it('asks for bookmarks and a server-side timeout, and resumes from the newest resourceVersion', async () => {
    kube.store.create(atomVersion('prod-east'));
    await create({ watchTimeoutSeconds: 60, random: () => 0.5 }).start();
    await waitUntil(() => watchRequests(kube, COLLECTION).length === 1);
    const [watch] = watchRequests(kube, COLLECTION);
    expect(watch?.query).toMatchObject({ allowWatchBookmarks: 'true', timeoutSeconds: '90' });
    expect(watch?.query.resourceVersion).toBe(listWatch?.lastResourceVersion());

    kube.store.create(atomVersion('other-namespace-noise', {}, 'team-b'));
    await waitUntil(() => listWatch?.lastResourceVersion() === kube.store.resourceVersion());
    expect(recorder.summary()).toEqual(['added prod-east']);
  });

  it('survives a dropped watch: a change made while it was down is still reported, without a re-list', async () => {
    await create().start();
    await waitUntil(() => watchRequests(kube, COLLECTION).length === 1);
    kube.store.create(atomVersion('before'));
    await waitUntil(() => recorder.has('added before'));

    kube.dropWatches();
    kube.store.create(atomVersion('while-down'));
    kube.store.patch(avRef('before'), { spec: { version: '26.12.0' } });
    await waitUntil(() => recorder.has('added while-down') && recorder.has('modified before'));

    expect(recorder.errors.map((e) => e.code)).toEqual(['WatchFailed']);
    expect(recorder.errors[0]?.retryInMs).toBeLessThanOrEqual(50);
    expect(listRequests(kube, COLLECTION)).toHaveLength(1);
    const resumed = watchRequests(kube, COLLECTION)[1];
    expect(Number(resumed?.query.resourceVersion)).toBeGreaterThan(0);
  });

  it('re-lists after 410 Gone and reports what changed in between as events', async () => {
    kube.store.create(atomVersion('kept'));
    kube.store.create(atomVersion('removed-while-down'));
    await create().start();
    await waitUntil(() => watchRequests(kube, COLLECTION).length === 1);

    kube.dropWatches();
    kube.store.create(atomVersion('added-while-down'));
    kube.store.patch(avRef('kept'), { spec: { version: '26.12.0' } });
    kube.store.delete(avRef('removed-while-down'));
    kube.compact();
    await waitUntil(() => listRequests(kube, COLLECTION).length === 2);
    await waitUntil(() => recorder.syncs.length === 2);

    expect(recorder.summary().slice(2).sort()).toEqual([
      'added added-while-down',
      'deleted removed-while-down',
      'modified kept',
    ]);
    expect(recorder.syncs[1]).toEqual({ reason: 'list', names: ['added-while-down', 'kept'] });

    kube.store.create(atomVersion('after-relist'));
    await waitUntil(() => recorder.has('added after-relist'));
  });

  it('stops cleanly: the watch is closed and later changes are not reported', async () => {
    await create().start();
    await waitUntil(() => watchRequests(kube, COLLECTION).length === 1);
    await listWatch?.stop();
    const requestsAtStop = kube.requests.length;

    kube.store.create(atomVersion('after-stop'));
    kube.dropWatches();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(recorder.events).toEqual([]);
    expect(recorder.errors).toEqual([]);
    expect(kube.requests.length).toBe(requestsAtStop);
  });

  it('backs off with capped, jittered delays while the list fails, then recovers', async () => {
    const lister = atomVersionLister(kc, NAMESPACE);
    let failuresLeft = 4;
    const list: ListWatchOptions<KubeObject>['list'] = (page) => {
      if (failuresLeft-- > 0) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
      return lister(page);
    };
    kube.store.create(atomVersion('prod-east'));
    await create({ list, random: () => 0.999, backoff: { baseMs: 10, capMs: 40 } }).start();
    expect(listWatch?.hasSynced()).toBe(false);

    await waitUntil(() => recorder.has('added prod-east'));
    expect(recorder.errors.map((e) => [e.code, e.retryInMs])).toEqual([
      ['ListFailed', 9],
      ['ListFailed', 19],
      ['ListFailed', 39],
      ['ListFailed', 39],
    ]);
    expect(recorder.errors[0]?.message).toBe('connect ECONNREFUSED 127.0.0.1:6443');
    expect(listWatch?.hasSynced()).toBe(true);
  });

  it('announces the full set again every resync period', async () => {
    kube.store.create(atomVersion('a'));
    kube.store.create(atomVersion('b'));
    await create({ resyncMs: 30 }).start();
    await waitUntil(() => recorder.syncs.filter((s) => s.reason === 'resync').length >= 2);
    expect(recorder.syncs.find((s) => s.reason === 'resync')).toEqual({
      reason: 'resync',
      names: ['a', 'b'],
    });
    expect(listRequests(kube, COLLECTION)).toHaveLength(1);
  });

  it('pages through a long list', async () => {
    for (let i = 0; i < 7; i++) kube.store.create(atomVersion(`pin-${i}`));
    await create({ pageSize: 3 }).start();
    expect(listWatch?.objects()).toHaveLength(7);
    expect(listRequests(kube, COLLECTION).map((r) => r.query.limit)).toEqual(['3', '3', '3']);
  });

  it('starts the list over when its continue token expired between two pages (410), losing nothing', async () => {
    for (let i = 0; i < 7; i++) kube.store.create(atomVersion(`pin-${i}`));
    const lister = atomVersionLister(kc, NAMESPACE);
    let compacted = false;
    await create({
      pageSize: 3,
      list: async (page) => {
        const result = await lister(page);
        if (!compacted) {
          // etcd compacts while the first page is being processed: the token it returned is too old.
          compacted = true;
          kube.store.create(atomVersion('pin-late'));
          kube.compact();
        }
        return result;
      },
    }).start();
    await waitUntil(() => listWatch?.hasSynced() === true);
    expect(recorder.errors.map((e) => [e.code, e.statusCode])).toEqual([['ListFailed', 410]]);
    expect(recorder.errors[0]?.message).toContain('The provided continue parameter is too old');
    expect(listWatch?.objects()).toHaveLength(8);
    expect(recorder.syncs).toHaveLength(1);
    const pages = listRequests(kube, COLLECTION).map((r) => r.query.continue === undefined);
    expect(pages).toEqual([true, false, true, false, false]);
  });

  it('resumes without a re-list when the server ends the watch at its timeout', async () => {
    await create({ watchTimeoutSeconds: 1, random: () => 0 }).start();
    await waitUntil(() => watchRequests(kube, COLLECTION).length === 2);
    kube.store.create(atomVersion('after-timeout'));
    await waitUntil(() => recorder.has('added after-timeout'));
    expect(recorder.errors).toEqual([]);
    expect(listRequests(kube, COLLECTION)).toHaveLength(1);
  });

  it('keeps going when a callback throws', async () => {
    await create({
      onEvent: (event) => {
        recorder.events.push(event);
        throw new Error('consumer bug');
      },
    }).start();
    kube.store.create(atomVersion('one'));
    kube.store.create(atomVersion('two'));
    await waitUntil(() => recorder.events.length === 2);
    expect(recorder.summary()).toEqual(['added one', 'added two']);
  });
});
