// Hand-built plans for the demo world of the team brief (clock 2026-11-23T08:00:00Z, Runtime Release
// window open, Platform Release 2026-12-05). Written by hand rather than produced by the planner so the
// report tests stand on their own.
//
// demoPlan: the demo world against the simulator (which has atomsync's extension objects). Between them
// the pins cover every outcome but Manual and every blocked reason but PackApplyConflict: those two cannot
// happen in that world at the same moment as the others, so manualPlan covers them — acme-dev against
// a platform without the extension objects (Boomi's public API), where changes become UI steps.

import type {
  DriftItem,
  PinResult,
  Plan,
  PlannedRequest,
  PlanSummary,
} from '../../../controller/domain/types.js';

const PROD = 'acme-prod-D4E5F6';
const DEV = 'acme-dev-G7H8I9';
const EU = 'acme-eu-J1K2L3';

export const DEMO_ALIASES: Record<string, string> = {
  [PROD]: 'acme-prod',
  [DEV]: 'acme-dev',
  [EU]: 'acme-eu',
};

const RUNTIME = {
  prodEast: 'b3f1c0de-0001-4a51-9c11-5e0a7d2c9e01',
  prodWest: 'b3f1c0de-0002-4a51-9c11-5e0a7d2c9e02',
  staging: 'b3f1c0de-0003-4a51-9c11-5e0a7d2c9e03',
  privateCloud: 'b3f1c0de-0004-4a51-9c11-5e0a7d2c9e04',
  publicCloud: 'c0de0000-0000-4b00-8000-00000000ea57',
  devAtom: 'd7e2a9b4-0001-4f3e-8a77-1c2b3d4e5f01',
  qaMolecule: 'd7e2a9b4-0002-4f3e-8a77-1c2b3d4e5f02',
  devSpare: 'd7e2a9b4-0003-4f3e-8a77-1c2b3d4e5f03',
  euAtom: 'e9a4b2c1-0001-4d2e-9f10-aa0bb1cc2d01',
} as const;

const ROLLBACK_STEPS = [
  'Go to Manage > Atom Management.',
  'Select the runtime (Dev Atom) from the Environments list on the left.',
  'Click the Atom & Connector Versions panel.',
  'Click Select Rollback Versions.',
  'Select Atom and HTTP Client (Rollback Version 26.11.0).',
  'Click Apply Selected Rollbacks, then OK.',
  'Wait for the runtime to restart after a period of inactivity; atomsync then verifies the versions.',
];

type PinInput = Omit<PinResult, 'message'> & { message?: string };

function pin(input: PinInput): PinResult {
  return { message: defaultMessage(input), ...input };
}

function defaultMessage(input: PinInput): string {
  if (input.outcome === 'InSync') return `${input.name} runs ${input.current ?? '?'} as pinned.`;
  return `${input.name}: ${input.current ?? '?'} → ${input.target ?? input.wanted}.`;
}

const CHANGES = new Set(['ApplyPending', 'Rollback', 'ApplyPackPending', 'ReattachPack']);

/** Builds the plan around hand-written pins and requests: blocked, manual, drift and summary follow. */
export function planOf(pins: PinResult[], changes: PlannedRequest[]): Plan {
  const drift: DriftItem[] = pins
    .filter((p) => p.outcome !== 'InSync' && p.current !== undefined && p.current !== p.target)
    .map((p) => {
      const item: DriftItem = {
        key: p.key,
        accountId: p.accountId,
        runtimeName: p.runtimeName,
        kind: p.kind,
        name: p.name,
        wanted: p.wanted,
        actual: p.current as string,
        outcome: p.outcome,
      };
      if (p.reason) item.reason = p.reason;
      return item;
    });
  const count = (outcome: string): number => pins.filter((p) => p.outcome === outcome).length;
  const summary: PlanSummary = {
    atomVersions: new Set(pins.map((p) => p.key)).size,
    pins: pins.length,
    inSync: count('InSync'),
    toChange: pins.filter((p) => CHANGES.has(p.outcome)).length,
    requests: changes.length,
    waiting: count('Waiting'),
    manual: count('Manual'),
    blocked: count('Blocked'),
    drifted: drift.length,
  };
  return {
    formatVersion: '2',
    generatedAt: '2026-11-23T08:00:00.000Z',
    summary,
    pins,
    drift,
    changes,
    blocked: pins.filter((p) => p.outcome === 'Blocked'),
    manual: pins.filter((p) => p.outcome === 'Manual'),
  };
}

