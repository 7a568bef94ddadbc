// Atom: GET, QUERY, bulk, UPDATE (name, purgeHistoryDays, purgeImmediate, forceRestartTime), CREATE of an
// attachment to a Runtime cloud and DELETE (runtime-lifecycle.ts).
// Molecules and clouds carry their nodes in cluster.node[]; an attachment to a public Atom Cloud says so (isCloudAttachment, cloud*).
import { SimError, type CallContext, type ObjectHandler, type WireObject } from '../port.js';
import { READ_PRIVILEGES, requireAtomManagement, requireOwned, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { findRuntime, requireRuntime } from '../lookups.js';
import { createCloudAttachment, deleteRuntime } from '../runtime-lifecycle.js';
import { RUNTIME_COMPONENT } from '../runtime-versions.js';
import type { RuntimeRecord, WorldState } from '../state.js';
import { ViewCache } from '../view-cache.js';
import { ATOM_OPERATORS, field, wire } from './wire.js';

/** The fields Boomi's Atom UPDATE takes (its OpenAPI: name, purgeHistoryDays, purgeImmediate, forceRestartTime). */
const UPDATABLE = new Set(['@type', 'id', 'name', 'purgeHistoryDays', 'purgeImmediate', 'forceRestartTime']);

type AtomUpdate = Partial<
  Pick<RuntimeRecord, 'name' | 'purgeHistoryDays' | 'purgeImmediate' | 'forceRestartTime'>
>;

function readAtomUpdate(body: Record<string, unknown>): AtomUpdate {
  const { name, purgeHistoryDays, purgeImmediate, forceRestartTime } = body;
  const update: AtomUpdate = {};
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '')
      throw new SimError(400, 'name must be a non-empty string.');
    update.name = name;
  }
  if (purgeHistoryDays !== undefined) {
    update.purgeHistoryDays = wholeNumber(
      purgeHistoryDays,
      'purgeHistoryDays must be a whole number of days >= 0.',
    );
  }
  if (purgeImmediate !== undefined) {
    if (typeof purgeImmediate !== 'boolean') throw new SimError(400, 'purgeImmediate must be true or false.');
    update.purgeImmediate = purgeImmediate;
  }
  if (forceRestartTime !== undefined) {
    update.forceRestartTime = wholeNumber(
      forceRestartTime,
      'forceRestartTime must be a whole number of milliseconds >= 0 (0 = wait for inactivity).',
    );
  }
  return update;
}

function wholeNumber(value: unknown, message: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SimError(400, message);
  return value;
}

export function atomHandler(core: WorldCore): ObjectHandler {
  const views = new ViewCache<WireObject>(core);
  const atomView = (runtime: RuntimeRecord): WireObject =>
    views.get(runtime.id, '', () => atomWire(core.state, runtime));
  return {
    type: 'Atom',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: {
      operators: ATOM_OPERATORS,
      properties: {
        name: field('name'),
        id: field('id'),
        hostname: field('hostName'),
        status: field('status'),
        type: field('type'),
        capabilities: (obj) =>
          Array.isArray(obj['capabilities']) ? (obj['capabilities'] as string[]) : undefined,
        cloudId: field('cloudId'),
        attachmentCloudId: (obj) => (obj['isCloudAttachment'] === true ? field('cloudId')(obj) : undefined),
        cloudMoleculeId: field('cloudMoleculeId'),
        instanceId: field('instanceId'),
        isCloudAttachment: field('isCloudAttachment'),
      },
    },
    get: (ctx, id) => {
      const runtime = findRuntime(core.state, ctx.accountId, id);
      return runtime && atomView(runtime);
    },
    list: (ctx) =>
      Object.values(core.state.runtimes)
        .filter((r) => r.accountId === ctx.accountId)
        .map(atomView),
    update: (ctx, id, body) => atomWire(core.state, updateAtom(core, ctx, id, body)),
    create: (ctx, body) => ({
      status: 200,
      body: atomWire(core.state, createCloudAttachment(core, ctx, body)),
    }),
    delete: (ctx, id) => deleteRuntime(core, ctx, id),
  };
}

