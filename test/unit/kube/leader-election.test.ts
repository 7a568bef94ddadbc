import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaderElector, type LeaderElectionOptions } from '../../../controller/kube/leader-election.js';
import type { TimerHandle, Timers } from '../../../controller/util/timers.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { FakeTimers } from '../reconciler/fake-timers.js';
import { startKube, waitUntil } from './kube-test-support.js';

const LEASE_NAMESPACE = 'atomsync';
const leaseRef = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  name: 'atomsync-leader',
  namespace: LEASE_NAMESPACE,
};

/** One replica's view of the shared fake clock; freeze() makes it hang (it never runs again). */
class ReplicaTimers implements Timers {
  private frozen = false;
  constructor(private readonly clock: FakeTimers) {}
  now(): number {
    return this.clock.now();
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.clock.setTimeout(() => {
      if (!this.frozen) callback();
    }, ms);
  }
  clearTimeout(handle: TimerHandle): void {
    this.clock.clearTimeout(handle);
  }
  freeze(): void {
    this.frozen = true;
  }
}

interface Replica {
  id: string;
  elector: LeaderElector;
  timers: ReplicaTimers;
  started: number[];
  stopped: number[];
  errors: string[];
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

describe('leader election on a Lease (fake clock, real API server)', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let clock: FakeTimers;
  let replicas: Replica[];

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
    clock = new FakeTimers(Date.parse('2026-11-23T10:00:00Z'));
    replicas = [];
  });

  afterEach(async () => {
    for (const replica of replicas) {
      const stopping = replica.elector.stop();
      clock.advance(0);
      await stopping;
    }
    await kube.close();
  });

  function replica(id: string, options: Partial<LeaderElectionOptions> = {}): Replica {
    const timers = new ReplicaTimers(clock);
    const r: Replica = { id, timers, started: [], stopped: [], errors: [], elector: undefined as never };
    r.elector = new LeaderElector({
      kubeConfig: kc,
      namespace: LEASE_NAMESPACE,
      identity: id,
      timers,
      random: () => 0,
      onStartedLeading: () => r.started.push(clock.now()),
      onStoppedLeading: () => r.stopped.push(clock.now()),
      onError: (message) => r.errors.push(message),
      ...options,
    });
    replicas.push(r);
    return r;
  }

  /** Moves the shared clock in small steps, letting every attempt finish before the next step. */
  async function runFor(ms: number, check?: () => void, stepMs = 100): Promise<void> {
    for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
      clock.advance(stepMs);
      await Promise.all(replicas.map((r) => r.elector.whenIdle()));
      check?.();
    }
  }

  const leaders = (): string[] => replicas.filter((r) => r.elector.isLeader()).map((r) => r.id);
  const lease = (): LeaseSpec => (kube.store.get(leaseRef)?.spec ?? {}) as LeaseSpec;
  const neverTwoLeaders = (): void => expect(leaders().length).toBeLessThanOrEqual(1);

  it('of two candidates exactly one leads, and the Lease names it with MicroTime timestamps', async () => {
    const a = replica('pod-a');
    const b = replica('pod-b');
    a.elector.start();
    b.elector.start();
    await runFor(100);
    await runFor(30_000, () => expect(leaders()).toHaveLength(1));

    const [leader] = leaders();
    expect(lease()).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(lease().renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(lease().acquireTime).toBe('2026-11-23T10:00:00.000000Z');
    expect(a.elector.leader()).toBe(leader);
    expect(b.elector.leader()).toBe(leader);
    expect([...a.started, ...b.started]).toHaveLength(1);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('a standby takes over within the lease duration (plus retries) after the leader stops renewing', async () => {
    const a = replica('pod-a');
    a.elector.start();
    await runFor(100);
    const b = replica('pod-b');
    b.elector.start();
    await runFor(5_000);
    expect(leaders()).toEqual(['pod-a']);

    a.timers.freeze(); // the leader hangs: no more renewals
    const lastRenew = Date.parse(lease().renewTime ?? '');
    await runFor(25_000, neverTwoLeaders);

    expect(leaders()).toEqual(['pod-b']);
    const takeover = b.started[0] ?? Number.NaN;
    const leaseMs = 15_000;
    const retryMs = 2_000;
    expect(takeover - lastRenew).toBeGreaterThanOrEqual(leaseMs);
    expect(takeover - lastRenew).toBeLessThanOrEqual(leaseMs + 2 * retryMs);
    expect(lease()).toMatchObject({ holderIdentity: 'pod-b', leaseTransitions: 1 });
    expect(Date.parse(lease().acquireTime ?? '')).toBe(takeover);
  });

  it('a leader that stops cleanly releases the Lease and a standby takes it at its next attempt', async () => {
    const a = replica('pod-a');
    a.elector.start();
    await runFor(100);
    const b = replica('pod-b');
    b.elector.start();
    await runFor(3_000);

    const stopping = a.elector.stop();
    clock.advance(0);
    await stopping;
    const releasedAt = clock.now();
    expect(a.stopped).toEqual([releasedAt]);
    expect(lease().holderIdentity).toBe('');

    await runFor(2_500, neverTwoLeaders);
    expect(leaders()).toEqual(['pod-b']);
    expect((b.started[0] ?? Number.NaN) - releasedAt).toBeLessThanOrEqual(2_000);
  });

  it('a leader that cannot renew stops leading within the renew deadline', async () => {
    const a = replica('pod-a');
    a.elector.start();
    await runFor(100);
    const startedAt = clock.now();
    kube.store.patch(leaseRef, {
      spec: { holderIdentity: 'intruder', renewTime: '2026-11-23T10:00:00.100000Z' },
    });

    await runFor(12_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.stopped).toHaveLength(1);
    expect((a.stopped[0] ?? Number.NaN) - startedAt).toBeLessThanOrEqual(10_000);
  });

  it('two candidates racing for a free Lease: one write wins, the other gets 409 and stays standby', async () => {
    kube.store.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'atomsync-leader', namespace: LEASE_NAMESPACE },
      spec: { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 4 },
    });
    const a = replica('pod-a');
    const b = replica('pod-b');
    a.elector.start();
    b.elector.start();
    await runFor(100);

    expect(leaders()).toHaveLength(1);
    const conflicts = kube.requests.filter(
      (r) => r.method === 'PUT' && r.path.endsWith('/leases/atomsync-leader'),
    );
    expect(conflicts).toHaveLength(2);
    expect(lease().leaseTransitions).toBe(5);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('refuses timings where the renew deadline is not shorter than the lease', () => {
    expect(() => replica('x', { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(
      'the renew deadline must be shorter than the lease duration',
    );
  });
});

describe('leader election with real timers (1.5 s lease, 1 s deadline, 0.2 s retry)', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  const electors: LeaderElector[] = [];

  beforeEach(async () => {
    ({ kube, kc } = await startKube());
  });

  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop()));
    await kube.close();
  });

  function elector(identity: string): LeaderElector {
    const created = new LeaderElector({
      kubeConfig: kc,
      namespace: LEASE_NAMESPACE,
      identity,
      leaseDurationMs: 1_500,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 200,
    });
    electors.push(created);
    return created;
  }

  it('hands leadership over when the leader shuts down', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    a.start();
    b.start();
    await waitUntil(() => a.isLeader() || b.isLeader());
    const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
    expect(standby.isLeader()).toBe(false);

    await leader.stop();
    await waitUntil(() => standby.isLeader());
    expect(leader.isLeader()).toBe(false);
  });
});
