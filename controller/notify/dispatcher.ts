// Delivers the outbox: per receiver, in order, evenly spaced (ratePerMinute), retried with exponential
// backoff and jitter (or the receiver's Retry-After), dropped with a warning after maxAttempts or when the
// receiver refuses it for good. It runs beside reconciling and never waits for it: a receiver that is
// down only grows its own queue.
import type { QueuedDelivery } from './ledger.js';
import type { Notification } from './notifications.js';
import type { DeliveryResult, Receiver } from './receivers/receiver.js';

export interface DispatcherOptions {
  ratePerMinute: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt. Default 1 s. */
  baseBackoffMs?: number;
  /** Default 5 min. */
  maxBackoffMs?: number;
  /** The outbox (persisted by the caller); changed in place. */
  outbox: QueuedDelivery[];
  /** After each change of the outbox or of a receiver's memory. */
  onChange: () => Promise<void>;
  onProblem: (message: string) => void;
  now?: () => number;
  random?: () => number;
}

export class Dispatcher {
  private readonly receivers: Map<string, Receiver>;
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastSent = new Map<string, number>();
  private readonly wakeups = new Set<() => void>();
  private stopped = false;

  constructor(
    receivers: readonly Receiver[],
    private readonly options: DispatcherOptions,
  ) {
    this.receivers = new Map(receivers.map((receiver) => [receiver.name, receiver] as const));
    // Messages for receivers no longer configured cannot be delivered.
    const kept = options.outbox.filter((queued) => this.receivers.has(queued.receiver));
    options.outbox.splice(0, options.outbox.length, ...kept);
  }

  /** Queues the notification for every receiver that asked for its event. */
  enqueue(notifications: readonly Notification[]): void {
    for (const notification of notifications)
      for (const receiver of this.receivers.values())
        if (receiver.events.has(notification.event))
          this.options.outbox.push({ receiver: receiver.name, notification, attempts: 0, notBefore: 0 });
    this.start();
  }

  /** Starts a delivery loop for every receiver with queued messages. */
  start(): void {
    if (this.stopped) return;
    for (const name of new Set(this.options.outbox.map((queued) => queued.receiver))) {
      if (this.running.has(name)) continue;
      const loop = this.drain(name).finally(() => this.running.delete(name));
      this.running.set(name, loop);
    }
  }

  pending(): QueuedDelivery[] {
    return [...this.options.outbox];
  }

  /** Waits until the outbox is empty or `deadline` (epoch ms) passes; returns what is still queued. */
  async flush(deadline: number): Promise<QueuedDelivery[]> {
    this.start();
    while (this.options.outbox.length > 0 && this.now() < deadline && this.running.size > 0) {
      await Promise.race([Promise.all(this.running.values()), sleep(Math.min(100, deadline - this.now()))]);
    }
    return this.pending();
  }

  /** Stops the loops after their current attempt; what is queued stays in the outbox. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakeups) wake();
    await Promise.allSettled(this.running.values());
  }

  private async drain(name: string): Promise<void> {
    const receiver = this.receivers.get(name);
    if (!receiver) return;
    for (;;) {
      const head = this.options.outbox.find((queued) => queued.receiver === name);
      if (!head || this.stopped) return;
      const spacing = 60_000 / this.options.ratePerMinute;
      const readyAt = Math.max(head.notBefore, (this.lastSent.get(name) ?? -Infinity) + spacing);
      if (readyAt > this.now()) {
        await this.wait(readyAt - this.now());
        continue;
      }
      this.lastSent.set(name, this.now());
      await this.attempt(receiver, head);
      await this.options
        .onChange()
        .catch((error: unknown) => this.options.onProblem(`notify: ${String(error)}`));
    }
  }

  private async attempt(receiver: Receiver, queued: QueuedDelivery): Promise<void> {
    const result = await receiver.deliver(queued.notification).catch((error: unknown): DeliveryResult => ({
      ok: false,
      retry: true,
      message: error instanceof Error ? error.message : String(error),
    }));
    if (result.ok) return this.remove(queued);
    queued.attempts += 1;
    queued.lastError = result.message;
    const what = `notify: ${receiver.name} (${receiver.kind}) did not take "${queued.notification.title}"`;
    if (!result.retry || queued.attempts >= this.options.maxAttempts) {
      const why = result.retry ? `gave up after ${queued.attempts} attempts` : 'refused, not retried';
      this.options.onProblem(`${what}: ${result.message}; ${why}`);
      return this.remove(queued);
    }
    const delay = result.retryAfterMs ?? this.backoff(queued.attempts);
    queued.notBefore = this.now() + delay;
    this.options.onProblem(`${what}: ${result.message}; retrying in ${Math.ceil(delay / 1000)}s`);
  }

  private backoff(attempts: number): number {
    const base = this.options.baseBackoffMs ?? 1000;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** (attempts - 1));
    const random = this.options.random ?? Math.random;
    return ceiling / 2 + (random() * ceiling) / 2;
  }

  private remove(queued: QueuedDelivery): void {
    const index = this.options.outbox.indexOf(queued);
    if (index >= 0) this.options.outbox.splice(index, 1);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeups.add(done);
    });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
