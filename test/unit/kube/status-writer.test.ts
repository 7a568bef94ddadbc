import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../controller/kube/kube-object.js';
import { renderKubeStatus } from '../../../controller/kube/status-render.js';
import { KubeStatusWriter } from '../../../controller/kube/status-writer.js';
import type { AtomVersionStatus } from '../../../controller/domain/status.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';
import { NAMESPACE, atomVersion, avRef, startKube } from './kube-test-support.js';

const T0 = '2026-11-23T08:00:00.000Z';

function inSyncStatus(overrides: Partial<AtomVersionStatus> = {}): AtomVersionStatus {
  return {
    key: `${NAMESPACE}/prod-east`,
    observedGeneration: '1',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'InSync',
        message: 'every pin is met',
        lastTransitionTime: T0,
      },
      {
        type: 'Reconciling',
        status: 'False',
        reason: 'InSync',
        message: 'nothing to do',
        lastTransitionTime: T0,
      },
      { type: 'Drifted', status: 'False', reason: 'InSync', message: 'no drift', lastTransitionTime: T0 },
    ],
    pins: [
      {
        kind: 'runtime',
        name: 'Atom',
        wanted: '26.11.0',
        target: '26.11.0',
        current: '26.11.0',
        outcome: 'InSync',
        message: 'runs 26.11.0',
      },
    ],
    runtimeName: 'Prod East Molecule',
    lastAttemptedRevision: 'rev-1',
    history: [
      { revision: 'rev-1', trigger: 'change', actions: [], result: 'InSync', durationMs: 12, at: T0 },
    ],
    ...overrides,
  };
}

function patchRequests(kube: FakeKube) {
  return kube.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/prod-east/status'));
}

