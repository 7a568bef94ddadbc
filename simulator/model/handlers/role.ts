// Role and AccountUserRole: readable with the API privilege alone, written with ACCOUNT_ADMIN (roles.ts). Fields and query properties of
// AccountUserRole follow Boomi's full OpenAPI (accountId, userId, roleId, firstName, lastName).
import type { ObjectHandler, WireObject } from '../port.js';
import { ACCOUNT_ADMIN_PRIVILEGES, API_ONLY } from '../access.js';
import { createRole, createUserRole, deleteRole, deleteUserRole, updateRole } from '../roles.js';
import type { WorldCore } from '../core.js';
import type { RoleRecord, UserRoleRecord } from '../state.js';
import { ALL_OPERATORS, field, wire } from './wire.js';

export function roleWire(r: RoleRecord): WireObject {
  return wire('Role', {
    id: r.id,
    accountId: r.accountId,
    name: r.name,
    parentId: r.parentId,
    Description: r.description,
    Privileges: wire('Privileges', { Privilege: r.privileges.map((name) => wire('Privilege', { name })) }),
  });
}

export function roleHandler(core: WorldCore): ObjectHandler {
  const toWire = roleWire;
  return {
    type: 'Role',
    readPrivileges: API_ONLY,
    writePrivileges: ACCOUNT_ADMIN_PRIVILEGES,
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
    create: (ctx, body) => ({ status: 200, body: toWire(createRole(core, ctx, body)) }),
    update: (ctx, id, body) => toWire(updateRole(core, ctx, id, body)),
    delete: (ctx, id) => deleteRole(core, ctx, id),
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
    writePrivileges: ACCOUNT_ADMIN_PRIVILEGES,
    query: {
      operators: ALL_OPERATORS,
      properties: { accountId: field('accountId'), userId: field('userId'), roleId: field('roleId') },
    },
    list: (ctx) =>
      Object.values(core.state.userRoles)
        .filter((ur) => ur.accountId === ctx.accountId)
        .map(toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(createUserRole(core, ctx, body)) }),
    delete: (ctx, id) => deleteUserRole(core, ctx, id),
  };
}
