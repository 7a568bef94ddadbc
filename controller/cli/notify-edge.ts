// The notifier of a one-shot command (`apply`): opened from the config's `notify:` section, fed with the
// plan and the requests' endings, flushed for a bounded time before the command exits. What is not
// delivered by then stays in <stateDir>/notify.json and goes out on the next run.
import type { AtomsyncConfig } from '../config/types.js';
import type { Plan } from '../domain/types.js';
import type { ExecutionResult } from '../pipeline/execute-requests.js';
import { Notifier, NotifyConfigError } from '../notify/notifier.js';
import type { EndedRequest } from '../notify/notifications.js';
import { CliError } from './errors.js';

const FLUSH_MS = 15_000;

export async function openCliNotifier(config: AtomsyncConfig): Promise<Notifier | undefined> {
  if (!config.notify || config.notify.receivers.length === 0) return undefined;
  try {
    return await Notifier.open(config.notify, config.stateDir, {
      onProblem: (message) => process.stderr.write(`${message}\n`),
    });
  } catch (error) {
    if (error instanceof NotifyConfigError) throw new CliError(`${config.configFile}: ${error.message}`);
    throw error;
  }
}

/** The plan's AtomVersions, all of them in scope: what is no longer Manual/Blocked/drifted is resolved. */
export function notifyPlan(
  notifier: Notifier | undefined,
  keys: Iterable<string>,
  plan: Plan,
): Promise<void> {
  return notifier ? notifier.planned(keys, plan) : Promise.resolve();
}

export function notifyExecution(notifier: Notifier | undefined, result: ExecutionResult): Promise<void> {
  if (!notifier) return Promise.resolve();
  const sentOrFailed = result.outcomes.filter((o) => !o.error?.startsWith('skipped:'));
  const ended = sentOrFailed.map(({ request, id, status, error }): EndedRequest => ({
    key: request.keys.join(', '),
    accountId: request.accountId,
    runtimeId: request.runtimeId,
    runtimeName: request.runtimeName,
    components: request.components,
    ...(request.action ? { action: request.action } : {}),
    ...(id ? { requestId: id } : {}),
    status: status ?? 'NOT_SENT',
    ...(error !== undefined ? { error } : {}),
  }));
  return notifier.requestsEnded(ended);
}

/** Delivers what is queued within FLUSH_MS and says what is left. */
export async function finishNotifier(notifier: Notifier | undefined): Promise<void> {
  if (!notifier) return;
  const left = await notifier.flush(Date.now() + FLUSH_MS);
  await notifier.close();
  if (left.length > 0)
    process.stderr.write(
      `notify: ${left.length} message(s) not delivered yet; kept in the state folder and sent on the next run.\n`,
    );
}
