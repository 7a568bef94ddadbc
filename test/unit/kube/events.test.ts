import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KubeEventRecorder,
  actionEvent,
  blockedPinEvent,
  passEvents,
  type EventRecorderOptions,
} from '../../../controller/kube/events.js';
import type { KubeObject } from '../../../controller/kube/kube-object.js';
import type { PinStatus } from '../../../controller/domain/status.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';
import { FakeTimers } from '../reconciler/fake-timers.js';
import { NAMESPACE, startKube } from './kube-test-support.js';

const target = { namespace: NAMESPACE, name: 'prod-east', uid: 'uid-1' };

const blockedPin: PinStatus = {
  kind: 'pack',
  name: 'Salesforce to NetSuite',
  wanted: '8',
  current: '7',
  outcome: 'Blocked',
  reason: 'InstallBaseLock',
  message: 'this account already applied update 8 in Staging; it can apply it again on 2026-12-10',
  advice: 'Wait for the release date.',
};

describe('KubeEventRecorder', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let timers: FakeTimers;

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    timers = new FakeTimers(Date.parse('2026-11-23T10:00:00.123Z'));
  });

  afterEach(async () => {
    await kube.close();
  });

  function recorder(options: Partial<EventRecorderOptions> = {}): KubeEventRecorder {
    return new KubeEventRecorder({ kubeConfig: kc, reportingInstance: 'atomsync-0', timers, ...options });
  }

  const storedEvents = (): KubeObject[] => kube.store.list('events.k8s.io/v1', 'Event', NAMESPACE);

  it('creates an events.k8s.io/v1 Event about the AtomVersion, with a six-digit eventTime', async () => {
    const action = {
      kind: 'AtomVersionUpdateRequest' as const,
      action: 'APPLY_PENDING' as const,
      runtimeName: 'Prod East Molecule',
      components: ['Atom', 'HTTP Client'],
      requestId: 'req-1',
    };
    expect(await recorder().record(actionEvent(target, action))).toBe('created');

    const [event] = storedEvents();
    expect(event).toMatchObject({
      eventTime: '2026-11-23T10:00:00.123000Z',
      reportingController: 'atomsync.io/controller',
      reportingInstance: 'atomsync-0',
      type: 'Normal',
      reason: 'ApplyPending',
      action: 'Apply',
      note: 'Applying the pending version of Atom, HTTP Client on Prod East Molecule (request req-1)',
      regarding: {
        apiVersion: 'atomsync.io/v1alpha1',
        kind: 'AtomVersion',
        name: 'prod-east',
        namespace: NAMESPACE,
        uid: 'uid-1',
      },
    });
    expect(event?.metadata?.name).toMatch(/^prod-east\.[0-9a-f]+$/);
  });

  it('counts a repeated event in a series on the same object instead of creating new ones', async () => {
    const events = recorder({ seriesIntervalMs: 0 });
    const spec = blockedPinEvent(target, blockedPin);
    expect(await events.record(spec)).toBe('created');
    timers.advance(5_000);
    expect(await events.record(spec)).toBe('updated');
    timers.advance(5_000);
    expect(await events.record(spec)).toBe('updated');

    const stored = storedEvents();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.series).toEqual({ count: 3, lastObservedTime: '2026-11-23T10:00:10.123000Z' });
    expect(stored[0]).toMatchObject({ type: 'Warning', reason: 'InstallBaseLock', action: 'Reconcile' });
  });

  it('bumps the series at most once per interval and carries the count along', async () => {
    const events = recorder({ seriesIntervalMs: 60_000 });
    const spec = blockedPinEvent(target, blockedPin);
    await events.record(spec);
    timers.advance(1_000);
    expect(await events.record(spec)).toBe('counted');
    timers.advance(1_000);
    expect(await events.record(spec)).toBe('counted');
    timers.advance(60_000);
    expect(await events.record(spec)).toBe('updated');
    expect(storedEvents()[0]?.series).toMatchObject({ count: 4 });
    expect(kube.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('starts a new Event when the old one is gone from the server', async () => {
    const events = recorder({ seriesIntervalMs: 0 });
    const spec = blockedPinEvent(target, blockedPin);
    await events.record(spec);
    const first = storedEvents()[0];
    kube.store.delete({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      name: first?.metadata?.name ?? '',
      namespace: NAMESPACE,
    });
    timers.advance(1_000);
    expect(await events.record(spec)).toBe('created');
    expect(storedEvents()).toHaveLength(1);
  });

  it('keeps different events apart', async () => {
    const events = recorder();
    await events.record(blockedPinEvent(target, blockedPin));
    await events.record(blockedPinEvent(target, { ...blockedPin, name: 'Workday Sync' }));
    await events.record(blockedPinEvent({ ...target, name: 'prod-west' }, blockedPin));
    expect(storedEvents()).toHaveLength(3);
  });

  it('reports a failure instead of throwing', async () => {
    const errors: string[] = [];
    const events = recorder({ onError: (message) => errors.push(message) });
    const result = await events.record(
      blockedPinEvent({ ...target, namespace: 'no-such-namespace' }, blockedPin),
    );
    expect(result).toBe('failed');
    expect(errors).toEqual([
      'cannot record event InstallBaseLock for AtomVersion no-such-namespace/prod-east: namespaces "no-such-namespace" not found',
    ]);
  });

  it('shows up in kubectl get events', async () => {
    await recorder().record(blockedPinEvent(target, blockedPin));
    const result = await runKubectl(kube, ['get', 'events.events.k8s.io', '-n', NAMESPACE]);
    expect(result.stdout).toContain('InstallBaseLock');
    expect(result.stdout).toContain('atomversion/prod-east');
  });
});

describe('the events of a reconcile pass', () => {
  it('makes one event per action and one warning per blocked pin', () => {
    const actions = [
      {
        kind: 'AtomVersionUpdateRequest' as const,
        action: 'ROLLBACK' as const,
        runtimeName: 'Staging Atom',
        components: ['Salesforce'],
      },
      {
        kind: 'IntegrationPackPendingUpdateRequest' as const,
        runtimeName: 'Dev Atom',
        components: ['Salesforce to NetSuite'],
      },
    ];
    const inSync: PinStatus = {
      kind: 'runtime',
      name: 'Atom',
      wanted: '26.11.0',
      outcome: 'InSync',
      message: 'ok',
    };
    const events = passEvents(target, actions, [inSync, blockedPin]);
    expect(events.map((e) => [e.type, e.reason, e.action, e.note])).toEqual([
      ['Normal', 'Rollback', 'Rollback', 'Rolling back Salesforce on Staging Atom'],
      [
        'Normal',
        'ApplyPackPending',
        'Apply',
        'Applying the pending update of Salesforce to NetSuite on Dev Atom',
      ],
      [
        'Warning',
        'InstallBaseLock',
        'Reconcile',
        'Salesforce to NetSuite (wants 8): this account already applied update 8 in Staging; it can apply it again on 2026-12-10. What to do: Wait for the release date.',
      ],
    ]);
  });
});
