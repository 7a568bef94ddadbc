// Account (GET of the own account — the first call of Boomi's SDK README — and of child accounts in the
// partner form; QUERY, bulk), AccountGroup and AccountGroupIntegrationPack (reads). Every account has
// Boomi's default group "All Accounts", holding the integration packs and clouds the account publishes.
import type { CallContext, ObjectHandler, WireObject } from '../port.js';
import { API_ONLY, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { encodedId, uuidFrom } from '../ids.js';
import type { AccountRecord, PackRecord, WorldState } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

const DEFAULT_GROUP = 'All Accounts';

/** The account itself and the accounts it is the partner (parent) of. */
export function reachableAccounts(state: WorldState, ctx: CallContext): AccountRecord[] {
  return Object.values(state.accounts).filter(
    (a) => a.id === ctx.accountId || a.parentAccountId === ctx.accountId,
  );
}

export function accountHandler(core: WorldCore): ObjectHandler {
  const toWire = (account: AccountRecord) =>
    wire('Account', {
      accountId: account.id,
      name: account.name,
      status: 'active',
      // The world begins with its scenario: accounts exist from the clock's start.
      dateCreated: core.state.clock.start,
      widgetAccount: false,
      supportAccess: false,
      supportLevel: 'standard',
      overDeployed: false,
      molecule: wire('Molecule', { purchased: 0, used: moleculesOf(core.state, account.id) }),
    });
  return {
    type: 'Account',
    readPrivileges: API_ONLY,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ALL_OPERATORS,
      // The schema names the properties in capitals, the document's own examples in lower case: both work.
      properties: Object.fromEntries(
        Object.entries({
          accountId: field('accountId'),
          name: field('name'),
          status: field('status'),
          dateCreated: field('dateCreated'),
          expirationDate: field('expirationDate'),
          widgetAccount: field('widgetAccount'),
          overDeployed: field('overDeployed'),
        }).flatMap(([name, reader]) => [
          [name.toUpperCase(), reader],
          [name, reader],
        ]),
      ),
    },
    get: (ctx, id) => {
      const account = reachableAccounts(core.state, ctx).find((a) => a.id === id);
      return account && toWire(account);
    },
    list: (ctx) => reachableAccounts(core.state, ctx).map(toWire),
  };
}

function moleculesOf(state: WorldState, accountId: string): number {
  return Object.values(state.runtimes).filter((r) => r.accountId === accountId && r.type === 'MOLECULE')
    .length;
}

export function defaultGroupId(accountId: string): string {
  return uuidFrom(accountId, 'account-group', DEFAULT_GROUP);
}

function publishedPacks(state: WorldState, accountId: string): PackRecord[] {
  return Object.values(state.packs).filter((p) => p.publisherAccountId === accountId);
}

export function accountGroupHandler(core: WorldCore): ObjectHandler {
  const toWire = (accountId: string): WireObject => {
    const packs = publishedPacks(core.state, accountId).map((p) =>
      wire('Resource', { resourceId: p.id, resourceName: p.name, objectType: 'Integration Pack' }),
    );
    const clouds = Object.values(core.state.clouds)
      .filter((c) => c.ownerAccountId === accountId)
      .map((c) => wire('Resource', { resourceId: c.id, resourceName: c.name, objectType: 'Cloud' }));
    return wire('AccountGroup', {
      id: defaultGroupId(accountId),
      accountId,
      name: DEFAULT_GROUP,
      defaultGroup: true,
      autoSubscribeAlertLevel: 'none',
      Resources: wire('Resources', { Resource: [...packs, ...clouds] }),
    });
  };
  return {
    type: 'AccountGroup',
    readPrivileges: API_ONLY,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ALL_OPERATORS,
      properties: {
        id: field('id'),
        accountId: field('accountId'),
        name: field('name'),
        defaultGroup: field('defaultGroup'),
        autoSubscribeAlertLevel: field('autoSubscribeAlertLevel'),
      },
    },
    get: (ctx, id) => (id === defaultGroupId(ctx.accountId) ? toWire(ctx.accountId) : undefined),
    list: (ctx) => [toWire(ctx.accountId)],
  };
}

export function accountGroupIntegrationPackHandler(core: WorldCore): ObjectHandler {
  const toWire = (groupId: string, pack: PackRecord) =>
    wire('AccountGroupIntegrationPack', {
      id: encodedId('', groupId, pack.id),
      accountGroupId: groupId,
      integrationPackId: pack.id,
      integrationPackName: pack.name,
      installationType: pack.installationType,
    });
  const list = (ctx: CallContext) => {
    const groupId = defaultGroupId(ctx.accountId);
    return publishedPacks(core.state, ctx.accountId).map((pack) => toWire(groupId, pack));
  };
  return {
    type: 'AccountGroupIntegrationPack',
    readPrivileges: API_ONLY,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: { operators: ALL_OPERATORS, properties: { accountGroupId: field('accountGroupId') } },
    get: (ctx, id) => list(ctx).find((item) => item['id'] === id),
    list,
  };
}
