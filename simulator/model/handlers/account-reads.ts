// The rest of Account Administration's reads: the members of the account's default group, the roles the
// account may assign, its single sign-on settings (none: SSO is off), and the per-group user roles,
// federation ids and custom tracked fields, which the simulated accounts have none of (users get roles per
// account, sign in with API tokens and run no processes to track). Events (process errors, runtime status
// notifications) are none either: no process runs, and the simulated runtimes never go offline unasked.
import type { CallContext, ObjectHandler } from '../port.js';
import { API_ONLY } from '../access.js';
import type { WorldCore } from '../core.js';
import { encodedId } from '../ids.js';
import type { AccountRecord } from '../state.js';
import { defaultGroupId, reachableAccounts } from './account.js';
import { noneListed, readOnlyHandler } from './read-only.js';
import { roleWire } from './role.js';
import { wire } from './wire.js';

/** EventSimpleExpression's properties. */
const EVENT_PROPERTIES = [
  'eventId',
  'accountId',
  'atomId',
  'atomName',
  'eventLevel',
  'eventDate',
  'status',
  'eventType',
  'executionId',
  'title',
  'updateDate',
  'startTime',
  'endTime',
  'errorDocumentCount',
  'inboundDocumentCount',
  'outboundDocumentCount',
  'processName',
  'recordDate',
  'error',
  'environment',
  'classification',
] as const;

export function accountReadHandlers(core: WorldCore): ObjectHandler[] {
  const accounts = (ctx: CallContext) => reachableAccounts(core.state, ctx);
  return [
    readOnlyHandler({
      type: 'AccountGroupAccount',
      readPrivileges: API_ONLY,
      records: accounts,
      toWire: (account: AccountRecord, ctx) => {
        const accountGroupId = defaultGroupId(ctx.accountId);
        return wire('AccountGroupAccount', {
          id: encodedId('', accountGroupId, account.id),
          accountGroupId,
          accountId: account.id,
        });
      },
      queryProperties: ['accountGroupId', 'accountId'],
    }),
    readOnlyHandler({
      type: 'getAssignableRoles',
      readPrivileges: API_ONLY,
      records: (ctx) => [ctx.accountId],
      withoutId: true,
      toWire: (accountId) =>
        wire('Roles', {
          Role: Object.values(core.state.roles)
            .filter((role) => role.accountId === accountId)
            .map(roleWire),
        }),
    }),
    readOnlyHandler({
      type: 'AccountSSOConfig',
      readPrivileges: API_ONLY,
      records: (ctx) => accounts(ctx),
      idOf: (account) => account.id,
      bulk: true,
      toWire: (account) => wire('AccountSSOConfig', { accountId: account.id, enabled: false }),
    }),
    ...(
      [
        ['AccountGroupUserRole', ['accountGroupId', 'userId', 'roleId']],
        ['AccountUserFederation', ['accountId', 'userId', 'federationId']],
        ['CustomTrackedField', []],
        ['Event', EVENT_PROPERTIES],
      ] as const
    ).map(([type, queryProperties]) => noneListed(type, queryProperties, { readPrivileges: API_ONLY })),
  ];
}
