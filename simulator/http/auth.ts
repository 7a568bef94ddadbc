// R15: HTTP Basic credentials `BOOMI_TOKEN.<userId>` / API token, the account the call acts on (partner
// form included), and the privileges an operation needs. Tokens never appear in messages.
import { SimError, type CallContext, type SimUser, type WorldPort } from '../model/port.js';

export const API_PRIVILEGE = 'API';
const TOKEN_USER_PREFIX = 'BOOMI_TOKEN.';

export interface BasicCredentials {
  username: string;
  password: string;
}

function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The authenticated user, or a 401. */
export function authenticate(model: WorldPort, authorization: string | undefined): SimUser {
  const credentials = parseBasicAuth(authorization);
  if (!credentials) {
    throw new SimError(
      401,
      'Authentication required: send HTTP Basic credentials BOOMI_TOKEN.<user> and an API token.',
    );
  }
  if (!credentials.username.startsWith(TOKEN_USER_PREFIX)) {
    throw new SimError(
      401,
      'The user name must have the form BOOMI_TOKEN.<user> when authenticating with an API token.',
    );
  }
  const userId = credentials.username.slice(TOKEN_USER_PREFIX.length);
  const user = model.authenticate(userId, credentials.password);
  if (!user) throw new SimError(401, `Invalid credentials for ${credentials.username}.`);
  return user;
}

export interface AccountTarget {
  /** The account in the URL (the parent in the partner form). */
  urlAccountId: string;
  /** overrideAccount, in the partner form only. */
  overrideAccountId?: string;
  partner: boolean;
}

/**
 * Resolves the acting account and its privileges. As on Boomi, a URL naming an account the caller cannot
 * reach (another tenant's, or none at all) is 403, so the answer does not tell which accounts exist; an
 * unknown overrideAccount is 404, 403 if the partner may not act on it.
 */
export function resolveCallContext(model: WorldPort, user: SimUser, target: AccountTarget): CallContext {
  requireReach(model, user, target.urlAccountId);
  const accountId = target.overrideAccountId ?? target.urlAccountId;
  if (accountId !== target.urlAccountId) {
    requireAccount(model, accountId);
    if (!model.isPartnerOf(target.urlAccountId, accountId)) {
      throw new SimError(403, `Account ${target.urlAccountId} is not a partner of account ${accountId}.`);
    }
    const urlPrivileges = new Set(model.privileges(user.userId, target.urlAccountId));
    requirePrivilege(urlPrivileges, [API_PRIVILEGE], 'The partner API', target.urlAccountId);
  }
  return { accountId, userId: user.userId, privileges: new Set(model.privileges(user.userId, accountId)) };
}

const ACCESS_DENIED = 'Access denied due to insufficient permissions.';

function requireReach(model: WorldPort, user: SimUser, accountId: string): void {
  if (model.accountExists(accountId) && model.privileges(user.userId, accountId).length > 0) return;
  throw new SimError(403, `${ACCESS_DENIED} User ${user.userId} has no access to account ${accountId}.`);
}

function requireAccount(model: WorldPort, accountId: string): void {
  if (!model.accountExists(accountId)) throw new SimError(404, `Account ${accountId} does not exist.`);
}

/** 403 unless `held` contains one of `anyOf` (an empty list needs nothing). */
export function requirePrivilege(
  held: ReadonlySet<string>,
  anyOf: readonly string[],
  operation: string,
  accountId: string,
): void {
  if (anyOf.length === 0 || anyOf.some((p) => held.has(p))) return;
  const names =
    anyOf.length === 1 ? `the ${anyOf[0]} privilege` : `one of the ${anyOf.join(' or ')} privileges`;
  throw new SimError(403, `${operation} requires ${names} in account ${accountId}.`);
}
