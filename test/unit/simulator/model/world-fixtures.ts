// Shared set-up for the in-process model tests: the demo world, a small world, call contexts and readers
// for the extension objects.
import { fileURLToPath } from 'node:url';
import type { CallContext, WireObject } from '../../../../simulator/model/port.js';
import { SMALL, smallScenario } from '../../../support/simulator/small-scenario.js';
import type { Scenario } from '../../../../simulator/scenario/scenario-types.js';
import { createWorld, type World } from '../../../../simulator/model/world.js';

export const DEMO_FILE = fileURLToPath(new URL('../../../../examples/sim/demo.yaml', import.meta.url));
export const ADMIN = 'admin@demo.atomsync';
export const VIEWER = 'viewer@demo.atomsync';
export const PROD = 'acme-prod-D4E5F6';
export const DEV = 'acme-dev-G7H8I9';
export const EU = 'acme-eu-J1K2L3';
export const PUBLISHER = 'acme-publisher-A1B2C3';

export function demoWorld(opts: { stateFile?: string } = {}): Promise<World> {
  return createWorld({ scenarioFile: DEMO_FILE, clock: 'manual', ...opts });
}

/** The small scenario, changed by `edit` first. */
export function smallWorld(edit: (s: Scenario) => void = () => {}): Promise<World> {
  const scenario = smallScenario();
  edit(scenario);
  return createWorld({ scenario, clock: 'manual' });
}

export const smallAdmin = (world: World): CallContext => world.context(SMALL.admin.userId, SMALL.accountId);
export const smallViewer = (world: World): CallContext => world.context(SMALL.viewer.userId, SMALL.accountId);

export interface ComponentEntry {
  name: string;
  version: string;
  pendingVersion?: string;
  pendingSource?: string;
  pendingRequiresAtomVersion?: string;
  rollbackVersion?: string;
  outstandingRequestId?: string;
  lastUpdated: string;
}

export interface PackEntry {
  integrationPackInstanceId: string;
  integrationPackId: string;
  name: string;
  version: number;
  pendingVersion?: number;
  releaseOnDate?: string;
  applyBlockedReason?: string;
  appliedEarly?: boolean;
  environmentIds: string[];
  integrationPackEnvironmentAttachmentId?: string;
  outstandingRequestId?: string;
}

/** AtomVersions of a runtime, by component name. */
export function componentsOf(world: World, ctx: CallContext, atomId: string): Record<string, ComponentEntry> {
  const body = world.handler('AtomVersions').get!(ctx, atomId);
  const list = (body?.['AtomVersion'] ?? []) as ComponentEntry[];
  return Object.fromEntries(list.map((c) => [c.name, c]));
}

/** IntegrationPackVersions of a runtime, by pack name. */
export function packsOf(world: World, ctx: CallContext, atomId: string): Record<string, PackEntry> {
  const body = world.handler('IntegrationPackVersions').get!(ctx, atomId);
  const list = (body?.['IntegrationPackVersion'] ?? []) as PackEntry[];
  return Object.fromEntries(list.map((p) => [p.name, p]));
}

export function requestVersions(
  world: World,
  ctx: CallContext,
  atomId: string,
  action: 'APPLY_PENDING' | 'ROLLBACK',
  components: string[],
): WireObject {
  return world.handler('AtomVersionUpdateRequest').create!(ctx, { atomId, action, components }).body;
}

export function requestStatus(world: World, ctx: CallContext, id: unknown): string {
  return String(world.handler('AtomVersionUpdateRequest').get!(ctx, String(id))?.['status']);
}

export function applyPendingPacks(world: World, ctx: CallContext, atomId: string): WireObject {
  return world.handler('IntegrationPackPendingUpdateRequest').create!(ctx, { atomId }).body;
}

export function packRequestStatus(world: World, ctx: CallContext, id: unknown): string {
  return String(world.handler('IntegrationPackPendingUpdateRequest').get!(ctx, String(id))?.['status']);
}

/** Runs `fn` and returns the SimError it throws (status and message), failing if it does not throw. */
export function refusal(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (error) {
    const e = error as { status?: number; message: string };
    if (e.status === undefined) throw error;
    return { status: e.status, message: e.message };
  }
  throw new Error('expected the call to be refused');
}
