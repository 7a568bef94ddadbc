// Keeps the dashboard's latest FleetView and tells subscribers (the event stream) when it changed.
// It observes and plans on an interval; with `onlyWhileWatched` (inside `atomsync run`, whose controller
// already reads the platform) it reads only while a browser holds the event stream open or a page was
// asked for recently, so an unwatched dashboard costs no platform calls.
import type { FleetView } from './fleet-view.js';

export interface FleetFeedOptions {
  observe: () => Promise<FleetView>;
  intervalMs: number;
  onlyWhileWatched?: boolean;
  /** Called when an observation fails (the previous view stays on the page with the error). */
  onError?: (message: string) => void;
}

type Listener = (version: number) => void;

export class FleetFeed {
  private view?: FleetView;
  private fingerprint = '';
  private versionNumber = 0;
  private lastError?: string;
  private readonly listeners = new Set<Listener>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastViewedAt = 0;
  private stopped = false;

  constructor(private readonly options: FleetFeedOptions) {}

  get version(): number {
    return this.versionNumber;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  current(): FleetView | undefined {
    return this.view;
  }

  /** The latest view, observing first when there is none yet (the first page view). */
  async viewed(): Promise<FleetView | undefined> {
    this.lastViewedAt = Date.now();
    if (!this.view) await this.refresh();
    return this.view;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Observes now (concurrent callers share one observation). */
  refresh(): Promise<void> {
    this.running ??= this.observeOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async observeOnce(): Promise<void> {
    try {
      const view = await this.options.observe();
      this.lastError = undefined;
      this.publish(view);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.lastError) this.options.onError?.(message);
      this.lastError = message;
      this.bump();
    }
  }

  private publish(view: FleetView): void {
    const fingerprint = JSON.stringify([view.rows, view.waves, view.accountErrors]);
    this.view = view;
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.bump();
  }

  private bump(): void {
    this.versionNumber += 1;
    for (const listener of this.listeners) listener(this.versionNumber);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick();
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.watched()) await this.refresh();
    this.schedule(this.options.intervalMs);
  }

  private watched(): boolean {
    if (!this.options.onlyWhileWatched) return true;
    return this.listeners.size > 0 || Date.now() - this.lastViewedAt < this.options.intervalMs * 2;
  }
}
