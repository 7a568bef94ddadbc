// A large, varied planner input built directly as objects: `accounts` × `runtimesPerAccount` runtimes, each
// with the runtime, CONNECTORS connectors and PACKS integration packs, and one AtomVersion per runtime
// pinning all of them (1 + CONNECTORS + PACKS pins). Runtimes cycle through ten variants so the plan takes
// every path that costs something: in sync (40%), apply pending with R9 and pack side effects (20%, half of
// them a PackApplyConflict), rollback (10%), waiting on an outstanding request (10%), unreachable / R9 /
// install-base-lock blocks (10%) and a closed maintenance window (10%). Every tenth account is read with a
// viewer credential (InsufficientPrivilege). Half the pins name the runtime by id, half by name.
import type {
  AccountSnapshot,
  ComponentState,
  ConnectorPin,
  DesiredAtomVersion,
  MaintenanceWindow,
  PackPin,
  PackState,
  Policy,
  RuntimeState,
  Snapshot,
} from '../../controller/domain/types.js';

export const CONNECTORS = 15;
export const PACKS = 4;
export const PINS_PER_RUNTIME = 1 + CONNECTORS + PACKS;

const RELEASED = '26.11.0';
const PENDING = '26.12.0';
const PACK_VERSION = 5;
const NOW = '2026-11-23T08:00:00.000Z';
/** Opens Saturdays 22:00 for 4 h: closed at NOW (a Monday morning). */
const CLOSED_WINDOW: MaintenanceWindow[] = [{ kind: 'allow', schedule: '0 22 * * SAT', duration: '4h' }];

type Variant = 'inSync' | 'apply' | 'applyConflict' | 'rollback' | 'waiting' | 'blocked' | 'window';
const VARIANTS: readonly Variant[] = [
  'inSync',
  'inSync',
  'inSync',
  'inSync',
  'apply',
  'applyConflict',
  'rollback',
  'waiting',
  'blocked',
  'window',
];

export interface PlanFixture {
  desired: DesiredAtomVersion[];
  snapshot: Snapshot;
  now: Date;
  runtimes: number;
  pins: number;
}

export function buildPlanFixture(accounts: number, runtimesPerAccount: number): PlanFixture {
  const snapshot: Snapshot = { takenAt: NOW, accounts: {} };
  const desired: DesiredAtomVersion[] = [];
  for (let a = 0; a < accounts; a++) {
    const account = accountSnapshot(a);
    snapshot.accounts[account.accountId] = account;
    for (let r = 0; r < runtimesPerAccount; r++) {
      const index = a * runtimesPerAccount + r;
      const variant = VARIANTS[index % VARIANTS.length] ?? 'inSync';
      const runtime = runtimeState(account.accountId, index, variant);
      account.runtimes.push(runtime);
      desired.push(atomVersion(account, runtime, index, variant));
    }
  }
  const runtimes = accounts * runtimesPerAccount;
  return { desired, snapshot, now: new Date(NOW), runtimes, pins: runtimes * PINS_PER_RUNTIME };
}

function accountSnapshot(a: number): AccountSnapshot {
  const viewer = a % 10 === 9;
  return {
    accountId: `bench-account-${String(a).padStart(3, '0')}`,
    alias: `bench-${a}`,
    principal: {
      userId: viewer ? 'viewer@bench.test' : 'admin@bench.test',
      privileges: viewer ? ['API', 'ATOM_MANAGEMENT_READ_ONLY'] : ['API', 'ATOM_MANAGEMENT'],
    },
    capabilities: { versionActions: true, packActions: true },
    runtimes: [],
  };
}

function connectorName(c: number): string {
  return `Connector ${String(c + 1).padStart(2, '0')}`;
}

function packName(p: number): string {
  return `Pack ${p + 1}`;
}

function runtimeState(accountId: string, index: number, variant: Variant): RuntimeState {
  const id = `rt-${String(index).padStart(5, '0')}`;
  const environmentId = `${accountId}-env-${index % 2 === 0 ? 'prod' : 'test'}`;
  const runtime: RuntimeState = {
    id,
    name: `Runtime ${String(index).padStart(5, '0')}`,
    type: index % 3 === 0 ? 'MOLECULE' : 'ATOM',
    status: 'ONLINE',
    accountId,
    owned: true,
    environmentId,
    environmentName: index % 2 === 0 ? 'Production' : 'Test',
    classification: index % 2 === 0 ? 'PROD' : 'TEST',
    components: [atomComponent(variant), ...connectorComponents(variant)],
    packs: packStates(index, variant, environmentId),
    outstanding: [],
  };
  if (variant === 'waiting') {
    runtime.outstanding.push({
      id: `req-${index}`,
      kind: 'AtomVersionUpdateRequest',
      action: 'APPLY_PENDING',
      components: ['Atom'],
      status: 'WAITING_FOR_INACTIVITY',
    });
  }
  return runtime;
}

