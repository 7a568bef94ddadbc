import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kubeSourceFactory, kubeStatusListener } from '../../../controller/kube/controller-hooks.js';
import { KubeEventRecorder } from '../../../controller/kube/events.js';
import type { KubeObject } from '../../../controller/kube/kube-object.js';
import { KubeSource } from '../../../controller/kube/kube-source.js';
import { KubeStatusWriter } from '../../../controller/kube/status-writer.js';
import type { AtomVersionStatus, ReconcileRecord } from '../../../controller/domain/status.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { NAMESPACE, atomVersion, avRef, startKube } from './kube-test-support.js';

const AT = '2026-11-23T08:00:00.000Z';

function status(history: ReconcileRecord[], blocked = false): AtomVersionStatus {
  return {
    key: `${NAMESPACE}/prod-east`,
    observedGeneration: '1',
    conditions: [
      { type: 'Ready', status: 'False', reason: 'Applying', message: 'applying', lastTransitionTime: AT },
    ],
    pins: [
      {
        kind: 'runtime',
        name: 'Atom',
        wanted: '26.12.0',
        current: '26.11.0',
        outcome: blocked ? 'Blocked' : 'ApplyPending',
        ...(blocked ? { reason: 'OutsideWindow' as const } : {}),
        message: blocked ? 'outside its maintenance window' : 'applying 26.12.0',
      },
    ],
    runtimeName: 'Prod East Molecule',
    history,
  };
}

const applyRecord: ReconcileRecord = {
  revision: 'r1',
  trigger: 'change',
  actions: [
    {
      kind: 'AtomVersionUpdateRequest',
      action: 'APPLY_PENDING',
      runtimeName: 'Prod East Molecule',
      components: ['Atom'],
      requestId: 'req-1',
    },
  ],
  result: 'Changed',
  durationMs: 40,
  at: AT,
};

