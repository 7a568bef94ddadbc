// Prometheus metrics of the controller, on a registry of its own (not prom-client's global one), so
// several controllers can live in one process (tests, benchmarks).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestEvent } from '../platform/request-counter.js';
import type { ReconcileResultKind } from '../domain/status.js';

/** What the gauges read when Prometheus scrapes. */
export interface MetricsSource {
  queueDepth(): number;
  /** Pins by outcome over every AtomVersion. */
  pinCounts(): Record<string, number>;
  /** Drifted AtomVersions and since when (ms since the epoch). */
  drifted(): { namespace: string; name: string; since: number }[];
  now(): number;
}

export class ControllerMetrics {
  readonly registry = new Registry();
  private source: MetricsSource | undefined;
  private isLeader: () => boolean = () => true;
  private readonly reconciles: Counter<'result'>;
  private readonly reconcileSeconds: Histogram;
  private readonly platformRequests: Counter<'object' | 'verb' | 'code'>;
  private readonly rateLimited: Counter<'account'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'atomsync_' });
    this.reconciles = new Counter({
      name: 'atomsync_reconcile_total',
      help: 'Reconcile passes of AtomVersions, by result (InSync, Changed, Waiting, Blocked, Failed).',
      labelNames: ['result'],
      registers,
    });
    this.reconcileSeconds = new Histogram({
      name: 'atomsync_reconcile_duration_seconds',
      help: 'Duration of one reconcile pass of one AtomVersion.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.platformRequests = new Counter({
      name: 'atomsync_platform_requests_total',
      help: 'HTTP attempts to the platform API, by object, verb and status code (or timeout/network).',
      labelNames: ['object', 'verb', 'code'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'atomsync_platform_rate_limited_total',
      help: 'Platform answers that said the rate limit was exceeded (503 or 429).',
      labelNames: ['account'],
      registers,
    });
    this.registerGauges(registers);
  }

  /** Connects the gauges to the controller's live state. */
  bind(source: MetricsSource): void {
    this.source = source;
  }

  /** Leader election: the gauge reads this (without election, the one process always leads). */
  bindLeader(isLeader: () => boolean): void {
    this.isLeader = isLeader;
  }

  recordReconcile(result: ReconcileResultKind, durationMs: number): void {
    this.reconciles.inc({ result });
    this.reconcileSeconds.observe(durationMs / 1000);
  }

  /** Feed for AtomSphereClient's onRequest hook. */
  recordPlatformRequest(event: RequestEvent): void {
    const code = event.status === undefined ? event.outcome : String(event.status);
    this.platformRequests.inc({ object: event.object, verb: event.verb, code });
    if (event.status === 503 || event.status === 429) this.rateLimited.inc({ account: event.accountId });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private registerGauges(registers: Registry[]): void {
    const source = (): MetricsSource | undefined => this.source;
    const leads = (): boolean => this.isLeader();
    new Gauge({
      name: 'atomsync_leader',
      help: 'Whether this replica holds the leader Lease and reconciles (1) or stands by (0).',
      registers,
      collect() {
        this.set(leads() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'atomsync_workqueue_depth',
      help: 'AtomVersions waiting for a worker.',
      registers,
      collect() {
        this.set(source()?.queueDepth() ?? 0);
      },
    });
    new Gauge({
      name: 'atomsync_pins',
      help: 'Pins by the state the last reconcile found (InSync, ApplyPending, Waiting, Blocked…).',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        for (const [state, count] of Object.entries(source()?.pinCounts() ?? {})) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'atomsync_drift_seconds',
      help: 'How long each drifted AtomVersion has differed from its pins.',
      labelNames: ['namespace', 'name'],
      registers,
      collect() {
        this.reset();
        const live = source();
        if (!live) return;
        const now = live.now();
        for (const item of live.drifted())
          this.set({ namespace: item.namespace, name: item.name }, Math.max(0, (now - item.since) / 1000));
      },
    });
  }
}