function atomWire(state: WorldState, runtime: RuntimeRecord): WireObject {
  const cloud = runtime.cloudId !== undefined ? state.clouds[runtime.cloudId] : undefined;
  const ownCloud = runtime.type === 'CLOUD' && !cloud;
  return wire('Atom', {
    id: runtime.id,
    name: runtime.name,
    type: runtime.type,
    status: runtime.status,
    statusDetail:
      runtime.status === 'OFFLINE' ? 'OFFLINE' : runtime.restart ? 'RESTARTING' : 'ONLINE_RUNNING',
    hostName: runtime.hostName,
    currentVersion: runtime.components[RUNTIME_COMPONENT]?.version,
    dateInstalled: runtime.dateInstalled,
    createdBy: runtime.createdBy,
    forceRestartTime: runtime.forceRestartTime,
    purgeHistoryDays: runtime.purgeHistoryDays,
    purgeImmediate: runtime.purgeImmediate,
    isCloudAttachment: cloud ? true : ownCloud ? false : undefined,
    cloudId: cloud?.id ?? (ownCloud ? runtime.id : undefined),
    cloudName: cloud?.name ?? (ownCloud ? runtime.name : undefined),
    cloudOwnerName: cloud ? state.accounts[cloud.ownerAccountId]?.name : undefined,
    instanceId: cloud ? cloudInstanceId(runtime) : undefined,
    cluster: runtime.type === 'ATOM' ? undefined : clusterWire(runtime),
  });
}

/** Boomi's instance id of an attachment to a cloud: `account-123456.HP81GZ` style. */
export function cloudInstanceId(runtime: RuntimeRecord): string {
  return `${runtime.accountId}.${runtime.id.slice(0, 8)}`;
}

function clusterWire(runtime: RuntimeRecord): WireObject {
  const node = Array.from({ length: runtime.nodes }, (_, i) =>
    wire('NodeDetails', {
      nodeId: `${runtime.hostName}-node-${i + 1}`,
      hostName: `${runtime.hostName}-node-${i + 1}`,
      status: nodeStatus(runtime, i + 1),
      clusterProblem: '',
    }),
  );
  return wire('Nodes', { node });
}

function nodeStatus(runtime: RuntimeRecord, node: number): string {
  if (runtime.status === 'OFFLINE') return 'STOPPED';
  return runtime.restart?.node === node ? 'RESTARTING' : 'RUNNING';
}

function updateAtom(
  core: WorldCore,
  ctx: CallContext,
  id: string,
  body: Record<string, unknown>,
): RuntimeRecord {
  const runtime = requireRuntime(core.state, ctx.accountId, id);
  requireAtomManagement(ctx, `Updating runtime "${runtime.name}"`);
  requireOwned(core.state, runtime);
  if (body['id'] !== undefined && body['id'] !== id) {
    throw new SimError(400, `The body's id ${String(body['id'])} does not match the URL's ${id}.`);
  }
  const current = atomWire(core.state, runtime);
  const refused = Object.keys(body).filter(
    (key) => !UPDATABLE.has(key) && JSON.stringify(body[key]) !== JSON.stringify(current[key]),
  );
  if (refused.length > 0) {
    throw new SimError(
      400,
      `Only name, purgeHistoryDays, purgeImmediate and forceRestartTime of an Atom can be updated, not ${refused.join(', ')}.`,
    );
  }
  const update = readAtomUpdate(body);
  const changes = [];
  for (const [field, value] of Object.entries(update) as [keyof AtomUpdate, string | number | boolean][]) {
    if (value === runtime[field]) continue;
    changes.push({ name: field, previousValue: String(runtime[field]), value: String(value) });
    (runtime as unknown as Record<string, unknown>)[field] = value;
  }
  core.audit({
    accountId: runtime.accountId,
    userId: ctx.userId,
    type: 'as.atom.properties',
    action: 'SAVE',
    containerId: runtime.id,
    message: `Runtime "${runtime.name}" updated${changes.length ? `: ${changes.map((c) => c.name).join(', ')}` : ' (no change)'}.`,
    properties: changes,
  });
  return runtime;
}
