// Rules of atomsync.yaml that span several fields: exactly one platform, credentials from exactly one
// place, tenancy naming configured accounts, windows that are real cron schedules.

import type { PathSegment } from '../schema/atomversion-schema.js';
import type { MaintenanceWindow } from '../domain/types.js';
import { checkWindows } from '../sources/window-checks.js';

export type RuleCode = 'Conflict' | 'MissingField' | 'UnknownAccount' | 'InvalidValue';

export interface RuleIssue {
  segments: PathSegment[];
  message: string;
  code: RuleCode;
}

interface CredentialFields {
  username?: unknown;
  usernameEnv?: unknown;
  tokenEnv?: unknown;
  tokenFile?: unknown;
}

type Data = Record<string, unknown>;

function record(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Checks the cross-field rules. It runs on the raw document too (even when the schema found problems),
 * so one pass reports everything; parts of the wrong shape are simply not looked at here.
 */
export function checkConfigRules(config: unknown, windowsValid: boolean): RuleIssue[] {
  const data = record(config);
  const accounts = record(data.accounts);
  return [
    ...platformRules(record(data.platform)),
    ...Object.entries(accounts).flatMap(([alias, account]) => accountRules(alias, record(account))),
    ...list(data.sources).flatMap((source, index) => gitAuthRules(record(source), index)),
    ...tenancyRules(accounts, record(record(data.tenancy).namespaces)),
    ...(windowsValid ? windowRules(list(data.defaultWindows) as MaintenanceWindow[]) : []),
    ...receiverRules(list(record(data.notify).receivers)),
  ];
}

/** Receiver names are unique (they key the delivery state); a Slack URL comes from one place. */
function receiverRules(receivers: unknown[]): RuleIssue[] {
  const seen = new Set<unknown>();
  return receivers.flatMap((raw, index): RuleIssue[] => {
    const receiver = record(raw);
    const at: PathSegment[] = ['notify', 'receivers', index];
    const issues: RuleIssue[] = [];
    if (typeof receiver.name === 'string' && seen.has(receiver.name))
      issues.push({
        segments: [...at, 'name'],
        message: `another receiver is already named '${receiver.name}'; give each receiver its own name`,
        code: 'Conflict',
      });
    seen.add(receiver.name);
    if (receiver.kind === 'slack') issues.push(...slackUrlRule(receiver, at));
    return issues;
  });
}

function slackUrlRule(receiver: Data, at: PathSegment[]): RuleIssue[] {
  if (receiver.url === undefined && receiver.urlEnv === undefined) {
    const message = 'set urlEnv (the environment variable holding the Slack incoming-webhook URL) or url';
    return [{ segments: at, message, code: 'MissingField' }];
  }
  if (receiver.url !== undefined && receiver.urlEnv !== undefined)
    return [{ segments: [...at, 'urlEnv'], message: 'set either url or urlEnv, not both', code: 'Conflict' }];
  return [];
}

function windowRules(windows: MaintenanceWindow[]): RuleIssue[] {
  return checkWindows(windows, ['defaultWindows']).map((issue) => ({
    ...issue,
    code: 'InvalidValue' as const,
  }));
}

function platformRules(platform: Data): RuleIssue[] {
  if (platform.embedded !== undefined && platform.url !== undefined) {
    const message = 'set either embedded (the built-in simulator) or url (a platform API), not both';
    return [{ segments: ['platform', 'url'], message, code: 'Conflict' }];
  }
  if (platform.embedded === undefined && platform.url === undefined) {
    const message =
      'set embedded: { scenario: … } (the built-in simulator) or url: https://… (a platform API)';
    return [{ segments: ['platform'], message, code: 'MissingField' }];
  }
  return [];
}

function accountRules(alias: string, account: Data): RuleIssue[] {
  const at: PathSegment[] = ['accounts', alias];
  return [
    ...exactlyOne(
      account,
      at,
      'username',
      'usernameEnv',
      'the user name, e.g. BOOMI_TOKEN.admin@example.com',
    ),
    // An inline token is already reported (with the fix); asking for tokenEnv/tokenFile too would repeat it.
    ...(hasInlineSecret(account)
      ? []
      : exactlyOne(account, at, 'tokenEnv', 'tokenFile', 'where the API token is read from')),
  ];
}

function hasInlineSecret(fields: Data): boolean {
  return ['token', 'password', 'apiToken'].some((field) => field in fields);
}

function gitAuthRules(source: Data, index: number): RuleIssue[] {
  if (source.kind !== 'git' || source.auth === undefined) return [];
  const auth = record(source.auth);
  const at: PathSegment[] = ['sources', index, 'auth'];
  return [
    ...atMostOne(auth, at, 'username', 'usernameEnv'),
    ...(hasInlineSecret(auth)
      ? []
      : exactlyOne(auth, at, 'tokenEnv', 'tokenFile', 'where the git token is read from')),
  ];
}

function exactlyOne(
  fields: CredentialFields,
  at: PathSegment[],
  a: keyof CredentialFields,
  b: keyof CredentialFields,
  what: string,
): RuleIssue[] {
  if (fields[a] === undefined && fields[b] === undefined) {
    return [{ segments: at, message: `set ${a} or ${b} (${what})`, code: 'MissingField' }];
  }
  return atMostOne(fields, at, a, b);
}

function atMostOne(
  fields: CredentialFields,
  at: PathSegment[],
  a: keyof CredentialFields,
  b: keyof CredentialFields,
): RuleIssue[] {
  if (fields[a] === undefined || fields[b] === undefined) return [];
  return [{ segments: [...at, b], message: `set either ${a} or ${b}, not both`, code: 'Conflict' }];
}

function tenancyRules(accounts: Data, namespaces: Data): RuleIssue[] {
  const known = new Set(
    Object.entries(accounts).flatMap(([alias, a]) => [alias, String(record(a).accountId)]),
  );
  const aliases = Object.keys(accounts).join(', ');
  return Object.entries(namespaces).flatMap(([namespace, targets]) =>
    list(targets).flatMap((account, index) =>
      typeof account !== 'string' || known.has(account)
        ? []
        : [
            {
              segments: ['tenancy', 'namespaces', namespace, index],
              message: `unknown account '${account}' (configured: ${aliases})`,
              code: 'UnknownAccount' as const,
            },
          ],
    ),
  );
}
