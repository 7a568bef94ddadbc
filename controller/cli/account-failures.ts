// An account that cannot be read makes plan and apply fail (exit 1) before anything is sent: a plan
// without it would look clean while saying nothing about it (a nightly drift job green on an expired
// token). One line per account: what failed, then what to do.
import type { PackReleasePlan } from '../domain/plan-pack-releases.js';
import type { Snapshot } from '../domain/types.js';
import { CliError } from './errors.js';

const WHAT_TO_DO: Record<string, string> = {
  ServerError:
    'the platform or a proxy in front of it failed; retry later, and check platform.url if it persists',
  InvalidResponse:
    'the answer is not the platform API’s JSON; check that platform.url points at the AtomSphere API ' +
    '(not a proxy, a login page or another service)',
  NotFound: 'check accountId (and partnerAccountId) of this account in the config',
  BadRequest: 'check accountId (and partnerAccountId) of this account in the config',
  Gone: 'retry; if it persists, report it with --verbose output',
  Conflict: 'retry; if it persists, report it with --verbose output',
};

const OUTCOME = {
  apply: 'nothing was sent. Fix them, or leave them out with --target ACCOUNT',
  plan: 'no plan was made. Fix them, or plan the others with --target ACCOUNT',
  validate: 'the pins were not checked against the platform. Fix them, or validate without --platform',
} as const;

/** Throws, naming every account that could not be read; returns when all could. */
export function failOnUnreadAccounts(snapshot: Snapshot, verb: 'plan' | 'apply' | 'validate'): void {
  const failed = Object.values(snapshot.accounts).filter((account) => account.error !== undefined);
  if (failed.length === 0) return;
  const lines = failed.map((account) => {
    const error = account.error as { code: string; message: string };
    const name = account.alias ? `${account.alias} (${account.accountId})` : account.accountId;
    const advice = WHAT_TO_DO[error.code];
    return `  ${name}: ${oneLine(error.message)}${advice ? ` — ${advice}` : ''}`;
  });
  const outcome = OUTCOME[verb];
  throw new CliError(
    `${failed.length === 1 ? '1 account' : `${failed.length} accounts`} could not be read; ${outcome}:\n` +
      lines.join('\n'),
  );
}

/**
 * The same for the publisher accounts of IntegrationPackReleases (docs/publisher.md): a release whose
 * publisher could not be read is not a plan with nothing to send, it is an error.
 */
export function failOnUnreadPublishers(
  plan: PackReleasePlan,
  verb: 'plan' | 'apply',
  aliases: Record<string, string>,
): void {
  const unread = plan.results.filter((result) => result.reason === 'AccountUnavailable');
  if (unread.length === 0) return;
  const lines = unread.map((result) => {
    const alias = aliases[result.accountId];
    const name = alias ? `${alias} (${result.accountId})` : result.accountId;
    return `  ${result.key}: publisher ${name}: ${oneLine(result.message)}`;
  });
  const what = unread.length === 1 ? '1 release' : `${unread.length} releases`;
  throw new CliError(
    `the publisher account of ${what} could not be read; ${OUTCOME[verb]}:\n${lines.join('\n')}`,
  );
}

/** A platform message may be an HTML error page or span lines: one readable line of it. */
function oneLine(message: string): string {
  const text = message
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/<[^>]*$/, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
