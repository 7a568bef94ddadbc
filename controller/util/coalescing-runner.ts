// Runs an async task one at a time. A request while it runs schedules exactly one more run afterwards
// (any number of requests in the meantime share it), so the last request is always followed by a run
// that started after it.

export class CoalescingRunner {
  private current?: Promise<void>;
  private queued?: Promise<void>;

  constructor(private readonly task: () => Promise<void>) {}

  /** Resolves when a run that started after this call has finished. Never rejects. */
  run(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.current) {
      this.queued = this.current.then(() => {
        this.queued = undefined;
        return this.run();
      });
      return this.queued;
    }
    this.current = this.task()
      .catch(() => undefined)
      .finally(() => {
        this.current = undefined;
      });
    return this.current;
  }

  /** Resolves when nothing runs or waits to run. */
  async idle(): Promise<void> {
    while (this.current || this.queued) await (this.queued ?? this.current);
  }
}