const prodEast = {
  key: 'integration/prod-east',
  accountId: PROD,
  runtimeId: RUNTIME.prodEast,
  runtimeName: 'Prod East Molecule',
};
const prodWest = {
  key: 'integration/prod-west',
  accountId: PROD,
  runtimeId: RUNTIME.prodWest,
  runtimeName: 'Prod West Atom',
};
const staging = {
  key: 'integration/staging-atom',
  accountId: PROD,
  runtimeId: RUNTIME.staging,
  runtimeName: 'Staging Atom',
};
const privateCloud = {
  key: 'integration/private-cloud',
  accountId: PROD,
  runtimeId: RUNTIME.privateCloud,
  runtimeName: 'Acme Private Cloud',
};
const publicCloud = {
  key: 'integration/public-cloud',
  accountId: PROD,
  runtimeId: RUNTIME.publicCloud,
  runtimeName: 'Public Cloud US East',
};
const devAtom = {
  key: 'integration/dev-atom',
  accountId: DEV,
  runtimeId: RUNTIME.devAtom,
  runtimeName: 'Dev Atom',
};
const qaMolecule = {
  key: 'integration/qa-molecule',
  accountId: DEV,
  runtimeId: RUNTIME.qaMolecule,
  runtimeName: 'QA Molecule',
};
const devSpare = {
  key: 'integration/dev-spare',
  accountId: DEV,
  runtimeId: RUNTIME.devSpare,
  runtimeName: 'Dev Spare Atom',
};
const euAtom = {
  key: 'integration/eu-atom',
  accountId: EU,
  runtimeId: RUNTIME.euAtom,
  runtimeName: 'EU Atom',
};