function atomComponent(variant: Variant): ComponentState {
  if (variant === 'rollback') return { name: 'Atom', version: PENDING, rollbackVersion: RELEASED };
  const atom: ComponentState = { name: 'Atom', version: RELEASED, pendingVersion: PENDING };
  if (variant === 'waiting') {
    delete atom.pendingVersion;
    atom.outstandingRequestId = 'pending-request';
  }
  return atom;
}

function connectorComponents(variant: Variant): ComponentState[] {
  return Array.from({ length: CONNECTORS }, (_, c) => {
    const component: ComponentState = {
      name: connectorName(c),
      version: RELEASED,
      pendingVersion: PENDING,
      pendingSource: c === CONNECTORS - 2 ? 'EARLY_ACCESS' : 'RUNTIME_RELEASE',
    };
    // The last connector's pending version needs the new runtime (R9).
    if (c === CONNECTORS - 1) component.pendingRequiresAtomVersion = PENDING;
    if (variant === 'rollback' && c < 2) {
      delete component.pendingVersion;
      component.version = PENDING;
      component.rollbackVersion = RELEASED;
    }
    return component;
  });
}

function packStates(index: number, variant: Variant, environmentId: string): PackState[] {
  return Array.from({ length: PACKS }, (_, p) => {
    const pack: PackState = {
      integrationPackInstanceId: `inst-${index}-${p}`,
      integrationPackId: `pack-${p}`,
      name: packName(p),
      version: PACK_VERSION,
      environmentIds: [environmentId],
    };
    // Packs 1 and 2 have a dated release in its testing period.
    if (p < 2) {
      pack.pendingVersion = PACK_VERSION + 1;
      pack.releaseOnDate = '2026-12-10T00:00:00.000Z';
      if (variant === 'blocked') pack.applyBlockedReason = 'INSTALL_BASE_LOCK';
    }
    return pack;
  });
}

function atomVersion(
  account: AccountSnapshot,
  runtime: RuntimeState,
  index: number,
  variant: Variant,
): DesiredAtomVersion {
  const name = `runtime-${String(index).padStart(5, '0')}`;
  const spec: DesiredAtomVersion['spec'] = {
    account: index % 4 < 2 ? account.accountId : (account.alias ?? account.accountId),
    runtime: index % 2 === 0 ? { id: runtime.id } : { name: runtime.name },
    version: runtimePinVersion(variant),
    connectors: connectorPins(variant, index),
    integrationPacks: packPins(variant),
    policy: policyFor(variant),
  };
  return {
    key: `bench/${name}`,
    name,
    namespace: 'bench',
    generation: '1',
    spec,
    origin: { source: 'file', file: `pins/${name}.yaml`, line: 1 },
  };
}

function runtimePinVersion(variant: Variant): string {
  if (variant === 'apply' || variant === 'applyConflict' || variant === 'window') return PENDING;
  if (variant === 'blocked') return '26.13.0';
  return RELEASED;
}

function connectorPins(variant: Variant, index: number): ConnectorPin[] {
  return Array.from({ length: CONNECTORS }, (_, c) => {
    const name = connectorName(c);
    if (variant === 'rollback' && c < 2) return { name, channel: 'released' };
    if (variant === 'blocked' && c === CONNECTORS - 1) return { name, version: PENDING }; // R9 without Atom
    const moves = variant === 'apply' || variant === 'applyConflict' || variant === 'window';
    if (moves && (c < 3 || c === CONNECTORS - 1)) return { name, version: PENDING };
    return index % 3 === 0 ? { name, channel: 'released' } : { name, version: RELEASED };
  });
}

function packPins(variant: Variant): PackPin[] {
  return Array.from({ length: PACKS }, (_, p) => {
    const name = packName(p);
    if (p === 0 && variant !== 'inSync' && variant !== 'rollback') return { name, version: PACK_VERSION + 1 };
    if (p === 1 && (variant === 'apply' || variant === 'blocked')) return { name, channel: 'pending' };
    // applyConflict: pack 2 stays pinned on the current version while pack 1 applies (R12).
    return { name, version: PACK_VERSION };
  });
}

function policyFor(variant: Variant): Policy {
  return {
    mode: 'enforce',
    suspend: false,
    allowRollback: true,
    allowPackReattach: false,
    // A fresh array per document, as parsed pins would have (the planner caches verdicts per array).
    windows: variant === 'window' ? CLOSED_WINDOW.map((window) => ({ ...window })) : [],
  };
}
