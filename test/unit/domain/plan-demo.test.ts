// The demo world of the team brief, planned end to end, and the planner's determinism.
import { describe, expect, it } from 'vitest';
import { plan } from '../../../controller/domain/plan.js';
import type { DesiredAtomVersion, Snapshot } from '../../../controller/domain/types.js';
import { account, atomVersion, component, pack, planOptions, runtime, snapshot, VIEWER } from './builders.js';
import { pinNamed } from './plan-helpers.js';

const LOCK = {
  pendingVersion: 8,
  releaseOnDate: '2026-12-10T00:00:00Z',
  applyBlockedReason: 'INSTALL_BASE_LOCK' as const,
};
const production = {
  environmentId: 'env-prod',
  environmentName: 'Production',
  classification: 'PROD' as const,
};
const staging = { environmentId: 'env-staging', environmentName: 'Staging', classification: 'TEST' as const };
const development = {
  environmentId: 'env-dev',
  environmentName: 'Development',
  classification: 'TEST' as const,
};

function demoWorld(): Snapshot {
  return snapshot(
    account(
      'acme-prod-D4E5F6',
      [
        runtime('Prod East Molecule', {
          ...production,
          type: 'MOLECULE',
          packs: [pack('Salesforce to NetSuite', 7, LOCK), pack('Workday Sync', 12)],
        }),
        runtime('Prod West Atom', {
          ...production,
          packs: [pack('Salesforce to NetSuite', 7, LOCK), pack('Workday Sync', 12)],
        }),
        runtime('Staging Atom', {
          ...staging,
          components: [
            component('Atom', '26.11.0', { pendingVersion: '26.12.0' }),
            component('Salesforce', '26.11.2', { rollbackVersion: '26.11.1' }),
          ],
          packs: [
            pack('Salesforce to NetSuite', 8, { appliedEarly: true, releaseOnDate: '2026-12-10T00:00:00Z' }),
          ],
        }),
        runtime('Acme Private Cloud', { ...production, type: 'CLOUD' }),
        runtime('Public Cloud US East', { ...staging, type: 'CLOUD', owned: false }),
      ],
      { alias: 'acme-prod' },
    ),
    account(
      'acme-dev-G7H8I9',
      [
        runtime('Dev Atom', {
          ...development,
          components: [
            component('Atom', '26.12.0', { rollbackVersion: '26.11.0' }),
            component('HTTP Client', '26.12.0', { rollbackVersion: '26.11.0' }),
            component('Database', '26.11.0', {
              pendingVersion: '26.12.0',
              pendingRequiresAtomVersion: '26.12.0',
            }),
          ],
          packs: [pack('Salesforce to NetSuite', 3, { pendingVersion: 4 }), pack('Workday Sync', 5)],
        }),
        runtime('QA Molecule', {
          ...development,
          environmentName: 'QA',
          type: 'MOLECULE',
          packs: [pack('Workday Sync', 5)],
        }),
        runtime('Dev Spare Atom', { ...development, status: 'OFFLINE' }),
      ],
      { alias: 'acme-dev' },
    ),
    account('acme-eu-J1K2L3', [runtime('EU Atom', { ...production, environmentName: 'EU Production' })], {
      alias: 'acme-eu',
      principal: VIEWER,
    }),
  );
}

function demoPins(): DesiredAtomVersion[] {
  return [
    atomVersion('prod-east', {
      runtime: { name: 'Prod East Molecule' },
      channel: 'released',
      connectors: [{ name: 'HTTP Client', version: '26.11.0' }],
      integrationPacks: [{ name: 'Salesforce to NetSuite', version: 8 }],
    }),
    atomVersion('staging', {
      runtime: { name: 'Staging Atom' },
      version: '26.12.0',
      connectors: [{ name: 'Salesforce', channel: 'released' }],
      integrationPacks: [{ name: 'Salesforce to NetSuite', channel: 'released' }],
    }),
    atomVersion('public-cloud', { runtime: { name: 'Public Cloud US East' }, version: '26.12.0' }),
    atomVersion('dev', {
      account: 'acme-dev',
      runtime: { name: 'Dev Atom' },
      channel: 'pending',
      connectors: [
        { name: 'HTTP Client', channel: 'pending' },
        { name: 'Database', channel: 'pending' },
      ],
      integrationPacks: [{ name: 'Salesforce to NetSuite', version: 4 }],
    }),
    atomVersion('qa', {
      account: 'acme-dev',
      runtime: { name: 'QA Molecule' },
      version: '26.12.0',
      connectors: [{ name: 'Database', version: '26.12.0' }],
    }),
    atomVersion('spare', { account: 'acme-dev', runtime: { name: 'Dev Spare Atom' }, channel: 'pending' }),
    atomVersion('eu', { account: 'acme-eu', runtime: { name: 'EU Atom' }, version: '26.12.0' }),
  ];
}

