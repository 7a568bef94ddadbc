// Who the credential is and what it may do in an account: the privileges of the user's roles (R15).
import type { Principal } from '../domain/types.js';
import type { AtomSphereClient } from './client.js';
import { ACCOUNT_USER_ROLE, ROLE } from './answer-shapes.js';
import { equals } from './query-expression.js';
import type { AccountUserRole, Role } from './wire.js';

/** Roles inherit from their parent role; chains longer than this are cut (and cycles are skipped). */
const MAX_ROLE_DEPTH = 5;

/**
 * QUERY AccountUserRole by userId, then one bulk GET of the user's roles; privileges are the union of
 * `Role.Privileges.Privilege[].name`. Parent roles (`parentId`) not already read cost one more bulk GET
 * per level. Roles the platform cannot return are skipped. Privileges come back sorted.
 */
export async function readPrincipal(
  client: AtomSphereClient,
  userId: string = client.userId,
): Promise<Principal> {
  const assignments = await client.queryAll<AccountUserRole>(
    'AccountUserRole',
    equals('userId', userId),
    ACCOUNT_USER_ROLE,
  );
  const privileges = new Set<string>();
  const seen = new Set<string>();
  let roleIds = distinct(assignments.map((assignment) => assignment.roleId));
  for (let depth = 0; roleIds.length > 0 && depth < MAX_ROLE_DEPTH; depth++) {
    roleIds.forEach((id) => seen.add(id));
    const { items } = await client.bulkGet<Role>('Role', roleIds, ROLE);
    const parents: string[] = [];
    for (const role of items.values()) {
      for (const privilege of role.Privileges?.Privilege ?? []) privileges.add(privilege.name);
      if (role.parentId !== undefined && !seen.has(role.parentId)) parents.push(role.parentId);
    }
    roleIds = distinct(parents);
  }
  return { userId, privileges: [...privileges].sort() };
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}