describe('controller hooks', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let source: KubeSource;

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    kube.store.create(atomVersion('prod-east'));
    source = new KubeSource({ kubeConfig: kc, namespaces: [NAMESPACE] });
    await source.start(() => undefined);
  });

  afterEach(async () => {
    await source.stop();
    await kube.close();
  });

  function parts() {
    return {
      source,
      statusWriter: new KubeStatusWriter({ kubeConfig: kc, observe: (key) => source.getObject(key) }),
      events: new KubeEventRecorder({ kubeConfig: kc, reportingInstance: 'pod-a', seriesIntervalMs: 0 }),
    };
  }

  const events = (): KubeObject[] => kube.store.list('events.k8s.io/v1', 'Event', NAMESPACE);

  it('builds the kubernetes source for createSources and nothing else', () => {
    const factory = kubeSourceFactory({ source });
    expect(factory({ kind: 'kubernetes', namespaces: [NAMESPACE] })).toBe(source);
    expect(factory({ kind: 'directory', path: '/pins' })).toBeUndefined();
  });

  it("writes the status to the CR and records each pass's action once", async () => {
    const listener = kubeStatusListener(parts());
    await listener(`${NAMESPACE}/prod-east`, status([applyRecord]));
    await listener(`${NAMESPACE}/prod-east`, status([applyRecord]));

    expect(kube.store.get(avRef('prod-east'))?.status).toMatchObject({ runtimeName: 'Prod East Molecule' });
    expect(events().map((e) => e.reason)).toEqual(['ApplyPending']);
    expect(events()[0]?.regarding).toMatchObject({
      name: 'prod-east',
      uid: source.getObject(`${NAMESPACE}/prod-east`)?.metadata?.uid,
    });
  });

  it('records a persisting blocked pin as one event with a growing series', async () => {
    const listener = kubeStatusListener(parts());
    await listener(`${NAMESPACE}/prod-east`, status([], true));
    await listener(`${NAMESPACE}/prod-east`, status([], true));
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({ type: 'Warning', reason: 'OutsideWindow', series: { count: 2 } });
  });

  it('skips keys that are not custom resources, and writes nothing while not leading', async () => {
    const listener = kubeStatusListener(parts(), { shouldWrite: () => false });
    await listener(`${NAMESPACE}/prod-east`, status([applyRecord]));
    await kubeStatusListener(parts())(`${NAMESPACE}/from-a-pin-file`, {
      ...status([applyRecord]),
      key: `${NAMESPACE}/from-a-pin-file`,
    });
    expect(kube.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('puts back a status someone else wrote through /status, without a pass (issue 10, Why 2)', async () => {
    const listener = kubeStatusListener(parts());
    await listener(`${NAMESPACE}/prod-east`, status([applyRecord]));
    const written = kube.store.get(avRef('prod-east'))?.status as { runtimeVersion?: string } | undefined;

    kube.store.patchStatus(avRef('prod-east'), { status: { runtimeVersion: '0.0.1' } });

    await vi.waitFor(() => {
      const stored = kube.store.get(avRef('prod-east'))?.status as { runtimeVersion?: string } | undefined;
      expect(stored?.runtimeVersion).toBe(written?.runtimeVersion);
    });
    expect(written?.runtimeVersion).toBe('26.11.0');
  });

  it('writes status and Events as field manager atomsync', async () => {
    const listener = kubeStatusListener(parts());
    await listener(`${NAMESPACE}/prod-east`, status([applyRecord]));
    const writes = kube.requests.filter((r) => r.method === 'PATCH' || r.method === 'POST');
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.map((r) => r.query.fieldManager)).toEqual(writes.map(() => 'atomsync'));
  });

  it('writes Stalled with the reason on a refused AtomVersion itself, and leaves the others alone (issue 10, Why 3)', async () => {
    const listener = kubeStatusListener(parts());
    await listener(`${NAMESPACE}/prod-east`, status([applyRecord]));
    const before = kube.store.get(avRef('prod-east'))?.status;
    const badZone = { kind: 'allow', schedule: '0 22 * * SAT', duration: '4h', timeZone: 'Mars/Olympus' };
    kube.store.create(atomVersion('bad-zone', { policy: { windows: [badZone] } }));

    await vi.waitFor(() => expect(kube.store.get(avRef('bad-zone'))?.status).toBeDefined());
    const refused = kube.store.get(avRef('bad-zone'))?.status as {
      observedGeneration?: number;
      conditions?: { type: string; status: string; reason: string; message: string }[];
    };
    expect(refused.observedGeneration).toBe(1);
    const byType = Object.fromEntries((refused.conditions ?? []).map((c) => [c.type, c]));
    expect(byType.Stalled).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(byType.Stalled?.message).toBe(
      "spec.policy.windows[0].timeZone: unknown time zone 'Mars/Olympus' — use an IANA name such as Europe/Berlin or UTC. " +
        'What to do: fix the spec (kubectl edit atomversion bad-zone -n integration); atomsync acts on no part of this AtomVersion until then.',
    );
    expect(byType.Ready).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(byType.Drifted).toMatchObject({ status: 'Unknown', reason: 'InvalidSpec' });
    await vi.waitFor(() => expect(events().filter((e) => e.reason === 'InvalidSpec')).toHaveLength(1));
    expect(events().find((e) => e.reason === 'InvalidSpec')).toMatchObject({
      type: 'Warning',
      regarding: { name: 'bad-zone' },
    });
    expect(kube.store.get(avRef('prod-east'))?.status).toEqual(before);

    // Overwritten through /status: put back at once.
    kube.store.patchStatus(avRef('bad-zone'), { status: { synced: 'True' } });
    await vi.waitFor(() => {
      const stored = kube.store.get(avRef('bad-zone'))?.status as { synced?: string } | undefined;
      expect(stored?.synced).toBe('Unknown');
    });
  });

  it('writes a refusal only while leading, and at once when this replica starts leading', async () => {
    let leading = false;
    let onLeading = (): void => undefined;
    kubeStatusListener(
      { ...parts(), onLeading: (callback) => (onLeading = callback) },
      { shouldWrite: () => leading },
    );
    kube.store.create(atomVersion('one', { runtime: { name: 'Shared' } }));
    kube.store.create(atomVersion('two', { runtime: { name: 'Shared' } }));
    await vi.waitFor(() => expect(source.refusals()).toHaveLength(2));
    expect(kube.store.get(avRef('one'))?.status).toBeUndefined();

    leading = true;
    onLeading();
    await vi.waitFor(() => {
      for (const name of ['one', 'two']) {
        const stored = kube.store.get(avRef(name))?.status as {
          conditions?: { type: string; reason: string }[];
        };
        expect(stored?.conditions?.find((c) => c.type === 'Stalled')?.reason).toBe('DuplicateRuntime');
      }
    });
  });
});