describe('KubeStatusWriter', () => {
  let kube: FakeKube;
  let kc: KubeConfig;

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    kube.store.create(atomVersion('prod-east'));
  });

  afterEach(async () => {
    await kube.close();
  });

  const stored = (): KubeObject => kube.store.get(avRef('prod-east')) as KubeObject;

  it('writes the status once when the same status is written twice', async () => {
    const writer = new KubeStatusWriter({ kubeConfig: kc });
    expect(await writer.write(inSyncStatus())).toBe('written');
    expect(await writer.write(inSyncStatus())).toBe('unchanged');
    expect(patchRequests(kube)).toHaveLength(1);
    expect(patchRequests(kube)[0]?.contentType).toBe('application/merge-patch+json');
    expect(writer.stats()).toEqual({ writes: 1, unchanged: 1, gone: 0, failures: 0 });
  });

  it('fills the printer columns kubectl -o wide shows: Version, Synced, Ready, its reason and message', async () => {
    await new KubeStatusWriter({ kubeConfig: kc }).write(inSyncStatus());
    const result = await runKubectl(kube, ['get', 'av', '-n', NAMESPACE, '-o', 'wide']);
    const [header, row] = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(header).toEqual([
      'NAME',
      'RUNTIME',
      'ACCOUNT',
      'VERSION',
      'SYNCED',
      'READY',
      'REASON',
      'STATUS',
      'AGE',
    ]);
    expect(row?.slice(0, 8)).toEqual([
      'prod-east',
      'Runtime prod-east',
      'acme-prod',
      '26.11.0',
      'True',
      'True',
      'InSync',
      'every pin is met',
    ]);
  });

  it('shows who changed the runtime (status.changedBy and pins[].changedBy) to kubectl, and drops it when gone', async () => {
    const changedBy =
      'Atom 26.12.0 applied in the UI by jane@acme.example at 2026-12-03 10:32 UTC (AuditLog as.atom UPDATE)';
    const base = inSyncStatus();
    const writer = new KubeStatusWriter({ kubeConfig: kc });
    await writer.write({ ...base, changedBy, pins: base.pins.map((pin) => ({ ...pin, changedBy })) });
    const jsonPath = '{.status.changedBy}|{.status.pins[0].changedBy}';
    const shown = await runKubectl(kube, [
      'get',
      'av',
      'prod-east',
      '-n',
      NAMESPACE,
      '-o',
      `jsonpath=${jsonPath}`,
    ]);
    expect(shown.stdout).toBe(`${changedBy}|${changedBy}`);
    expect(await writer.write(base)).toBe('written');
    expect(stored().status).not.toHaveProperty('changedBy');
  });

  it('stores observedGeneration as a number and conditions with their transition times', async () => {
    await new KubeStatusWriter({ kubeConfig: kc }).write(inSyncStatus());
    const status = stored().status as Record<string, unknown>;
    expect(status.observedGeneration).toBe(1);
    expect(status.synced).toBe('True');
    expect(status.conditions).toContainEqual({
      type: 'Ready',
      status: 'True',
      reason: 'InSync',
      message: 'every pin is met',
      lastTransitionTime: T0,
      observedGeneration: 1,
    });
    expect(status).not.toHaveProperty('history');
  });

  it('writes again when the status changes, and removes fields that are no longer set', async () => {
    const writer = new KubeStatusWriter({ kubeConfig: kc });
    await writer.write(inSyncStatus({ driftedSince: '2026-11-23T09:00:00.000Z', synced: 'False' }));
    expect(stored().status).toMatchObject({ driftedSince: '2026-11-23T09:00:00.000Z', synced: 'False' });

    expect(await writer.write(inSyncStatus())).toBe('written');
    expect(stored().status).not.toHaveProperty('driftedSince');
    expect(stored().status).toMatchObject({ synced: 'True' });
    expect(patchRequests(kube)).toHaveLength(2);
  });

  it('does not write when the observed CR already carries the status (after a restart)', async () => {
    const status = inSyncStatus();
    kube.store.patchStatus(avRef('prod-east'), { status: renderKubeStatus(status, { generation: 1 }) });
    const writer = new KubeStatusWriter({ kubeConfig: kc, observe: () => stored() });
    expect(await writer.write(status)).toBe('unchanged');
    expect(patchRequests(kube)).toHaveLength(0);
  });

  it('does not write twice while the watch has not delivered its own write yet', async () => {
    const before = stored();
    const writer = new KubeStatusWriter({ kubeConfig: kc, observe: () => before });
    expect(await writer.write(inSyncStatus())).toBe('written');
    expect(await writer.write(inSyncStatus())).toBe('unchanged');
    expect(patchRequests(kube)).toHaveLength(1);
  });

  it('puts the status back when someone else changed it', async () => {
    const writer = new KubeStatusWriter({ kubeConfig: kc, observe: () => stored() });
    await writer.write(inSyncStatus());
    kube.store.patchStatus(avRef('prod-east'), { status: { synced: 'False' } });
    expect(await writer.write(inSyncStatus())).toBe('written');
    expect(stored().status).toMatchObject({ synced: 'True' });
  });

  it('takes observedGeneration from the CR when the status has no numeric generation', async () => {
    kube.store.patch(avRef('prod-east'), { spec: { version: '26.12.0' } });
    const writer = new KubeStatusWriter({ kubeConfig: kc, observe: () => stored() });
    await writer.write(inSyncStatus({ observedGeneration: 'abc123' }));
    expect(stored().status).toMatchObject({ observedGeneration: 2 });
  });

  it("says 'gone' for an AtomVersion deleted meanwhile", async () => {
    kube.store.delete(avRef('prod-east'));
    const writer = new KubeStatusWriter({ kubeConfig: kc });
    expect(await writer.write(inSyncStatus())).toBe('gone');
  });

  it('throws a StatusWriteFailed error with the API server message when the write is refused', async () => {
    const writer = new KubeStatusWriter({ kubeConfig: kc });
    const bad = inSyncStatus({
      conditions: [
        { type: 'Ready', status: 'Maybe' as 'True', reason: 'X', message: 'x', lastTransitionTime: T0 },
      ],
    });
    await expect(writer.write(bad)).rejects.toMatchObject({
      code: 'StatusWriteFailed',
      statusCode: 422,
      message: expect.stringContaining('cannot write the status of AtomVersion integration/prod-east'),
    });
  });

  it('serializes writes of one key: two at once are one write', async () => {
    const writer = new KubeStatusWriter({ kubeConfig: kc });
    const results = await Promise.all([writer.write(inSyncStatus()), writer.write(inSyncStatus())]);
    expect(results).toEqual(['written', 'unchanged']);
  });

  it('writes the history too when asked to', async () => {
    await new KubeStatusWriter({ kubeConfig: kc, includeHistory: true }).write(inSyncStatus());
    expect((stored().status as { history: unknown[] }).history).toHaveLength(1);
  });
});