const demoPins: PinResult[] = [
  // acme-prod
  pin({
    ...prodEast,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'ApplyPending',
    message: 'Apply the pending runtime version 26.12.0 (Runtime Release).',
  }),
  pin({
    ...prodEast,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'ApplyPending',
    message: 'Apply the pending HTTP Client 26.12.0 (Runtime Release).',
  }),
  pin({
    ...prodEast,
    kind: 'pack',
    name: 'Salesforce to NetSuite',
    wanted: '8',
    current: '7',
    target: '8',
    outcome: 'Blocked',
    reason: 'InstallBaseLock',
    message:
      'acme-prod already applied Salesforce to NetSuite 8 early (on Staging), so the platform refuses another early update until 8 reaches the whole install base.',
    advice:
      'Wait for the scheduled release on 2026-12-10T00:00:00Z, when 8 arrives everywhere; or pin 7 until then.',
  }),
  pin({
    ...prodEast,
    kind: 'pack',
    name: 'Workday Sync',
    wanted: '12',
    current: '12',
    target: '12',
    outcome: 'InSync',
  }),
  pin({
    ...prodWest,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:released',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...prodWest,
    kind: 'connector',
    name: 'Database',
    wanted: '26.11.0',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...prodWest,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: '26.11.0',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...prodWest,
    kind: 'pack',
    name: 'Workday Sync',
    wanted: '12',
    current: '12',
    target: '12',
    outcome: 'InSync',
  }),
  pin({
    ...staging,
    kind: 'runtime',
    name: 'Atom',
    wanted: '26.11.0',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...staging,
    kind: 'connector',
    name: 'Salesforce',
    wanted: 'channel:released',
    current: '26.11.2',
    target: '26.11.1',
    outcome: 'Rollback',
    message: 'Roll Salesforce back from the Early Access 26.11.2 to the released 26.11.1.',
  }),
  pin({
    ...staging,
    kind: 'pack',
    name: 'Salesforce to NetSuite',
    wanted: '7',
    current: '8',
    target: '7',
    outcome: 'ReattachPack',
    message:
      'Staging applied 8 early; detaching and reattaching the pack to Staging returns it to 7, and 8 comes back on 2026-12-10.',
  }),
  pin({
    ...privateCloud,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'OutsideWindow',
    message: 'No allowed maintenance window is open now (allow 0 22 * * SAT for 4h, Europe/Berlin).',
    advice: 'The next window opens at 2026-11-28T21:00:00Z; apply then, or add a window that covers now.',
  }),
  pin({
    ...privateCloud,
    kind: 'connector',
    name: 'Disk v2',
    wanted: 'channel:pending',
    current: '26.10.0',
    outcome: 'Blocked',
    reason: 'NoPendingVersion',
    message: 'Disk v2 has no pending version; it runs the released 26.10.0.',
    advice: 'Pin channel: released (or 26.10.0) until a pending version is published.',
  }),
  pin({
    ...privateCloud,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: '26.11.0',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...publicCloud,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'NotOwned',
    message: 'Public Cloud US East belongs to boomi-cloud-000000; acme-prod cannot change its versions.',
    advice: 'Pin channel: released, or set policy.mode: observe for this runtime.',
  }),
  // acme-dev
  pin({
    ...devAtom,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:released',
    current: '26.12.0',
    target: '26.11.0',
    outcome: 'Rollback',
    message: 'Roll the runtime back from 26.12.0 (applied early) to the released 26.11.0.',
  }),
  pin({
    ...devAtom,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: 'channel:released',
    current: '26.12.0',
    target: '26.11.0',
    outcome: 'Rollback',
    message: 'Roll HTTP Client back from 26.12.0 (applied early) to the released 26.11.0.',
  }),
  pin({
    ...devAtom,
    kind: 'pack',
    name: 'Salesforce to NetSuite',
    wanted: '4',
    current: '3',
    target: '4',
    outcome: 'ApplyPackPending',
    message:
      'Apply the pending update of Salesforce to NetSuite (3 → 4) in Development; it cannot be undone.',
  }),
  pin({
    ...devAtom,
    kind: 'pack',
    name: 'Workday Sync',
    wanted: '5',
    current: '5',
    target: '5',
    outcome: 'InSync',
  }),
  pin({
    ...qaMolecule,
    kind: 'runtime',
    name: 'Atom',
    wanted: '26.11.0',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...qaMolecule,
    kind: 'connector',
    name: 'Database',
    wanted: '26.12.0',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'RequiresAtomVersion',
    message: 'Database 26.12.0 needs Atom 26.12.0, but this AtomVersion pins Atom 26.11.0.',
    advice: 'Pin Atom to 26.12.0 (or channel: pending) in the same AtomVersion, or pin Database 26.11.0.',
  }),
  pin({
    ...qaMolecule,
    kind: 'connector',
    name: 'Disk v2',
    wanted: '26.11.0',
    current: '26.10.0',
    target: '26.11.0',
    outcome: 'Blocked',
    reason: 'TargetUnreachable',
    message:
      'Disk v2 26.11.0 is not reachable: only the current 26.10.0 is (no pending or rollback version).',
    advice: 'Pin 26.10.0 or channel: released.',
  }),
  pin({
    ...qaMolecule,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'ObserveOnly',
    message: 'policy.mode is observe: atomsync reports this drift and changes nothing.',
    advice: 'Set policy.mode: enforce to let atomsync apply 26.12.0.',
  }),
  pin({
    ...qaMolecule,
    kind: 'pack',
    name: 'Workday Sync',
    wanted: '5',
    current: '5',
    target: '5',
    outcome: 'InSync',
  }),
  pin({
    ...devSpare,
    kind: 'runtime',
    name: 'Atom',
    wanted: '26.12.0',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Waiting',
    requestId: 'avur-0042',
    message:
      'Request avur-0042 (APPLY_PENDING Atom) is ACCEPTED; the runtime is OFFLINE and takes it when it next starts.',
  }),
  pin({
    ...devSpare,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'Suspended',
    message: 'policy.suspend is true: atomsync leaves this runtime alone.',
    advice: 'Set policy.suspend: false to resume.',
  }),
  {
    key: 'integration/dev-legacy',
    accountId: DEV,
    runtimeName: 'Dev Legacy Atom',
    kind: 'runtime',
    name: 'Atom',
    wanted: '26.11.0',
    outcome: 'Blocked',
    reason: 'RuntimeNotFound',
    message: 'acme-dev has no runtime named Dev Legacy Atom.',
    advice: 'Check spec.runtime.name (names are exact), or pin the runtime by id.',
  },
  // acme-eu (read-only credential)
  pin({
    ...euAtom,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'InsufficientPrivilege',
    needsPrivilege: 'ATOM_MANAGEMENT',
    message: 'viewer@demo.atomsync has ATOM_MANAGEMENT_READ_ONLY in acme-eu, which may only read.',
    advice: 'Give atomsync a credential with ATOM_MANAGEMENT for acme-eu.',
  }),
  pin({
    ...euAtom,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: 'channel:pending',
    current: '26.11.0',
    target: '26.12.0',
    outcome: 'Blocked',
    reason: 'InsufficientPrivilege',
    needsPrivilege: 'ATOM_MANAGEMENT',
    message: 'viewer@demo.atomsync has ATOM_MANAGEMENT_READ_ONLY in acme-eu, which may only read.',
    advice: 'Give atomsync a credential with ATOM_MANAGEMENT for acme-eu.',
  }),
  {
    key: 'sandbox/eu-probe',
    accountId: EU,
    runtimeName: 'EU Atom',
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:released',
    outcome: 'Blocked',
    reason: 'AccountNotAllowed',
    message: 'Namespace sandbox may not target acme-eu.',
    advice: 'Move the AtomVersion to a namespace allowed for acme-eu (tenancy.namespaces in the config).',
  },
  {
    key: 'integration/latam-atom',
    accountId: 'acme-latam-M4N5P6',
    runtimeName: 'LATAM Atom',
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:released',
    outcome: 'Blocked',
    reason: 'AccountUnavailable',
    message:
      'acme-latam-M4N5P6 could not be observed: the platform answered 401 to BOOMI_TOKEN.admin@demo.atomsync.',
    advice: 'Check the username and token configured for acme-latam.',
  },
];

