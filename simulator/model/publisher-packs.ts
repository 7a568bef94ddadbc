// PublisherIntegrationPack: the publisher's side of its integration packs — create, change the description
// and the packaged components (operationType ADD or DELETE), delete while no account has it installed.
import { SimError, type CallContext } from './port.js';
import { requireAtomManagement } from './access.js';
import type { WorldCore } from './core.js';
import type { InstallationType, PackagedComponentRecord, PackRecord } from './state.js';

const INSTALLATION_TYPES: readonly InstallationType[] = ['SINGLE', 'MULTI'];

export function createPublisherPack(
  core: WorldCore,
  ctx: CallContext,
  body: Record<string, unknown>,
): PackRecord {
  requireAtomManagement(ctx, 'Creating an integration pack');
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '')
    throw new SimError(400, 'name must be a non-empty string.');
  const installationType = body['installationType'] ?? 'SINGLE';
  if (!INSTALLATION_TYPES.includes(installationType as InstallationType)) {
    throw new SimError(
      400,
      `installationType must be SINGLE or MULTI, not ${JSON.stringify(installationType)}.`,
    );
  }
  const taken = Object.values(core.state.packs).some(
    (p) => p.publisherAccountId === ctx.accountId && p.name === name,
  );
  if (taken)
    throw new SimError(
      409,
      `Account ${ctx.accountId} already publishes an integration pack named "${name}".`,
    );
  const pack: PackRecord = {
    id: core.mintId('PublisherIntegrationPack'),
    publisherAccountId: ctx.accountId,
    name,
    description: description(body),
    installationType: installationType as InstallationType,
    packagedComponents: applyComponents([], body),
  };
  core.state.packs[pack.id] = pack;
  auditPack(core, ctx, pack, 'ADD', `Integration pack "${name}" created.`);
  return pack;
}

/** Description and packaged components change; name and installationType are fixed once created. */
export function updatePublisherPack(
  core: WorldCore,
  ctx: CallContext,
  id: string,
  body: Record<string, unknown>,
): PackRecord {
  const pack = requirePublishedPack(core, ctx, id);
  requireAtomManagement(ctx, `Updating integration pack "${pack.name}"`);
  for (const fixed of ['name', 'installationType'] as const) {
    if (body[fixed] !== undefined && body[fixed] !== pack[fixed]) {
      throw new SimError(400, `The ${fixed} of integration pack "${pack.name}" cannot be changed.`);
    }
  }
  if (body['Description'] !== undefined) pack.description = description(body);
  pack.packagedComponents = applyComponents(pack.packagedComponents ?? [], body);
  auditPack(core, ctx, pack, 'UPDATE', `Integration pack "${pack.name}" updated.`);
  return pack;
}

export function deletePublisherPack(core: WorldCore, ctx: CallContext, id: string): void {
  const pack = requirePublishedPack(core, ctx, id);
  requireAtomManagement(ctx, `Deleting integration pack "${pack.name}"`);
  const installs = Object.values(core.state.packInstances).filter((i) => i.integrationPackId === id);
  if (installs.length > 0) {
    throw new SimError(
      409,
      `Integration pack "${pack.name}" is installed ${installs.length} time(s); it can be deleted once nobody has it installed.`,
    );
  }
  for (const [key, release] of Object.entries(core.state.packReleases)) {
    if (release.integrationPackId === id) delete core.state.packReleases[key];
  }
  for (const [key, account] of Object.entries(core.state.packAccounts)) {
    if (account.integrationPackId === id) delete core.state.packAccounts[key];
  }
  delete core.state.packs[id];
  auditPack(core, ctx, pack, 'DELETE', `Integration pack "${pack.name}" deleted.`);
}

function requirePublishedPack(core: WorldCore, ctx: CallContext, id: string): PackRecord {
  const pack = core.state.packs[id];
  if (pack?.publisherAccountId !== ctx.accountId) {
    throw new SimError(404, `PublisherIntegrationPack ${id} does not exist in account ${ctx.accountId}.`);
  }
  return pack;
}

function description(body: Record<string, unknown>): string {
  const text = body['Description'];
  if (typeof text !== 'string') throw new SimError(400, 'Description is required (a string).');
  return text;
}

/** PublisherPackagedComponents.PublisherPackagedComponent[]: added, or removed with operationType DELETE. */
function applyComponents(
  current: readonly PackagedComponentRecord[],
  body: Record<string, unknown>,
): PackagedComponentRecord[] {
  const wrapper = body['PublisherPackagedComponents'];
  if (wrapper === undefined) return [...current];
  const items = isRecord(wrapper) ? wrapper['PublisherPackagedComponent'] : undefined;
  if (!Array.isArray(items)) {
    throw new SimError(400, 'PublisherPackagedComponents must hold a PublisherPackagedComponent list.');
  }
  const ids = items.map((item: unknown, index) => {
    const componentId = isRecord(item) ? item['componentId'] : undefined;
    if (typeof componentId !== 'string' || componentId === '') {
      throw new SimError(400, `PublisherPackagedComponent ${index} has no componentId.`);
    }
    return componentId;
  });
  if (body['operationType'] === 'DELETE') return current.filter((c) => !ids.includes(c.componentId));
  const added = ids.filter((componentId) => !current.some((c) => c.componentId === componentId));
  return [...current, ...added.map((componentId) => ({ componentId }))];
}

function auditPack(
  core: WorldCore,
  ctx: CallContext,
  pack: PackRecord,
  action: string,
  message: string,
): void {
  core.audit({
    accountId: ctx.accountId,
    userId: ctx.userId,
    type: 'as.integrationpack',
    action,
    containerId: pack.id,
    message,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
