// Role CREATE/UPDATE/DELETE and AccountUserRole CREATE/DELETE (ACCOUNT_ADMIN, as the document's required
// privileges say). AccountUserRole CREATE of an unknown user id adds the user to the world, as Boomi does;
// such a user has no API token, so nobody signs in as it. AuditLog: `role` ADD/UPDATE/DELETE and `user`
// UPDATE ROLE, rows of the document's table.
import { SimError, type CallContext } from './port.js';
import { requireAccountAdmin } from './access.js';
import type { WorldCore } from './core.js';
import { encodedId } from './ids.js';
import type { RoleRecord, UserRoleRecord } from './state.js';

function requireRole(core: WorldCore, ctx: CallContext, id: unknown): RoleRecord {
  if (typeof id !== 'string' || id === '') throw new SimError(400, 'roleId is required.');
  const role = core.state.roles[id];
  if (role?.accountId !== ctx.accountId) {
    throw new SimError(404, `Role ${id} does not exist in account ${ctx.accountId}.`);
  }
  return role;
}

function requireOwnAccount(ctx: CallContext, body: Record<string, unknown>): void {
  const accountId = body['accountId'];
  if (accountId !== undefined && accountId !== ctx.accountId) {
    throw new SimError(
      400,
      `accountId ${String(accountId)} does not match the URL's account ${ctx.accountId}.`,
    );
  }
}

/** The fields of a Role body: name, Description, Privileges.Privilege[].name and parentId. */
function readRole(core: WorldCore, ctx: CallContext, body: Record<string, unknown>): Partial<RoleRecord> {
  requireOwnAccount(ctx, body);
  const fields: Partial<RoleRecord> = {};
  const { name, Description, Privileges, parentId } = body;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '')
      throw new SimError(400, 'name must be a non-empty string.');
    fields.name = name;
  }
  if (Description !== undefined) {
    if (typeof Description !== 'string') throw new SimError(400, 'Description must be text.');
    fields.description = Description;
  }
  if (Privileges !== undefined) fields.privileges = readPrivileges(Privileges);
  if (parentId !== undefined) fields.parentId = requireRole(core, ctx, parentId).id;
  return fields;
}

function readPrivileges(value: unknown): string[] {
  const list = (value as { Privilege?: unknown } | null)?.Privilege;
  const items = Array.isArray(list) ? list : [];
  const names = items.map((item: unknown) => (item as { name?: unknown } | null)?.name);
  if (!Array.isArray(list) || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new SimError(400, 'Privileges must be {"Privilege": [{"name": …}, …]} with a name for each.');
  }
  return [...new Set(names as string[])];
}

function requireUniqueName(core: WorldCore, ctx: CallContext, name: string, except?: string): void {
  const taken = Object.values(core.state.roles).some(
    (r) => r.accountId === ctx.accountId && r.name === name && r.id !== except,
  );
  if (taken) throw new SimError(409, `Account ${ctx.accountId} already has a role named "${name}".`);
}

export function createRole(core: WorldCore, ctx: CallContext, body: Record<string, unknown>): RoleRecord {
  requireAccountAdmin(ctx, 'Creating a role');
  const fields = readRole(core, ctx, body);
  if (fields.name === undefined) throw new SimError(400, 'name is required.');
  requireUniqueName(core, ctx, fields.name);
  const role: RoleRecord = {
    id: core.mintId('role'),
    accountId: ctx.accountId,
    name: fields.name,
    description: fields.description ?? '',
    privileges: fields.privileges ?? [],
    ...(fields.parentId !== undefined && { parentId: fields.parentId }),
  };
  core.state.roles[role.id] = role;
  auditRole(core, ctx, role, 'ADD', `Role "${role.name}" added.`);
  return role;
}

export function updateRole(
  core: WorldCore,
  ctx: CallContext,
  id: string,
  body: Record<string, unknown>,
): RoleRecord {
  requireAccountAdmin(ctx, 'Updating a role');
  const role = requireRole(core, ctx, id);
  if (body['id'] !== undefined && body['id'] !== id) {
    throw new SimError(400, `The body's id ${String(body['id'])} does not match the URL's ${id}.`);
  }
  const fields = readRole(core, ctx, body);
  if (fields.parentId === id) throw new SimError(400, 'A role cannot be its own parent.');
  if (fields.name !== undefined) requireUniqueName(core, ctx, fields.name, id);
  Object.assign(role, fields);
  auditRole(core, ctx, role, 'UPDATE', `Role "${role.name}" updated.`);
  return role;
}

export function deleteRole(core: WorldCore, ctx: CallContext, id: string): void {
  requireAccountAdmin(ctx, 'Deleting a role');
  const role = requireRole(core, ctx, id);
  const users = Object.values(core.state.userRoles).filter((ur) => ur.roleId === id);
  const environments = Object.values(core.state.environmentRoles).filter((er) => er.roleId === id);
  if (users.length > 0 || environments.length > 0) {
    throw new SimError(
      409,
      `Role "${role.name}" is given to ${users.length} user(s) and ${environments.length} environment(s); remove those AccountUserRole and EnvironmentRole links first.`,
    );
  }
  delete core.state.roles[id];
  auditRole(core, ctx, role, 'DELETE', `Role "${role.name}" removed.`);
}

function auditRole(
  core: WorldCore,
  ctx: CallContext,
  role: RoleRecord,
  action: string,
  message: string,
): void {
  core.audit({ accountId: ctx.accountId, userId: ctx.userId, type: 'role', action, message });
}

export function createUserRole(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): UserRoleRecord {
  requireAccountAdmin(ctx, 'Giving a user a role');
  requireOwnAccount(ctx, body);
  const { userId, firstName, lastName } = body;
  if (typeof userId !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(userId)) {
    throw new SimError(400, "userId must be the user's e-mail address.");
  }
  const role = requireRole(core, ctx, body['roleId']);
  const id = encodedId('USER_ROLE', ctx.accountId, userId, role.id);
  if (core.state.userRoles[id]) {
    throw new SimError(409, `User ${userId} already has role "${role.name}" in account ${ctx.accountId}.`);
  }
  // Boomi ignores firstName and lastName for a user that exists, and fills defaults for a new one.
  core.state.users[userId] ??= {
    userId,
    token: '',
    firstName: typeof firstName === 'string' ? firstName : 'New',
    lastName: typeof lastName === 'string' ? lastName : 'User',
  };
  const userRole: UserRoleRecord = { id, accountId: ctx.accountId, userId, roleId: role.id };
  core.state.userRoles[id] = userRole;
  auditUserRole(core, ctx, `User ${userId} given role "${role.name}".`);
  return userRole;
}

export function deleteUserRole(core: WorldCore, ctx: CallContext, id: string): void {
  requireAccountAdmin(ctx, 'Taking a role from a user');
  const userRole = core.state.userRoles[id];
  if (userRole?.accountId !== ctx.accountId) {
    throw new SimError(404, `AccountUserRole ${id} does not exist in account ${ctx.accountId}.`);
  }
  delete core.state.userRoles[id];
  const role = core.state.roles[userRole.roleId];
  auditUserRole(core, ctx, `User ${userRole.userId} no longer has role "${role?.name ?? userRole.roleId}".`);
}

function auditUserRole(core: WorldCore, ctx: CallContext, message: string): void {
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'user',
    action: 'UPDATE',
    modifier: 'ROLE',
    message,
  });
}