const demoChanges: PlannedRequest[] = [
  {
    accountId: DEV,
    runtimeId: RUNTIME.devAtom,
    runtimeName: 'Dev Atom',
    classification: 'TEST',
    kind: 'AtomVersionUpdateRequest',
    action: 'ROLLBACK',
    components: ['Atom', 'HTTP Client'],
    wave: 1,
    keys: ['integration/dev-atom'],
  },
  {
    accountId: DEV,
    runtimeId: RUNTIME.devAtom,
    runtimeName: 'Dev Atom',
    classification: 'TEST',
    kind: 'IntegrationPackPendingUpdateRequest',
    components: ['Salesforce to NetSuite'],
    packs: [
      {
        integrationPackInstanceId: 'ipi-sfns-acme-dev',
        name: 'Salesforce to NetSuite',
        fromVersion: 3,
        toVersion: 4,
      },
    ],
    wave: 1,
    keys: ['integration/dev-atom'],
  },
  {
    accountId: PROD,
    runtimeId: RUNTIME.prodEast,
    runtimeName: 'Prod East Molecule',
    classification: 'PROD',
    kind: 'AtomVersionUpdateRequest',
    action: 'APPLY_PENDING',
    components: ['Atom', 'HTTP Client'],
    wave: 2,
    keys: ['integration/prod-east'],
  },
  {
    accountId: PROD,
    runtimeId: RUNTIME.staging,
    runtimeName: 'Staging Atom',
    classification: 'TEST',
    kind: 'AtomVersionUpdateRequest',
    action: 'ROLLBACK',
    components: ['Salesforce'],
    wave: 1,
    keys: ['integration/staging-atom'],
  },
  {
    accountId: PROD,
    runtimeId: RUNTIME.staging,
    runtimeName: 'Staging Atom',
    classification: 'TEST',
    kind: 'ReattachPack',
    components: ['Salesforce to NetSuite'],
    packs: [
      {
        integrationPackInstanceId: 'ipi-sfns-acme-prod',
        name: 'Salesforce to NetSuite',
        fromVersion: 8,
        toVersion: 7,
      },
    ],
    environmentId: 'env-acme-prod-staging',
    wave: 1,
    keys: ['integration/staging-atom'],
  },
];

/** The demo world: every outcome but Manual, every blocked reason but PackApplyConflict. */
export const demoPlan: Plan = planOf(demoPins, demoChanges);

const manualPins: PinResult[] = [
  pin({
    ...devAtom,
    kind: 'runtime',
    name: 'Atom',
    wanted: 'channel:released',
    current: '26.12.0',
    target: '26.11.0',
    outcome: 'Manual',
    needsPrivilege: 'ATOM_MANAGEMENT',
    message:
      'This platform has no AtomVersionUpdateRequest, so the rollback is done in the UI; atomsync verifies it afterwards.',
    manualSteps: ROLLBACK_STEPS,
  }),
  pin({
    ...devAtom,
    kind: 'connector',
    name: 'HTTP Client',
    wanted: 'channel:released',
    current: '26.12.0',
    target: '26.11.0',
    outcome: 'Manual',
    needsPrivilege: 'ATOM_MANAGEMENT',
    message: 'Rolled back together with Atom in the same dialog (same steps).',
    manualSteps: ROLLBACK_STEPS,
  }),
  pin({
    ...devAtom,
    kind: 'pack',
    name: 'Salesforce to NetSuite',
    wanted: '4',
    current: '3',
    target: '4',
    outcome: 'Blocked',
    reason: 'PackApplyConflict',
    message:
      'Applying pending updates in Development would also move Salesforce to NetSuite on Dev Spare Atom, which integration/dev-spare pins to 3.',
    advice: 'Pin the same Salesforce to NetSuite version in integration/dev-atom and integration/dev-spare.',
  }),
  pin({
    ...devAtom,
    kind: 'pack',
    name: 'Workday Sync',
    wanted: '5',
    current: '5',
    target: '5',
    outcome: 'InSync',
  }),
  pin({
    ...devSpare,
    kind: 'runtime',
    name: 'Atom',
    wanted: '26.11.0',
    current: '26.11.0',
    target: '26.11.0',
    outcome: 'InSync',
  }),
  pin({
    ...devSpare,
    kind: 'pack',
    name: 'Salesforce to NetSuite',
    wanted: '3',
    current: '3',
    target: '3',
    outcome: 'InSync',
  }),
];

/** acme-dev on a platform without atomsync's extension objects: Manual and PackApplyConflict. */
export const manualPlan: Plan = planOf(manualPins, []);

/** Everything in sync: the quiet report. */
export const quietPlan: Plan = planOf(
  demoPins.filter((p) => p.outcome === 'InSync'),
  [],
);
