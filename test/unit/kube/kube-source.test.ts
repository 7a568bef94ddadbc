import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomVersionCrdPath } from '../../../controller/schema/atomversion-schema.js';
import { desiredFromObject, desiredFromObjects } from '../../../controller/kube/atomversion-object.js';
import {
  KubeSource,
  type AtomVersionChange,
  type KubeSourceOptions,
} from '../../../controller/kube/kube-source.js';
import type { SourceSnapshot } from '../../../controller/sources/source.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { NAMESPACE, atomVersion, avRef, startKube, waitUntil, watchRequests } from './kube-test-support.js';

describe('KubeSource', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let source: KubeSource | undefined;
  let snapshots: SourceSnapshot[];
  let changes: AtomVersionChange[];

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    snapshots = [];
    changes = [];
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await kube.close();
  });

  async function startSource(options: Partial<KubeSourceOptions> = {}): Promise<KubeSource> {
    source = new KubeSource({
      kubeConfig: kc,
      namespaces: [NAMESPACE],
      coalesceMs: 10,
      backoff: { baseMs: 10, capMs: 50 },
      ...options,
    });
    source.onObjectChange((change) => changes.push(change));
    await source.start((snapshot) => snapshots.push(snapshot));
    return source;
  }

  const last = (): SourceSnapshot => {
    const snapshot = snapshots.at(-1);
    if (!snapshot) throw new Error('no snapshot yet');
    return snapshot;
  };

  it('turns each AtomVersion into desired state with the schema defaults, keyed namespace/name', async () => {
    kube.store.create(
      atomVersion('prod-east', { connectors: [{ name: 'HTTP Client', version: '26.12.0' }] }),
    );
    await startSource();

    expect(snapshots).toHaveLength(1);
    expect(last().problems).toEqual([]);
    expect(last().error).toBeUndefined();
    expect(last().revision).toMatch(/^[0-9a-f]{64}$/);
    expect(last().desired).toEqual([
      {
        key: 'integration/prod-east',
        name: 'prod-east',
        namespace: 'integration',
        generation: '1',
        origin: { source: 'kubernetes' },
        spec: {
          account: 'acme-prod',
          runtime: { name: 'Runtime prod-east' },
          version: '26.11.0',
          connectors: [{ name: 'HTTP Client', version: '26.12.0' }],
          integrationPacks: [],
          policy: {
            mode: 'enforce',
            suspend: false,
            allowRollback: true,
            allowPackReattach: false,
            windows: [],
          },
        },
      },
    ]);
  });

  it('emits a new snapshot and a per-object change when an AtomVersion is added, changed or deleted', async () => {
    await startSource();
    await waitUntil(() => watchRequests(kube, '/atomversions').length === 1);

    kube.store.create(atomVersion('prod-east'));
    await waitUntil(() => snapshots.length === 2);
    expect(last().desired.map((d) => d.key)).toEqual(['integration/prod-east']);

    kube.store.patch(avRef('prod-east'), { spec: { version: '26.12.0' } });
    await waitUntil(() => snapshots.length === 3);
    expect(last().desired[0]?.generation).toBe('2');
    expect(last().desired[0]?.spec.version).toBe('26.12.0');

    kube.store.delete(avRef('prod-east'));
    await waitUntil(() => snapshots.length === 4);
    expect(last().desired).toEqual([]);

    expect(changes.map((c) => `${c.type} ${c.key} ${c.desired?.generation ?? '-'}`)).toEqual([
      'added integration/prod-east 1',
      'modified integration/prod-east 2',
      'deleted integration/prod-east -',
    ]);
    const revisions = snapshots.map((s) => s.revision);
    expect(new Set(revisions).size).toBe(3);
    expect(revisions[3]).toBe(revisions[0]); // empty again: the same content, the same revision
  });

  it('a status-only update emits no snapshot, only a `status` change (so a foreign status is put back)', async () => {
    kube.store.create(atomVersion('prod-east'));
    await startSource();
    kube.store.patchStatus(avRef('prod-east'), { status: { synced: 'True' } });
    kube.store.create(atomVersion('marker'));
    await waitUntil(() => changes.some((c) => c.key === 'integration/marker'));
    await waitUntil(() => snapshots.length === 2);

    expect(changes.map((c) => `${c.type} ${c.key}`)).toEqual([
      'status integration/prod-east',
      'added integration/marker',
    ]);
    expect(source?.getObject('integration/prod-east')?.status).toEqual({ synced: 'True' });
  });

  it('watches only the configured namespaces', async () => {
    kube.store.create(atomVersion('mine'));
    kube.store.create(atomVersion('theirs', {}, 'team-b'));
    await startSource();
    expect(last().desired.map((d) => d.key)).toEqual(['integration/mine']);
  });

  it('watches every namespace when none is configured', async () => {
    kube.store.create(atomVersion('mine'));
    kube.store.create(atomVersion('theirs', { runtime: { name: 'Other' } }, 'team-b'));
    await startSource({ namespaces: [] });
    expect(last().desired.map((d) => d.key)).toEqual(['integration/mine', 'team-b/theirs']);
    expect(watchRequests(kube, '/apis/atomsync.io/v1alpha1/atomversions').length).toBeLessThanOrEqual(1);
  });

  it('refuses an AtomVersion the API server accepted but atomsync cannot use, on its own: no source error', async () => {
    const badWindow = { kind: 'allow', schedule: 'every saturday', duration: '4h' };
    kube.store.create(atomVersion('bad-window', { policy: { windows: [badWindow] } }));
    kube.store.create(atomVersion('good'));
    await startSource();
    expect(last().desired.map((d) => d.key)).toEqual(['integration/good']);
    expect(last().problems).toEqual([]);
    expect(last().error).toBeUndefined();
    expect(last().refused).toEqual([
      expect.objectContaining({ key: 'integration/bad-window', reason: 'InvalidSpec' }),
    ]);
    expect(source?.refusal('integration/bad-window')?.message).toMatch(
      /^spec\.policy\.windows\[0\]\.schedule: must be a five-field cron expression/,
    );
  });

  it('refuses an AtomVersion that lists a connector twice (an API server whose CRD predates the list-map keys lets it in)', () => {
    const connectors = [
      { name: 'HTTP Client', version: '26.12.0' },
      { name: 'HTTP Client', version: '26.11.0' },
    ];
    const object = {
      ...atomVersion('twice', { connectors }),
      metadata: { name: 'twice', namespace: NAMESPACE, generation: 1 },
    };
    expect(desiredFromObjects([desiredFromObject(object)]).refused).toEqual([
      {
        key: 'integration/twice',
        reason: 'InvalidSpec',
        message:
          "spec.connectors[1].name: connector 'HTTP Client' is already listed at spec.connectors[0]; each name may appear once",
        advice:
          'fix the spec (kubectl edit atomversion twice -n integration); atomsync acts on no part of this AtomVersion until then',
      },
    ]);
  });

  it('refuses every AtomVersion that pins the same runtime, each naming the others', async () => {
    kube.store.create(atomVersion('one', { runtime: { name: 'Prod East Molecule' } }));
    kube.store.create(atomVersion('two', { runtime: { name: 'Prod East Molecule' } }));
    kube.store.create(atomVersion('other', { runtime: { name: 'Dev Atom' } }));
    await startSource();
    expect(last().desired.map((d) => d.key)).toEqual(['integration/other']);
    expect(last().problems).toEqual([]);
    expect(last().refused?.map((r) => [r.key, r.reason])).toEqual([
      ['integration/one', 'DuplicateRuntime'],
      ['integration/two', 'DuplicateRuntime'],
    ]);
    expect(source?.refusal('integration/one')?.message).toContain(
      'also pinned by AtomVersion integration/two',
    );
  });

  it('says when the CRD is missing and recovers once it is installed', async () => {
    await kube.close();
    ({ kube, kc } = await startKube({ crdFiles: [] }));
    await startSource();
    expect(last().desired).toEqual([]);
    expect(last().error?.code).toBe('KubernetesListFailed');
    expect(last().error?.message).toContain('is the CRD installed?');

    await kube.store.loadCrdFile(atomVersionCrdPath);
    kube.store.create(atomVersion('prod-east'));
    await waitUntil(() => snapshots.at(-1)?.error === undefined);
    expect(last().desired.map((d) => d.key)).toEqual(['integration/prod-east']);
  });

  it('loses no change across a dropped watch and a compaction', async () => {
    kube.store.create(atomVersion('kept'));
    kube.store.create(atomVersion('gone'));
    await startSource();
    await waitUntil(() => watchRequests(kube, '/atomversions').length === 1);

    kube.dropWatches();
    kube.store.delete(avRef('gone'));
    kube.store.patch(avRef('kept'), { spec: { version: '26.12.0' } });
    kube.store.create(atomVersion('new'));
    kube.compact();

    await waitUntil(
      () =>
        last()
          .desired.map((d) => d.key)
          .join() === 'integration/kept,integration/new',
    );
    expect(last().desired.find((d) => d.name === 'kept')?.spec.version).toBe('26.12.0');
    expect(changes.map((c) => `${c.type} ${c.key}`).sort()).toEqual([
      'added integration/new',
      'deleted integration/gone',
      'modified integration/kept',
    ]);
  });

  it('announces every object again at each resync', async () => {
    kube.store.create(atomVersion('prod-east'));
    await startSource({ resyncMs: 30 });
    await waitUntil(() => changes.some((c) => c.type === 'resync'));
    expect(changes.find((c) => c.type === 'resync')).toMatchObject({
      key: 'integration/prod-east',
      desired: { key: 'integration/prod-east' },
    });
    expect(snapshots).toHaveLength(1);
  });

  it('stops: no snapshot or change after stop()', async () => {
    await startSource();
    await source?.stop();
    kube.store.create(atomVersion('late'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(snapshots).toHaveLength(1);
    expect(changes).toEqual([]);
  });
});
