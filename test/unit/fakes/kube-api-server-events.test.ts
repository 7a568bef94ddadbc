// Events in the fake API server as in a real one (issue 10, Deliver 5): core/v1 and events.k8s.io/v1
// share one storage, so what atomsync records through events.k8s.io/v1 is what `kubectl describe` and
// `kubectl get events` (core/v1) show; events.k8s.io/v1 Events are validated; Events expire.
import { EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { startFakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';

const CRD_FILE = fileURLToPath(new URL('../../../crds/atomversion.yaml', import.meta.url));
const NAMESPACE = 'integration';

describe('Events in the fake API server', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let now = new Date('2026-11-23T08:00:00Z');

  beforeEach(async () => {
    now = new Date('2026-11-23T08:00:00Z');
    kube = await startFakeKube({
      crdFiles: [CRD_FILE],
      namespaces: [NAMESPACE],
      clock: () => now,
      eventTtlMs: 60 * 60_000,
    });
    kc = new KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
  });
  afterEach(async () => {
    await kube.close();
  });

  function recordWarning(note = 'outside its maintenance window. What to do: wait for the window.') {
    const av = kube.store.get({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      name: 'prod-east',
      namespace: NAMESPACE,
    });
    return kc.makeApiClient(EventsV1Api).createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'prod-east.1' },
        eventTime: now,
        reportingController: 'atomsync.io/controller',
        reportingInstance: 'pod-a',
        action: 'Reconcile',
        reason: 'OutsideWindow',
        type: 'Warning',
        note,
        regarding: {
          apiVersion: 'atomsync.io/v1alpha1',
          kind: 'AtomVersion',
          name: 'prod-east',
          namespace: NAMESPACE,
          uid: av?.metadata?.uid ?? '',
        },
      },
    });
  }

  function createAtomVersion(): void {
    kube.store.create({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      metadata: { name: 'prod-east', namespace: NAMESPACE },
      spec: { account: 'acme-prod', runtime: { name: 'Prod East Molecule' }, version: '26.12.0' },
    });
  }

  it('an events.k8s.io/v1 Event is a core/v1 Event too: kubectl get events and kubectl describe show it', async () => {
    createAtomVersion();
    await recordWarning();
    const core = kube.store.list('v1', 'Event', NAMESPACE);
    expect(core).toHaveLength(1);
    expect(core[0]).toMatchObject({
      involvedObject: { kind: 'AtomVersion', name: 'prod-east' },
      message: 'outside its maintenance window. What to do: wait for the window.',
      reportingComponent: 'atomsync.io/controller',
    });
    const events = await runKubectl(kube, ['get', 'events', '-n', NAMESPACE]);
    expect(events.stdout).toMatch(
      /Warning\s+OutsideWindow\s+atomversion\/prod-east\s+outside its maintenance/,
    );
    const described = await runKubectl(kube, ['describe', 'av', 'prod-east', '-n', NAMESPACE]);
    expect(described.stderr).toBe('');
    expect(described.stdout).toMatch(/Events:\s+Type\s+Reason\s+Age\s+From\s+Message/);
    expect(described.stdout).toMatch(
      /Warning\s+OutsideWindow\s+\S+\s+atomsync\.io\/controller\s+outside its maintenance window\. What to do: wait for the window\./,
    );
  });

  it('refuses an events.k8s.io/v1 Event without its required fields, or with a note over 1 KiB', async () => {
    const refused = await runKubectl(
      kube,
      ['create', '-f', '-'],
      [
        'apiVersion: events.k8s.io/v1',
        'kind: Event',
        `metadata: { name: bad, namespace: ${NAMESPACE} }`,
        'reason: Drifted',
        'type: Info',
      ].join('\n'),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('eventTime: Required value');
    expect(refused.stderr).toContain('reportingController: Required value');
    expect(refused.stderr).toContain('type: Unsupported value: "Info"');
    await expect(recordWarning('x'.repeat(1025))).rejects.toMatchObject({ code: 422 });
  });

  it('expires Events an hour after their last write', async () => {
    createAtomVersion();
    await recordWarning();
    now = new Date(now.getTime() + 59 * 60_000);
    expect(kube.store.list('events.k8s.io/v1', 'Event', NAMESPACE)).toHaveLength(1);
    now = new Date(now.getTime() + 2 * 60_000);
    expect(kube.store.list('events.k8s.io/v1', 'Event', NAMESPACE)).toEqual([]);
    const events = await runKubectl(kube, ['get', 'events', '-n', NAMESPACE]);
    expect(events.stderr).toContain('No resources found');
  });
});
