// Environment: GET, QUERY, bulk, CREATE, UPDATE (name), DELETE (only when nothing is attached).
// EnvironmentRole: GET, QUERY, bulk, CREATE, DELETE.
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import {
  addEnvironmentRole,
  createEnvironment,
  deleteEnvironment,
  removeEnvironmentRole,
  updateEnvironment,
} from '../environments.js';
import type { EnvironmentRecord, EnvironmentRoleRecord } from '../state.js';
import { accountScoped, ALL_OPERATORS, field, wire } from './wire.js';

export function environmentHandler(core: WorldCore): ObjectHandler {
  const toWire = (e: EnvironmentRecord) =>
    wire('Environment', { id: e.id, name: e.name, classification: e.classification });
  return {
    type: 'Environment',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ALL_OPERATORS,
      properties: { name: field('name'), id: field('id'), classification: field('classification') },
    },
    ...accountScoped(() => core.state.environments, toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(createEnvironment(core, ctx, body)) }),
    update: (ctx, id, body) => toWire(updateEnvironment(core, ctx, id, body)),
    delete: (ctx, id) => deleteEnvironment(core, ctx, id),
  };
}

export function environmentRoleHandler(core: WorldCore): ObjectHandler {
  const toWire = (r: EnvironmentRoleRecord) =>
    wire('EnvironmentRole', { id: r.id, environmentId: r.environmentId, roleId: r.roleId });
  return {
    type: 'EnvironmentRole',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ALL_OPERATORS,
      properties: { environmentId: field('environmentId'), roleId: field('roleId') },
    },
    ...accountScoped(() => core.state.environmentRoles, toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(addEnvironmentRole(core, ctx, body)) }),
    delete: (ctx, id) => removeEnvironmentRole(core, ctx, id),
  };
}
