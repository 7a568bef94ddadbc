// Role and AccountUserRole: readable with the API privilege alone. Fields and query properties of
// AccountUserRole follow Boomi's full OpenAPI (accountId, userId, roleId, firstName, lastName).
import type { ObjectHandler, WireObject } from '../port.js';
import { API_ONLY, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import type { RoleRecord, UserRoleRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function roleWire(r: RoleRecord): WireObject {
  return wire('Role', {
    id: r.id,
    accountId: r.accountId,
    name: r.name,
    Description: r.description,
    Privileges: wire('Privileges', { Privilege: r.privileges.map((name) => wire('Privilege', { name })) }),
  });
}

export function roleHandler(core: WorldCore): ObjectHandler {
  const toWire = roleWire;
  return {
    type: 'Role',
    readPrivileges: API_ONLY,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: { operators: ALL_OPERATORS, properties: { name: field('name'), parentId: field('parentId') } },
    get: (ctx, id) => {
      const role = core.state.roles[id];
      return role?.accountId === ctx.accountId ? toWire(role) : undefined;
    },
    list: (ctx) =>
      Object.values(core.state.roles)
        .filter((r) => r.accountId === ctx.accountId)
        .map(toWire),
  };
}

export function accountUserRoleHandler(core: WorldCore): ObjectHandler {
  const toWire = (ur: UserRoleRecord) => {
    const user = core.state.users[ur.userId];
    return wire('AccountUserRole', {
      id: ur.id,
      accountId: ur.accountId,
      userId: ur.userId,
      roleId: ur.roleId,
      firstName: user?.firstName,
      lastName: user?.lastName,
    });
  };
  return {
    type: 'AccountUserRole',
    readPrivileges: API_ONLY,
    writePrivileges: WRITE_PRIVILEGES,
    query: {
      operators: ALL_OPERATORS,
      properties: { accountId: field('accountId'), userId: field('userId'), roleId: field('roleId') },
    },
    list: (ctx) =>
      Object.values(core.state.userRoles)
        .filter((ur) => ur.accountId === ctx.accountId)
        .map(toWire),
  };
}
