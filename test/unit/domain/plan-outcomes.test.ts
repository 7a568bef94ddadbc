import { describe, expect, it } from 'vitest';
import { plan } from '../../../controller/domain/plan.js';
import {
  account,
  acmeProd,
  atomVersion,
  component,
  pack,
  planOptions,
  runtime,
  snapshot,
} from './builders.js';
import { pinNamed } from './plan-helpers.js';

/** Without version actions a pending version goes through the release schedule (issue 12); once the
 * schedule already ran in this window without bringing it, it is Manual. */
const RAN_MONDAY = {
  releaseSchedule: { scheduleType: 'FIRST' as const, dayOfWeek: 'MONDAY', hourOfDay: 2, timeZone: 'UTC' },
};
const CALENDAR = {
  releaseCalendar: {
    runtimeReleaseWindowOpens: '2026-11-21T02:00:00Z',
    platformRelease: '2026-12-05T02:00:00Z',
  },
};

describe('plan outcomes', () => {
  describe('InSync', () => {
    it('InSync when the runtime runs the pinned version', () => {
      const result = plan(
        [atomVersion('west', { version: '26.11.0' })],
        acmeProd([runtime('Prod West Atom')]),
        planOptions(),
      );
      const pin = pinNamed(result, 'Atom');
      expect(pin).toMatchObject({
        kind: 'runtime',
        wanted: '26.11.0',
        current: '26.11.0',
        outcome: 'InSync',
      });
      expect(result.changes).toEqual([]);
      expect(result.drift).toEqual([]);
    });

    it('InSync on channel released when the current version is the released one', () => {
      const desired = atomVersion('west', { connectors: [{ name: 'HTTP Client', channel: 'released' }] });
      const result = plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions());
      expect(pinNamed(result, 'HTTP Client')).toMatchObject({
        wanted: 'channel:released',
        target: '26.11.0',
        outcome: 'InSync',
      });
    });

    it('InSync on channel pending with "no pending version; on released" when nothing is pending', () => {
      const desired = atomVersion('west', { connectors: [{ name: 'Disk v2', channel: 'pending' }] });
      const pin = pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()), 'Disk v2');
      expect(pin.outcome).toBe('InSync');
      expect(pin.message).toContain('no pending version; on released');
    });

    it('InSync on channel pending when the pending version was applied early (rollback offered)', () => {
      const dev = runtime('Dev Atom', {
        components: [component('Atom', '26.12.0', { rollbackVersion: '26.11.0' })],
      });
      const desired = atomVersion('dev', { runtime: { name: 'Dev Atom' }, channel: 'pending' });
      expect(pinNamed(plan([desired], acmeProd([dev]), planOptions()), 'Atom').outcome).toBe('InSync');
    });
  });

  describe('ApplyPending', () => {
    it('ApplyPending when the pin names the pending version', () => {
      const desired = atomVersion('west', { version: '26.12.0' });
      const result = plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions());
      expect(pinNamed(result, 'Atom')).toMatchObject({
        outcome: 'ApplyPending',
        target: '26.12.0',
        current: '26.11.0',
      });
      expect(result.changes).toEqual([
        expect.objectContaining({
          kind: 'AtomVersionUpdateRequest',
          action: 'APPLY_PENDING',
          components: ['Atom'],
        }),
      ]);
    });

    it('ApplyPending on channel pending, taking an Early Access connector version', () => {
      const desired = atomVersion('west', { connectors: [{ name: 'Salesforce', channel: 'pending' }] });
      const pin = pinNamed(
        plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()),
        'Salesforce',
      );
      expect(pin).toMatchObject({ outcome: 'ApplyPending', target: '26.11.2' });
    });
  });

  describe('Rollback', () => {
    const staging = runtime('Staging Atom', {
      classification: 'TEST',
      components: [
        component('Atom', '26.11.0'),
        component('Salesforce', '26.11.2', { rollbackVersion: '26.11.1' }),
      ],
    });

    it('Rollback when the pin names the rollback version', () => {
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        connectors: [{ name: 'Salesforce', version: '26.11.1' }],
      });
      const result = plan([desired], acmeProd([staging]), planOptions());
      expect(pinNamed(result, 'Salesforce')).toMatchObject({
        outcome: 'Rollback',
        target: '26.11.1',
        current: '26.11.2',
      });
      expect(result.changes[0]).toMatchObject({ action: 'ROLLBACK', components: ['Salesforce'] });
    });

    it('Rollback on channel released after an early apply', () => {
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        connectors: [{ name: 'Salesforce', channel: 'released' }],
      });
      expect(pinNamed(plan([desired], acmeProd([staging]), planOptions()), 'Salesforce').outcome).toBe(
        'Rollback',
      );
    });
  });

  describe('ApplyPackPending', () => {
    it('ApplyPackPending when the pack pin names the pending version', () => {
      const dev = runtime('Dev Atom', { packs: [pack('Salesforce to NetSuite', 3, { pendingVersion: 4 })] });
      const desired = atomVersion('dev', {
        runtime: { name: 'Dev Atom' },
        integrationPacks: [{ name: 'Salesforce to NetSuite', version: 4 }],
      });
      const result = plan([desired], acmeProd([dev]), planOptions());
      expect(pinNamed(result, 'Salesforce to NetSuite')).toMatchObject({
        outcome: 'ApplyPackPending',
        current: '3',
        target: '4',
      });
      expect(result.changes).toEqual([
        expect.objectContaining({
          kind: 'IntegrationPackPendingUpdateRequest',
          components: ['Salesforce to NetSuite'],
          packs: [
            {
              integrationPackInstanceId: 'ipi-salesforce-to-netsuite',
              name: 'Salesforce to NetSuite',
              fromVersion: 3,
              toVersion: 4,
            },
          ],
        }),
      ]);
    });
  });

  describe('ReattachPack', () => {
    const staging = runtime('Staging Atom', {
      environmentId: 'env-staging',
      environmentName: 'Staging',
      packs: [
        pack('Salesforce to NetSuite', 8, {
          appliedEarly: true,
          releaseOnDate: '2026-12-10T00:00:00Z',
          environmentIds: ['env-production', 'env-staging'],
        }),
      ],
    });

    it('ReattachPack when a pack pinned to its released version was applied early and reattach is allowed', () => {
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        integrationPacks: [{ name: 'Salesforce to NetSuite', version: 7 }],
        policy: { allowPackReattach: true },
      });
      const result = plan([desired], acmeProd([staging]), planOptions());
      const pin = pinNamed(result, 'Salesforce to NetSuite');
      expect(pin).toMatchObject({ outcome: 'ReattachPack', current: '8', target: '7' });
      expect(pin.message).toContain('2026-12-10T00:00:00Z');
      expect(result.changes).toEqual([
        expect.objectContaining({
          kind: 'ReattachPack',
          environmentId: 'env-staging',
          packs: [
            {
              integrationPackInstanceId: 'ipi-salesforce-to-netsuite',
              name: 'Salesforce to NetSuite',
              fromVersion: 8,
              toVersion: 7,
            },
          ],
        }),
      ]);
    });

    it('ReattachPack also for channel released, recognising the early apply from a future release date', () => {
      const early = runtime('Staging Atom', {
        packs: [pack('Salesforce to NetSuite', 8, { releaseOnDate: '2026-12-10T00:00:00Z' })],
      });
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        integrationPacks: [{ name: 'Salesforce to NetSuite', channel: 'released' }],
        policy: { allowPackReattach: true },
      });
      expect(
        pinNamed(plan([desired], acmeProd([early]), planOptions()), 'Salesforce to NetSuite'),
      ).toMatchObject({
        outcome: 'ReattachPack',
        target: '7',
      });
    });
  });

  describe('Manual', () => {
    const noExtensions = { capabilities: { versionActions: false, packActions: false } };

    it('Manual rollback carries the Select Rollback Versions steps naming the runtime and components', () => {
      const staging = runtime('Staging Atom', {
        components: [
          component('Atom', '26.12.0', { rollbackVersion: '26.11.0' }),
          component('HTTP Client', '26.12.0', { rollbackVersion: '26.11.0' }),
        ],
      });
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        channel: 'released',
        connectors: [{ name: 'HTTP Client', channel: 'released' }],
      });
      const result = plan([desired], acmeProd([staging], noExtensions), planOptions());
      const pin = pinNamed(result, 'HTTP Client');
      expect(pin.outcome).toBe('Manual');
      expect(pin.manualSteps).toEqual([
        'Go to Manage > Atom Management.',
        'Select the Atom, Molecule, or Cloud "Staging Atom" from the Environments list on the left.',
        'Click the Atom & Connector Versions panel.',
        'Check that the Rollback Version column shows Atom 26.11.0, HTTP Client 26.11.0.',
        'Click Select Rollback Versions.',
        'In the Select Rollback Versions dialog, select Atom, HTTP Client.',
        'Click Apply Selected Rollbacks.',
        'Click OK in the confirmation dialog.',
        expect.stringContaining('shows Atom 26.11.0, HTTP Client 26.11.0'),
      ]);
      expect(pinNamed(result, 'Atom').manualSteps).toEqual(pin.manualSteps);
      expect(result.changes).toEqual([]);
      expect(result.manual).toHaveLength(2);
    });

    it('Manual for channel pending when the platform does not report pending versions: a person checks the column', () => {
      const qa = runtime('QA Molecule', {
        components: [component('Atom', '26.11.0'), component('Database', '26.11.0')],
        ...RAN_MONDAY,
      });
      const desired = atomVersion('qa', {
        runtime: { name: 'QA Molecule' },
        connectors: [{ name: 'Database', channel: 'pending' }],
      });
      const pin = pinNamed(plan([desired], acmeProd([qa], noExtensions), planOptions(CALENDAR)), 'Database');
      expect(pin.outcome).toBe('Manual');
      expect(pin.message).toContain('check the Pending Version column');
      expect(pin.manualSteps).toContain(
        'Check that the Pending Version column offers Database its pending version; if it does not, the pin cannot be met.',
      );
    });

    it('Manual pack apply carries the View Integration Pack > Apply Pending Updates steps', () => {
      const dev = runtime('Dev Atom', { packs: [pack('Salesforce to NetSuite', 3, { pendingVersion: 4 })] });
      const desired = atomVersion('dev', {
        runtime: { name: 'Dev Atom' },
        integrationPacks: [{ name: 'Salesforce to NetSuite', channel: 'pending' }],
      });
      const pin = pinNamed(
        plan([desired], acmeProd([dev], noExtensions), planOptions()),
        'Salesforce to NetSuite',
      );
      expect(pin.outcome).toBe('Manual');
      expect(pin.manualSteps).toEqual(
        expect.arrayContaining([
          'Select the Atom, Molecule, or Atom Cloud "Dev Atom" from the list on the left.',
          'Click View Integration Pack.',
          expect.stringContaining('Salesforce to NetSuite 3 → 4'),
          'Click Apply Pending Updates.',
        ]),
      );
    });

    it('Manual apply of a pending version names the Atom & Connector Versions panel', () => {
      const desired = atomVersion('west', { version: '26.12.0' });
      const pin = pinNamed(
        plan(
          [desired],
          acmeProd([runtime('Prod West Atom', RAN_MONDAY)], noExtensions),
          planOptions(CALENDAR),
        ),
        'Atom',
      );
      expect(pin.outcome).toBe('Manual');
      expect(pin.manualSteps).toContain('Check that the Pending Version column shows Atom 26.12.0.');
    });

    it('Manual, to be checked in the UI, when the platform reports current versions only', () => {
      const bare = runtime('Prod West Atom', { components: [component('Atom', '26.11.0')], ...RAN_MONDAY });
      const desired = atomVersion('west', { version: '26.12.0' });
      const pin = pinNamed(plan([desired], acmeProd([bare], noExtensions), planOptions(CALENDAR)), 'Atom');
      expect(pin.outcome).toBe('Manual');
      expect(pin.message).toContain('does not report pending or rollback versions');
      expect(pin.manualSteps).toContain(
        'Check that the Pending Version column offers Atom 26.12.0; if it does not, the pin cannot be met.',
      );
    });
  });

  describe('Waiting', () => {
    it('Waiting when the component already has an outstanding request, and no second request is planned', () => {
      const west = runtime('Prod West Atom', {
        components: [component('Atom', '26.11.0', { outstandingRequestId: 'avr-1' })],
        outstanding: [
          {
            id: 'avr-1',
            kind: 'AtomVersionUpdateRequest',
            action: 'APPLY_PENDING',
            components: ['Atom'],
            status: 'WAITING_FOR_INACTIVITY',
          },
        ],
      });
      const result = plan([atomVersion('west', { version: '26.12.0' })], acmeProd([west]), planOptions());
      const pin = pinNamed(result, 'Atom');
      expect(pin).toMatchObject({ outcome: 'Waiting', requestId: 'avr-1' });
      expect(pin.message).toContain('APPLY_PENDING Atom, WAITING_FOR_INACTIVITY');
      expect(result.changes).toEqual([]);
      expect(result.summary.waiting).toBe(1);
    });

    it('Waiting for a pack pin while an Apply Pending Updates request is outstanding on the runtime', () => {
      const dev = runtime('Dev Atom', {
        packs: [pack('Salesforce to NetSuite', 3, { pendingVersion: 4 })],
        outstanding: [
          {
            id: 'ipr-9',
            kind: 'IntegrationPackPendingUpdateRequest',
            components: ['Salesforce to NetSuite'],
            status: 'ACCEPTED',
          },
        ],
      });
      const desired = atomVersion('dev', {
        runtime: { name: 'Dev Atom' },
        integrationPacks: [{ name: 'Salesforce to NetSuite', version: 4 }],
      });
      expect(
        pinNamed(plan([desired], acmeProd([dev]), planOptions()), 'Salesforce to NetSuite'),
      ).toMatchObject({
        outcome: 'Waiting',
        requestId: 'ipr-9',
      });
    });

    it('a finished request does not make a pin wait', () => {
      const west = runtime('Prod West Atom', {
        outstanding: [
          {
            id: 'avr-0',
            kind: 'AtomVersionUpdateRequest',
            action: 'APPLY_PENDING',
            components: ['Atom'],
            status: 'COMPLETE',
          },
        ],
      });
      expect(
        pinNamed(plan([atomVersion('west', { version: '26.12.0' })], acmeProd([west]), planOptions()), 'Atom')
          .outcome,
      ).toBe('ApplyPending');
    });
  });

  it('resolves spec.account given as an alias or as an account id', () => {
    const world = snapshot(account('acme-dev-G7H8I9', [runtime('Dev Atom')], { alias: 'acme-dev' }));
    const byAlias = atomVersion('by-alias', {
      account: 'acme-dev',
      runtime: { name: 'Dev Atom' },
      version: '26.12.0',
    });
    const byId = atomVersion('by-id', {
      account: 'acme-dev-G7H8I9',
      runtime: { id: 'rt-dev-atom' },
      version: '26.12.0',
    });
    const result = plan([byAlias, byId], world, planOptions());
    expect(result.pins.map((pin) => [pin.accountId, pin.outcome])).toEqual([
      ['acme-dev-G7H8I9', 'ApplyPending'],
      ['acme-dev-G7H8I9', 'ApplyPending'],
    ]);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]?.keys).toEqual(['integration/by-alias', 'integration/by-id']);
  });
});
