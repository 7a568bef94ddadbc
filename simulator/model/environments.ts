// Environment CREATE/UPDATE/DELETE and EnvironmentRole (which roles may reach an environment). Names in
// the audit log are those of Boomi's AuditLog table (docs/simulator.md, "The audit log").
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import type { WorldCore } from './core.js';
import { encodedId } from './ids.js';
import { requireEnvironment } from './lookups.js';
import type { Classification, EnvironmentRecord, EnvironmentRoleRecord } from './state.js';

const CLASSIFICATIONS: readonly Classification[] = ['PROD', 'TEST'];

export function createEnvironment(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): EnvironmentRecord {
  requireAtomManagement(ctx, 'Creating an environment');
  const name = requireName(body['name']);
  const classification = body['classification'] ?? 'PROD';
  if (!CLASSIFICATIONS.includes(classification as Classification)) {
    throw new SimError(400, `classification must be PROD or TEST, not ${JSON.stringify(classification)}.`);
  }
  requireUniqueName(core, ctx.accountId, name);
  const environment: EnvironmentRecord = {
    id: core.mintId('Environment'),
    accountId: ctx.accountId,
    name,
    classification: classification as Classification,
  };
  core.state.environments[environment.id] = environment;
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.environment',
    action: 'ADD',
    containerId: environment.id,
    message: `Environment "${name}" (${environment.classification}) created.`,
  });
  return environment;
}

/** Only the name changes; Boomi fixes the classification when the environment is created. */
export function updateEnvironment(
  core: WorldCore,
  ctx: CallContext,
  id: string,
  body: Record<string, unknown>,
): EnvironmentRecord {
  const environment = requireEnvironment(core.state, ctx.accountId, id);
  requireAtomManagement(ctx, `Updating environment "${environment.name}"`);
  if (body['id'] !== undefined && body['id'] !== id) {
    throw new SimError(400, `The body's id ${String(body['id'])} does not match the URL's ${id}.`);
  }
  if (body['classification'] !== undefined && body['classification'] !== environment.classification) {
    throw new SimError(
      400,
      `The classification of environment "${environment.name}" is ${environment.classification} and cannot be changed.`,
    );
  }
  if (body['name'] === undefined || body['name'] === environment.name) return environment;
  const name = requireName(body['name']);
  requireUniqueName(core, ctx.accountId, name);
  const previous = environment.name;
  environment.name = name;
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.environment',
    action: 'UPDATE',
    modifier: 'NAME',
    containerId: environment.id,
    message: `Environment "${previous}" renamed to "${name}".`,
    properties: [{ name: 'name', previousValue: previous, value: name }],
  });
  return environment;
}

/** Refused while runtimes or integration packs are attached (detach them first), as on Boomi. */
export function deleteEnvironment(core: WorldCore, ctx: CallContext, id: string): void {
  const environment = requireEnvironment(core.state, ctx.accountId, id);
  requireAtomManagement(ctx, `Deleting environment "${environment.name}"`);
  const runtimes = Object.values(core.state.runtimeAttachments).filter((a) => a.environmentId === id);
  const packs = Object.values(core.state.packAttachments).filter((a) => a.environmentId === id);
  if (runtimes.length > 0 || packs.length > 0) {
    throw new SimError(
      409,
      `Environment "${environment.name}" still has ${runtimes.length} runtime(s) and ${packs.length} integration pack(s) attached; detach them before deleting it.`,
    );
  }
  for (const role of environmentRolesOf(core, id)) delete core.state.environmentRoles[role.id];
  delete core.state.environments[id];
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.environment',
    action: 'DELETE',
    containerId: id,
    message: `Environment "${environment.name}" deleted.`,
  });
}

export function addEnvironmentRole(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): EnvironmentRoleRecord {
  const environment = requireEnvironment(core.state, ctx.accountId, body['environmentId']);
  requireAtomManagement(ctx, `Changing the roles of environment "${environment.name}"`);
  const roleId = body['roleId'];
  const role = typeof roleId === 'string' ? core.state.roles[roleId] : undefined;
  if (typeof roleId !== 'string' || roleId === '') throw new SimError(400, 'roleId is required.');
  if (role?.accountId !== ctx.accountId) {
    throw new SimError(404, `Role ${roleId} does not exist in account ${ctx.accountId}.`);
  }
  const id = encodedId('ENV_ROLE', environment.id, role.id);
  if (core.state.environmentRoles[id]) {
    throw new SimError(409, `Role "${role.name}" is already a role of environment "${environment.name}".`);
  }
  const record: EnvironmentRoleRecord = {
    id,
    accountId: ctx.accountId,
    environmentId: environment.id,
    roleId,
  };
  core.state.environmentRoles[id] = record;
  auditRoleChange(core, ctx, environment, `Role "${role.name}" added to environment "${environment.name}".`);
  return record;
}

export function removeEnvironmentRole(core: WorldCore, ctx: CallContext, id: string): void {
  const record = core.state.environmentRoles[id];
  if (record?.accountId !== ctx.accountId) {
    throw new SimError(404, `EnvironmentRole ${id} does not exist in account ${ctx.accountId}.`);
  }
  const environment = requireEnvironment(core.state, ctx.accountId, record.environmentId);
  requireAtomManagement(ctx, `Changing the roles of environment "${environment.name}"`);
  delete core.state.environmentRoles[id];
  const role = core.state.roles[record.roleId]?.name ?? record.roleId;
  auditRoleChange(core, ctx, environment, `Role "${role}" removed from environment "${environment.name}".`);
}

function auditRoleChange(core: WorldCore, ctx: CallContext, environment: EnvironmentRecord, message: string) {
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.environment',
    action: 'UPDATE',
    modifier: 'ROLE',
    containerId: environment.id,
    message,
  });
}

function environmentRolesOf(core: WorldCore, environmentId: string): EnvironmentRoleRecord[] {
  return Object.values(core.state.environmentRoles).filter((r) => r.environmentId === environmentId);
}

function requireName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw new SimError(400, 'name must be a non-empty string.');
  return name;
}

function requireUniqueName(core: WorldCore, accountId: string, name: string): void {
  const taken = Object.values(core.state.environments).some(
    (e) => e.accountId === accountId && e.name === name,
  );
  if (taken)
    throw new SimError(409, `An environment named "${name}" already exists in account ${accountId}.`);
}
