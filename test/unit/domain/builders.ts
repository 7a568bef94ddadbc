// Builders for planner inputs, defaulting to the demo world of the team brief (clock 2026-11-23T08:00Z,
// Atom released 26.11.0 with 26.12.0 pending, an admin principal, both extension actions available).
import type {
  AccountSnapshot,
  AtomVersionSpec,
  ComponentState,
  DesiredAtomVersion,
  PackState,
  PlanOptions,
  Policy,
  Principal,
  RuntimeState,
  Snapshot,
} from '../../../controller/domain/types.js';

export const DEMO_NOW = new Date('2026-11-23T08:00:00Z');

export const ADMIN: Principal = { userId: 'admin@demo.atomsync', privileges: ['ATOM_MANAGEMENT', 'API'] };
export const VIEWER: Principal = {
  userId: 'viewer@demo.atomsync',
  privileges: ['ATOM_MANAGEMENT_READ_ONLY', 'API'],
};

export function component(
  name: string,
  version: string,
  extra: Partial<ComponentState> = {},
): ComponentState {
  return { name, version, ...extra };
}

/** Atom 26.11.0 with 26.12.0 pending, HTTP Client likewise, Database pending 26.12.0 needing Atom 26.12.0. */
export function releasedComponents(): ComponentState[] {
  return [
    component('Atom', '26.11.0', { pendingVersion: '26.12.0', pendingSource: 'RUNTIME_RELEASE' }),
    component('HTTP Client', '26.11.0', { pendingVersion: '26.12.0', pendingSource: 'RUNTIME_RELEASE' }),
    component('Database', '26.11.0', {
      pendingVersion: '26.12.0',
      pendingSource: 'RUNTIME_RELEASE',
      pendingRequiresAtomVersion: '26.12.0',
    }),
    component('Salesforce', '26.11.1', { pendingVersion: '26.11.2', pendingSource: 'EARLY_ACCESS' }),
    component('Disk v2', '26.10.0'),
  ];
}

export function pack(name: string, version: number, extra: Partial<PackState> = {}): PackState {
  const slug = slugOf(name);
  return {
    integrationPackInstanceId: `ipi-${slug}`,
    integrationPackId: `ip-${slug}`,
    name,
    version,
    ...extra,
  };
}

export function runtime(name: string, extra: Partial<RuntimeState> = {}): RuntimeState {
  return {
    id: `rt-${slugOf(name)}`,
    name,
    type: 'ATOM',
    status: 'ONLINE',
    accountId: 'acme-prod-D4E5F6',
    owned: true,
    environmentId: 'env-production',
    environmentName: 'Production',
    classification: 'PROD',
    components: releasedComponents(),
    packs: [],
    outstanding: [],
    ...extra,
  };
}

export function account(
  accountId: string,
  runtimes: RuntimeState[],
  extra: Partial<AccountSnapshot> = {},
): AccountSnapshot {
  return {
    accountId,
    principal: ADMIN,
    capabilities: { versionActions: true, packActions: true },
    runtimes: runtimes.map((entry) => ({ ...entry, accountId })),
    ...extra,
  };
}

export function snapshot(...accounts: AccountSnapshot[]): Snapshot {
  return {
    takenAt: DEMO_NOW.toISOString(),
    accounts: Object.fromEntries(accounts.map((entry) => [entry.accountId, entry])),
  };
}

/** acme-prod (alias acme-prod) holding the given runtimes. */
export function acmeProd(runtimes: RuntimeState[], extra: Partial<AccountSnapshot> = {}): Snapshot {
  return snapshot(account('acme-prod-D4E5F6', runtimes, { alias: 'acme-prod', ...extra }));
}

export function policy(extra: Partial<Policy> = {}): Policy {
  return {
    mode: 'enforce',
    suspend: false,
    allowRollback: true,
    allowPackReattach: false,
    windows: [],
    ...extra,
  };
}

export interface AtomVersionOverrides extends Partial<Omit<AtomVersionSpec, 'policy'>> {
  policy?: Partial<Policy>;
}

export function atomVersion(name: string, overrides: AtomVersionOverrides = {}): DesiredAtomVersion {
  const { policy: policyOverrides, ...spec } = overrides;
  return {
    key: `integration/${name}`,
    name,
    namespace: 'integration',
    generation: '1',
    spec: {
      account: 'acme-prod',
      runtime: { name: 'Prod West Atom' },
      connectors: [],
      integrationPacks: [],
      ...spec,
      policy: policy(policyOverrides),
    },
    origin: { source: 'file', file: `pins/${name}.yaml` },
  };
}

export function planOptions(extra: Partial<PlanOptions> = {}): PlanOptions {
  return { now: DEMO_NOW, maxConcurrentRestarts: 2, defaultWindows: [], ...extra };
}

function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