describe('planning the demo world', () => {
  const result = plan(demoPins(), demoWorld(), planOptions());

  it('gives every pin of the demo one outcome', () => {
    expect(
      result.pins.map((pin) => [
        pin.key.replace('integration/', ''),
        pin.name,
        pin.outcome,
        pin.reason ?? '',
      ]),
    ).toEqual([
      ['dev', 'Atom', 'InSync', ''],
      ['dev', 'HTTP Client', 'InSync', ''],
      ['dev', 'Database', 'ApplyPending', ''],
      ['dev', 'Salesforce to NetSuite', 'ApplyPackPending', ''],
      ['eu', 'Atom', 'Blocked', 'InsufficientPrivilege'],
      ['prod-east', 'Atom', 'InSync', ''],
      ['prod-east', 'HTTP Client', 'InSync', ''],
      ['prod-east', 'Salesforce to NetSuite', 'Blocked', 'InstallBaseLock'],
      ['public-cloud', 'Atom', 'Blocked', 'NotOwned'],
      ['qa', 'Atom', 'ApplyPending', ''],
      ['qa', 'Database', 'ApplyPending', ''],
      ['spare', 'Atom', 'ApplyPending', ''],
      ['staging', 'Atom', 'ApplyPending', ''],
      ['staging', 'Salesforce', 'Rollback', ''],
      ['staging', 'Salesforce to NetSuite', 'Blocked', 'TargetUnreachable'],
    ]);
  });

  it('restarts the TEST runtimes in waves of two and sends one request per runtime and action', () => {
    expect(
      result.changes.map((request) => [
        request.wave,
        request.runtimeName,
        request.kind,
        request.action ?? '',
        request.components,
      ]),
    ).toEqual([
      [1, 'Dev Atom', 'AtomVersionUpdateRequest', 'APPLY_PENDING', ['Database']],
      [1, 'Dev Atom', 'IntegrationPackPendingUpdateRequest', '', ['Salesforce to NetSuite']],
      [1, 'Dev Spare Atom', 'AtomVersionUpdateRequest', 'APPLY_PENDING', ['Atom']],
      [2, 'QA Molecule', 'AtomVersionUpdateRequest', 'APPLY_PENDING', ['Atom', 'Database']],
      [2, 'Staging Atom', 'AtomVersionUpdateRequest', 'ROLLBACK', ['Salesforce']],
      [2, 'Staging Atom', 'AtomVersionUpdateRequest', 'APPLY_PENDING', ['Atom']],
    ]);
  });

  it('tells that the OFFLINE runtime takes the change when it next starts', () => {
    expect(pinNamed(result, 'Atom', 'integration/spare').message).toContain('OFFLINE');
  });

  it('summarises the plan and keeps drift apart from changes', () => {
    expect(result.formatVersion).toBe('2');
    expect(result.generatedAt).toBe('2026-11-23T08:00:00.000Z');
    expect(result.summary).toEqual({
      atomVersions: 7,
      pins: 15,
      inSync: 4,
      toChange: 7,
      requests: 6,
      waiting: 0,
      manual: 0,
      blocked: 4,
      drifted: 11,
    });
    expect(result.blocked.map((pin) => pin.reason)).toEqual([
      'InsufficientPrivilege',
      'InstallBaseLock',
      'NotOwned',
      'TargetUnreachable',
    ]);
    expect(result.drift.find((item) => item.key === 'integration/eu')).toEqual({
      key: 'integration/eu',
      accountId: 'acme-eu-J1K2L3',
      runtimeName: 'EU Atom',
      kind: 'runtime',
      name: 'Atom',
      wanted: '26.12.0',
      actual: '26.11.0',
      outcome: 'Blocked',
      reason: 'InsufficientPrivilege',
    });
  });
});

describe('determinism', () => {
  it('the same input gives a deep-equal plan', () => {
    expect(plan(demoPins(), demoWorld(), planOptions())).toStrictEqual(
      plan(demoPins(), demoWorld(), planOptions()),
    );
  });

  it('the order of the desired documents does not change the plan', () => {
    const shuffled = [...demoPins()].reverse();
    const forward = plan(demoPins(), demoWorld(), planOptions());
    expect(JSON.stringify(plan(shuffled, demoWorld(), planOptions()))).toBe(JSON.stringify(forward));
  });

  it('does not modify its inputs', () => {
    const desired = demoPins();
    const world = demoWorld();
    const before = JSON.stringify([desired, world]);
    plan(desired, world, planOptions());
    expect(JSON.stringify([desired, world])).toBe(before);
  });
});
