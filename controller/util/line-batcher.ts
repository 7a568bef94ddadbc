// Group commit for an append-only file: every line appended in one turn of the event loop, and every line
// that arrives while a write runs, goes out in one write. Each append's promise settles with the write
// that carried it. Used by the state store's journal and the request journal.

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface LineBatcherOptions {
  /** Writes one batch (lines already ending in "\n"); `count` is how many lines it holds. */
  write: (text: string, count: number) => Promise<void>;
  /** The error each waiter of a failed batch gets. */
  failure: (error: unknown) => Error;
  /** Runs after each batch, written or not (e.g. compaction); its errors are the caller's to handle. */
  afterBatch?: () => Promise<void>;
}

export class LineBatcher {
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private writing?: Promise<void>;

  constructor(private readonly options: LineBatcherOptions) {}

  append(line: string): Promise<void> {
    this.pending.push(line);
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.writing ??= this.writeLoop();
    return written;
  }

  /** True while a batch is being written or waits to be. */
  get busy(): boolean {
    return this.writing !== undefined;
  }

  /** Resolves when every line appended so far has been written (or failed). */
  async idle(): Promise<void> {
    await this.writing;
  }

  private async writeLoop(): Promise<void> {
    // Let every append of this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const lines = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.options.write(lines.join(''), lines.length);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        const failure = this.options.failure(error);
        for (const waiter of waiters) waiter.reject(failure);
      }
      await this.options.afterBatch?.();
    }
    this.writing = undefined;
  }
}
