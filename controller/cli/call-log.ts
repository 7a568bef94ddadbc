// What the CLI says on stderr about platform calls: a line per retry by default, every call with
// --verbose, nothing with --quiet. A RequestEvent holds no credential, so nothing here can leak one.
import type { Writable } from 'node:stream';
import type { RequestEvent } from '../platform/index.js';
import { CliError } from './errors.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export function verbosityOf(flags: { verbose?: boolean; quiet?: boolean }): Verbosity {
  if (flags.verbose && flags.quiet) {
    throw new CliError('--verbose and --quiet contradict each other: pass one of them');
  }
  if (flags.quiet) return 'quiet';
  return flags.verbose ? 'verbose' : 'normal';
}

export class CallLog {
  private readonly lastCall = new Map<string, string>();

  constructor(
    private readonly out: Writable,
    readonly verbosity: Verbosity,
    private readonly aliases: Record<string, string>,
    private readonly maxAttempts: number,
  ) {}

  /** The client's onRequest hook: one event per HTTP attempt. */
  readonly onRequest = (event: RequestEvent): void => {
    const account = this.aliases[event.accountId] ?? event.accountId;
    const call = callLabel(event);
    const result = resultOf(event);
    this.lastCall.set(account, `${account}: ${call} — ${result}, attempt ${event.attempt}`);
    if (this.verbosity === 'verbose') {
      this.write(`${call} ${account} → ${result} in ${Math.round(event.durationMs)} ms`);
    } else if (this.verbosity === 'normal' && event.willRetry) {
      this.write(
        `${call} for ${account}: ${result}; retrying (attempt ${event.attempt + 1} of ${this.maxAttempts})`,
      );
    }
  };

  /** A message for people (warnings, notes); silent with --quiet. */
  note(text: string): void {
    if (this.verbosity !== 'quiet') this.write(text);
  }

  /** The last call each account made, for a deadline that passed. */
  lastCalls(): string[] {
    return Object.values(this.aliases).map(
      (account) => this.lastCall.get(account) ?? `${account}: no answer to its first call yet`,
    );
  }

  private write(text: string): void {
    this.out.write(`atomsync: ${text}\n`);
  }
}

function resultOf(event: RequestEvent): string {
  if (event.status !== undefined) return `HTTP ${event.status}`;
  return event.outcome === 'timeout' ? 'no answer (timeout)' : 'no connection';
}

/** `POST Atom/query`, `POST AtomVersions/bulk`, `GET Atom/…`: the call as the API reference names it. */
function callLabel(event: RequestEvent): string {
  const suffix: Record<RequestEvent['verb'], string> = {
    GET: '/…',
    QUERY: '/query',
    QUERY_MORE: '/queryMore',
    BULK: '/bulk',
    CREATE: '',
    UPDATE: '/…',
    DELETE: '/…',
  };
  return `${event.method} ${event.object}${suffix[event.verb]}`;
}
