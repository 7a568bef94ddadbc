// The notify edge of `run` and `apply`: each plan is turned into tracked items (notifications.ts), compared
// with what was announced before (ledger.ts), and only the changes are queued for the receivers that asked
// for them (dispatcher.ts). Nothing here throws into reconciling: problems are reported through onProblem.
import type { NotifyConfig, ReceiverConfig } from '../config/types.js';
import type { Plan } from '../domain/types.js';
import { Dispatcher } from './dispatcher.js';
import { NotifyLedger, type QueuedDelivery } from './ledger.js';
import {
  diffItems,
  requestNotification,
  trackedItems,
  type EndedRequest,
  type Notification,
} from './notifications.js';
import { githubIssuesReceiver } from './receivers/github-issues.js';
import type { Receiver } from './receivers/receiver.js';
import { slackReceiver } from './receivers/slack.js';
import { webhookReceiver } from './receivers/webhook.js';

type Env = Record<string, string | undefined>;

export interface NotifierOptions {
  env?: Env;
  onProblem?: (message: string) => void;
  /** Called with every secret read (the log scrubber). */
  onSecret?: (secret: string) => void;
  now?: () => Date;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/** A receiver's secret is missing: the config promises a receiver atomsync cannot reach. */
export class NotifyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyConfigError';
  }
}

export class Notifier {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ledger: NotifyLedger,
    private readonly dispatcher: Dispatcher,
    private readonly options: NotifierOptions,
  ) {}

  static async open(
    config: NotifyConfig,
    stateDir: string,
    options: NotifierOptions = {},
  ): Promise<Notifier> {
    const env = options.env ?? process.env;
    const ledger = await NotifyLedger.open(stateDir);
    const receivers = config.receivers.map((receiver, index) =>
      createReceiver(receiver, index, env, ledger, options.onSecret),
    );
    const onProblem = options.onProblem ?? (() => undefined);
    if (ledger.problem) onProblem(ledger.problem);
    const dispatcher = new Dispatcher(receivers, {
      ratePerMinute: config.ratePerMinute,
      maxAttempts: config.maxAttempts,
      ...(options.baseBackoffMs !== undefined ? { baseBackoffMs: options.baseBackoffMs } : {}),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
      outbox: ledger.outbox,
      onChange: () => {
        ledger.touch();
        return ledger.save();
      },
      onProblem,
    });
    const notifier = new Notifier(ledger, dispatcher, { ...options, onProblem });
    dispatcher.start();
    return notifier;
  }

  /** A plan of the AtomVersions `keys`: announce what opened, changed or ended since the last one. */
  planned(keys: Iterable<string>, plan: Plan): Promise<void> {
    const scope = new Set(keys);
    return this.serialized(() => {
      const now = trackedItems(plan).filter((item) => scope.has(item.subject.key));
      const before = this.ledger.itemsOf(scope);
      const messages = diffItems(before, now, plan.pins, this.now());
      this.ledger.replaceItems(scope, now);
      return messages;
    });
  }

  /** Requests that ended (or could not be sent): Applied or RequestFailed, once per request. */
  requestsEnded(requests: readonly EndedRequest[]): Promise<void> {
    return this.serialized(() =>
      requests
        .map((request) => requestNotification(request, this.now()))
        .filter((n): n is Notification => n !== undefined && this.ledger.firstTime(n.id)),
    );
  }

  /** Waits (until `deadline`, epoch ms) for the outbox to empty; returns what could not be delivered yet. */
  async flush(deadline: number): Promise<QueuedDelivery[]> {
    await this.queue;
    const left = await this.dispatcher.flush(deadline);
    await this.ledger.save().catch((error: unknown) => this.problem(error));
    return left;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.dispatcher.stop();
    await this.ledger.save().catch((error: unknown) => this.problem(error));
  }

  private serialized(step: () => Notification[]): Promise<void> {
    const run = this.queue.then(async () => {
      const messages = step();
      this.dispatcher.enqueue(messages);
      await this.ledger.save();
    });
    this.queue = run.catch((error: unknown) => this.problem(error));
    return this.queue;
  }

  private problem(error: unknown): void {
    this.options.onProblem?.(`notify: ${error instanceof Error ? error.message : String(error)}`);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

function createReceiver(
  config: ReceiverConfig,
  index: number,
  env: Env,
  ledger: NotifyLedger,
  onSecret: ((secret: string) => void) | undefined,
): Receiver {
  const secret = (variable: string, field: string): string => {
    const value = env[variable]?.trim();
    if (!value)
      throw new NotifyConfigError(
        `notify.receivers[${index}] (${config.name}): environment variable ${variable} (${field}) is ${value === undefined ? 'not set' : 'empty'}`,
      );
    onSecret?.(value);
    return value;
  };
  switch (config.kind) {
    case 'webhook':
      return webhookReceiver({
        name: config.name,
        url: config.url,
        events: config.events,
        ...(config.secretEnv ? { secret: secret(config.secretEnv, 'secretEnv') } : {}),
      });
    case 'slack':
      return slackReceiver({
        name: config.name,
        url: config.urlEnv ? secret(config.urlEnv, 'urlEnv') : (config.url ?? ''),
        events: config.events,
      });
    case 'github':
      return githubIssuesReceiver({
        name: config.name,
        apiUrl: config.apiUrl,
        repository: config.repository,
        token: secret(config.tokenEnv, 'tokenEnv'),
        labels: config.labels,
        memory: ledger.memory(config.name),
      });
  }
}
