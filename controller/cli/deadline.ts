// One deadline for a whole command (--timeout): every platform call, retry wait and apply wait shares it.
// When it passes, in-flight calls are aborted and the command fails with what it was still doing.
import { setTimeout as delay } from 'node:timers/promises';
import { durationFlag } from './duration-flag.js';
import { CliError } from './errors.js';

export class CommandDeadline {
  readonly expiresAt: number;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly verb: string,
    readonly limitText: string,
    limitMs: number,
  ) {
    this.expiresAt = Date.now() + limitMs;
  }

  /** `--timeout` as given: a positive duration such as 90s, 10m, 1h30m. */
  static fromFlag(verb: string, value: string): CommandDeadline {
    return new CommandDeadline(verb, value, durationFlag('--timeout', value));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** fetch that also stops when the deadline passes. */
  readonly fetch: typeof fetch = (input, init) => {
    const own = init?.signal;
    const signal = own ? AbortSignal.any([own, this.signal]) : this.signal;
    return fetch(input, { ...init, signal });
  };

  /** A wait (retry backoff, rate limit) that ends early when the deadline passes. */
  readonly sleep = async (ms: number): Promise<void> => {
    if (this.signal.aborted) return;
    await delay(ms, undefined, { signal: this.signal }).catch(() => undefined);
  };

  /**
   * Runs the command's work under the deadline. `stillDoing` says, when it passes, what the command was
   * waiting for (the last call of each account), so the error names it.
   */
  async run<T>(work: () => Promise<T>, stillDoing: () => string[] = () => []): Promise<T> {
    const expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(
        () => {
          this.controller.abort();
          reject(this.expiredError(stillDoing()));
        },
        Math.max(0, this.expiresAt - Date.now()),
      );
      this.timer.unref();
    });
    try {
      return await Promise.race([work(), expired]);
    } finally {
      clearTimeout(this.timer);
    }
  }

  private expiredError(stillDoing: string[]): CliError {
    const lines = stillDoing.map((line) => `\n  ${line}`).join('');
    return new CliError(
      `${this.verb} did not finish within ${this.limitText} (--timeout); it was stopped` +
        (lines === '' ? '' : `. Last platform call per account:${lines}`) +
        `\n  Pass a longer --timeout, or lower platform.timeoutSeconds so a silent platform fails sooner.`,
    );
  }
}
