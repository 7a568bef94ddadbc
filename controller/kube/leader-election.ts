// Leader election on a coordination.k8s.io/v1 Lease, the way client-go's leaderelection does it:
// - a candidate reads the Lease every retry period (jittered); it takes the Lease when nobody holds it or
//   when the holder's record has not changed for a lease duration, measured on the candidate's own clock
//   from when it saw the record change (so clock skew between replicas does not matter);
// - the leader renews every retry period; if no renewal succeeded for the renew deadline it stops
//   leading at once (before anyone else may take over: renew deadline < lease duration);
// - every write carries the resourceVersion it read (optimistic concurrency): a 409 means somebody else
//   wrote first, and the attempt simply counts as failed;
// - on a clean stop the leader releases the Lease (empty holder), so a standby takes over without waiting.
// acquireTime and renewTime are written as six-digit MicroTime strings.

import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import { describeKubeFailure } from './kube-errors.js';
import { microTime } from './kube-time.js';
import { FIELD_MANAGER } from './kube-object.js';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  /** Namespace of the Lease: atomsync's own. */
  namespace: string;
  /** Name of the Lease. Default `atomsync-leader`. */
  name?: string;
  /** This replica's identity, unique among candidates (the pod name). */
  identity: string;
  /** How long a holder's record is trusted without a change. Default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. Default 10 s. */
  renewDeadlineMs?: number;
  /** Time between attempts. Default 2 s. */
  retryPeriodMs?: number;
  /** A candidate waits retryPeriod × (1 + random × jitterFactor) between attempts. Default 1.2. */
  jitterFactor?: number;
  /** Release the Lease on stop(). Default true. */
  releaseOnStop?: boolean;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  /** The holder changed (this replica included); undefined when the Lease was released. */
  onNewLeader?: (identity: string | undefined) => void;
  /** A read or write failed other than by losing a race; the elector goes on trying. */
  onError?: (message: string) => void;
  timers?: Timers;
  random?: () => number;
  /** Replaces the client-node API (tests). */
  api?: CoordinationV1Api;
}

const DEFAULT_LEASE_NAME = 'atomsync-leader';
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
const DEFAULT_RETRY_PERIOD_MS = 2_000;

interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly name: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private leading = false;
  private started = false;
  private stopped = false;
  private lastRenewAt = 0;
  private observed?: { text: string; record: LeaseRecord; at: number };
  private nextAttempt?: TimerHandle;
  private deadline?: TimerHandle;
  private attempt: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderElectionOptions) {
    this.api = options.api ?? options.kubeConfig.makeApiClient(CoordinationV1Api);
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.name = options.name ?? DEFAULT_LEASE_NAME;
    this.leaseDurationMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (!(this.renewDeadlineMs < this.leaseDurationMs)) {
      throw new RangeError('leader election: the renew deadline must be shorter than the lease duration');
    }
    if (!(this.retryPeriodMs < this.renewDeadlineMs)) {
      throw new RangeError('leader election: the retry period must be shorter than the renew deadline');
    }
  }

  /** Starts campaigning (the first attempt is immediate). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops campaigning; a leader stops leading (onStoppedLeading) and releases the Lease. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimer('nextAttempt');
    this.clearTimer('deadline');
    await this.attempt;
    if (this.leading) this.stopLeading();
    // Also when an attempt that finished during stop() took the Lease without becoming leader here.
    if ((this.options.releaseOnStop ?? true) && this.started) await this.release();
  }

  /** True while this replica holds the Lease and renewed it within the renew deadline. */
  isLeader(): boolean {
    return this.leading && this.timers.now() - this.lastRenewAt < this.renewDeadlineMs;
  }

  /** The holder as last read from the Lease (undefined: nobody, or not read yet). */
  leader(): string | undefined {
    return this.observed?.record.holderIdentity || undefined;
  }

  /** Resolves when no attempt is under way (tests step fake time with it). */
  whenIdle(): Promise<void> {
    return this.attempt;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.nextAttempt = this.timers.setTimeout(() => {
      this.nextAttempt = undefined;
      this.attempt = this.runAttempt();
    }, delayMs);
  }

  private async runAttempt(): Promise<void> {
    const succeeded = await this.tryAcquireOrRenew().catch((error: unknown) => {
      this.options.onError?.(
        `leader election (Lease ${this.options.namespace}/${this.name}): ${describeKubeFailure(error).message}`,
      );
      return false;
    });
    if (this.stopped) return;
    const now = this.timers.now();
    if (succeeded) {
      this.lastRenewAt = now;
      this.armDeadline();
      if (!this.leading) {
        this.leading = true;
        this.call(this.options.onStartedLeading);
      }
      this.schedule(this.retryPeriodMs);
      return;
    }
    if (this.leading && now - this.lastRenewAt >= this.renewDeadlineMs) this.stopLeading();
    this.schedule(this.leading ? this.retryPeriodMs : this.standbyDelay(now));
  }

  /**
   * A jittered retry, but never past the moment the holder's record expires: without that, the jitter
   * could add a whole retry (up to 4.4 s) on top of the lease duration before a standby takes over.
   */
  private standbyDelay(now: number): number {
    const retry = this.jitteredRetry();
    const observed = this.observed;
    if (!observed?.record.holderIdentity || observed.record.holderIdentity === this.options.identity)
      return retry;
    const expiresAt = observed.at + this.trustedMs(observed.record);
    return expiresAt > now ? Math.min(retry, expiresAt - now) : retry;
  }

  /** How long a holder's record is trusted without a change: its own leaseDurationSeconds, else ours. */
  private trustedMs(record: LeaseRecord): number {
    return (record.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
  }

  /** One read and at most one write; true when this replica holds the Lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.timers.now();
    const lease = await this.read();
    if (!lease) return this.create(now);
    const record = recordOf(lease);
    this.observe(record, now);
    const holder = record.holderIdentity;
    const observedAt = this.observed?.at ?? now;
    if (holder && holder !== this.options.identity && observedAt + this.trustedMs(record) > now) return false;
    const renewing = holder === this.options.identity;
    const next: LeaseRecord = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.leaseSeconds(),
      acquireTime: renewing && record.acquireTime ? record.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: renewing ? record.leaseTransitions : record.leaseTransitions + 1,
    };
    return this.replace(lease, next, now);
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name: this.name, namespace: this.options.namespace });
    } catch (error) {
      if (describeKubeFailure(error).statusCode === 404) return undefined;
      throw error;
    }
  }

  private async create(now: number): Promise<boolean> {
    const record: LeaseRecord = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.leaseSeconds(),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      await this.api.createNamespacedLease({
        namespace: this.options.namespace,
        body: { metadata: { name: this.name, namespace: this.options.namespace }, spec: specOf(record) },
        fieldManager: FIELD_MANAGER,
      });
    } catch (error) {
      if (describeKubeFailure(error).statusCode === 409) return false; // another candidate created it first
      throw error;
    }
    this.observe(record, now);
    return true;
  }

  private async replace(lease: V1Lease, record: LeaseRecord, now: number): Promise<boolean> {
    try {
      await this.api.replaceNamespacedLease({
        name: this.name,
        namespace: this.options.namespace,
        body: { ...lease, spec: { ...lease.spec, ...specOf(record) } },
        fieldManager: FIELD_MANAGER,
      });
    } catch (error) {
      if (describeKubeFailure(error).statusCode === 409) return false; // somebody wrote first: try again later
      throw error;
    }
    this.observe(record, now);
    return true;
  }

  /** Empties the holder so a standby may take the Lease at once. */
  private async release(): Promise<void> {
    try {
      const lease = await this.read();
      if (!lease || recordOf(lease).holderIdentity !== this.options.identity) return;
      const now = this.timers.now();
      const released: LeaseRecord = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: recordOf(lease).leaseTransitions,
      };
      await this.replace(lease, released, now);
    } catch (error) {
      this.options.onError?.(
        `leader election: could not release Lease ${this.options.namespace}/${this.name}: ${describeKubeFailure(error).message}`,
      );
    }
  }

  /** Remembers when the record was last seen to change — the clock a takeover is measured on. */
  private observe(record: LeaseRecord, now: number): void {
    const text = JSON.stringify(record);
    if (this.observed?.text === text) return;
    const previousHolder = this.observed?.record.holderIdentity;
    this.observed = { text, record, at: now };
    if (record.holderIdentity !== previousHolder) {
      const holder = record.holderIdentity || undefined;
      this.call(() => this.options.onNewLeader?.(holder));
    }
  }

  private stopLeading(): void {
    this.leading = false;
    this.clearTimer('deadline');
    this.call(this.options.onStoppedLeading);
  }

  private armDeadline(): void {
    this.clearTimer('deadline');
    this.deadline = this.timers.setTimeout(() => {
      this.deadline = undefined;
      if (this.leading && this.timers.now() - this.lastRenewAt >= this.renewDeadlineMs) this.stopLeading();
    }, this.renewDeadlineMs);
  }

  private clearTimer(which: 'nextAttempt' | 'deadline'): void {
    const handle = this[which];
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this[which] = undefined;
  }

  private jitteredRetry(): number {
    const factor = this.options.jitterFactor ?? 1.2;
    return Math.round(this.retryPeriodMs * (1 + Math.min(Math.max(this.random(), 0), 1) * factor));
  }

  private leaseSeconds(): number {
    return Math.max(1, Math.ceil(this.leaseDurationMs / 1000));
  }

  private call(callback: (() => void) | undefined): void {
    try {
      callback?.();
    } catch (error) {
      this.options.onError?.(`leader election callback failed: ${(error as Error).message}`);
    }
  }
}

function recordOf(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    ...(spec.leaseDurationSeconds !== undefined ? { leaseDurationSeconds: spec.leaseDurationSeconds } : {}),
    ...(spec.acquireTime !== undefined ? { acquireTime: wireTime(spec.acquireTime) } : {}),
    ...(spec.renewTime !== undefined ? { renewTime: wireTime(spec.renewTime) } : {}),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** client-node types MicroTime as a Date but hands back the wire string; either way, keep six digits. */
function wireTime(value: unknown): string {
  if (value instanceof Date) return microTime(value.getTime());
  return String(value);
}

/** The Lease spec for a record; MicroTime strings go through client-node's serializer unchanged. */
function specOf(record: LeaseRecord): NonNullable<V1Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    ...(record.leaseDurationSeconds !== undefined
      ? { leaseDurationSeconds: record.leaseDurationSeconds }
      : {}),
    ...(record.acquireTime !== undefined ? { acquireTime: record.acquireTime as unknown as Date } : {}),
    ...(record.renewTime !== undefined ? { renewTime: record.renewTime as unknown as Date } : {}),
    leaseTransitions: record.leaseTransitions,
  };
}
