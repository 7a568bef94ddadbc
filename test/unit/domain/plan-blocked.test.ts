import { describe, expect, it } from 'vitest';
import { plan } from '../../../controller/domain/plan.js';
import type { BlockedReason } from '../../../controller/domain/types.js';
import {
  account,
  acmeProd,
  atomVersion,
  component,
  pack,
  planOptions,
  runtime,
  snapshot,
  VIEWER,
} from './builders.js';
import { pinNamed } from './plan-helpers.js';

describe('blocked reasons', () => {
  it('InsufficientPrivilege: a read-only principal still plans the change and says it needs ATOM_MANAGEMENT', () => {
    const world = snapshot(
      account('acme-eu-J1K2L3', [runtime('EU Atom')], { alias: 'acme-eu', principal: VIEWER }),
    );
    const desired = atomVersion('eu', {
      account: 'acme-eu',
      runtime: { name: 'EU Atom' },
      version: '26.12.0',
    });
    const result = plan([desired], world, planOptions());
    const pin = pinNamed(result, 'Atom');
    expect(pin).toMatchObject({
      outcome: 'Blocked',
      reason: 'InsufficientPrivilege',
      needsPrivilege: 'ATOM_MANAGEMENT',
      target: '26.12.0',
      current: '26.11.0',
    });
    expect(pin.message).toContain('Apply pending 26.12.0 of Atom on EU Atom');
    expect(pin.message).toContain('viewer@demo.atomsync');
    expect(result.changes).toEqual([]);
    expect(result.blocked).toEqual([pin]);
  });

  it('NotOwned: a runtime on a cloud the account does not own cannot be changed', () => {
    const cloud = runtime('Public Cloud US East', { type: 'CLOUD', owned: false });
    const desired = atomVersion('cloud', { runtime: { name: 'Public Cloud US East' }, version: '26.12.0' });
    const pin = pinNamed(plan([desired], acmeProd([cloud]), planOptions()), 'Atom');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'NotOwned' });
    expect(pin.message).toContain('does not own');
  });

  it('NoPendingVersion: a pack pinned to its next version when no update is pending', () => {
    const west = runtime('Prod West Atom', { packs: [pack('Workday Sync', 12)] });
    const desired = atomVersion('west', { integrationPacks: [{ name: 'Workday Sync', version: 13 }] });
    const pin = pinNamed(plan([desired], acmeProd([west]), planOptions()), 'Workday Sync');
    expect(pin).toMatchObject({
      outcome: 'Blocked',
      reason: 'NoPendingVersion',
      target: '13',
      current: '12',
    });
    expect(pin.advice).toContain('pin 12');
  });

  it('a pack on channel pending with nothing pending is InSync, not NoPendingVersion', () => {
    const west = runtime('Prod West Atom', { packs: [pack('Workday Sync', 12)] });
    const desired = atomVersion('west', { integrationPacks: [{ name: 'Workday Sync', channel: 'pending' }] });
    const pin = pinNamed(plan([desired], acmeProd([west]), planOptions()), 'Workday Sync');
    expect(pin.outcome).toBe('InSync');
    expect(pin.message).toContain('no pending version; on released');
  });

  describe('TargetUnreachable', () => {
    it('TargetUnreachable names the reachable versions', () => {
      const desired = atomVersion('west', { connectors: [{ name: 'HTTP Client', version: '26.13.0' }] });
      const pin = pinNamed(
        plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()),
        'HTTP Client',
      );
      expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable', target: '26.13.0' });
      expect(pin.message).toContain('reachable versions are 26.11.0 (current), 26.12.0 (pending)');
    });

    it('TargetUnreachable after the Platform Release advises moving the pin to the current version', () => {
      const released = runtime('Prod West Atom', { components: [component('Atom', '26.12.0')] });
      const pin = pinNamed(
        plan([atomVersion('west', { version: '26.11.0' })], acmeProd([released]), planOptions()),
        'Atom',
      );
      expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable' });
      expect(pin.message).toContain('Platform Release');
      expect(pin.advice).toBe('move the pin to 26.12.0');
    });

    it('TargetUnreachable for a rollback when policy.allowRollback is false, advising to allow it', () => {
      const staging = runtime('Staging Atom', {
        components: [
          component('Atom', '26.11.0'),
          component('Salesforce', '26.11.2', { rollbackVersion: '26.11.1' }),
        ],
      });
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        connectors: [{ name: 'Salesforce', version: '26.11.1' }],
        policy: { allowRollback: false },
      });
      const pin = pinNamed(plan([desired], acmeProd([staging]), planOptions()), 'Salesforce');
      expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable' });
      expect(pin.advice).toContain('allowRollback: true');
    });

    it('TargetUnreachable for a pack applied early without allowPackReattach: updates cannot be undone', () => {
      const staging = runtime('Staging Atom', {
        packs: [
          pack('Salesforce to NetSuite', 8, { appliedEarly: true, releaseOnDate: '2026-12-10T00:00:00Z' }),
        ],
      });
      const desired = atomVersion('staging', {
        runtime: { name: 'Staging Atom' },
        integrationPacks: [{ name: 'Salesforce to NetSuite', version: 7 }],
      });
      const pin = pinNamed(plan([desired], acmeProd([staging]), planOptions()), 'Salesforce to NetSuite');
      expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable', target: '7' });
      expect(pin.message).toContain('cannot be undone');
      expect(pin.advice).toContain('allowPackReattach');
      expect(pin.advice).toContain('2026-12-10T00:00:00Z');
    });

    it('TargetUnreachable for a connector the runtime does not have', () => {
      const desired = atomVersion('west', { connectors: [{ name: 'SFTP', version: '26.11.0' }] });
      const result = plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions());
      expect(pinNamed(result, 'SFTP')).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable' });
      expect(result.drift).toEqual([expect.objectContaining({ name: 'SFTP', actual: 'absent' })]);
    });
  });

  it("TargetUnreachable for a pack not attached to the runtime's environment", () => {
    const desired = atomVersion('west', { integrationPacks: [{ name: 'Workday Sync', version: 12 }] });
    const pin = pinNamed(
      plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()),
      'Workday Sync',
    );
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable' });
    expect(pin.message).toContain('environment Production has no attachment of it');
  });

  it('TargetUnreachable for a pack pin the platform cannot check (no pack versions reported), pointing at the UI', () => {
    const world = acmeProd([runtime('Prod West Atom')], {
      capabilities: { versionActions: true, packActions: false },
    });
    const desired = atomVersion('west', { integrationPacks: [{ name: 'Workday Sync', version: 12 }] });
    const pin = pinNamed(plan([desired], world, planOptions()), 'Workday Sync');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'TargetUnreachable' });
    expect(pin.message).toContain('cannot be checked');
    expect(pin.advice).toContain('View Integration Pack');
  });

  it('OutsideWindow when a window of the AtomVersion is invalid, saying what is wrong', () => {
    const desired = atomVersion('west', {
      version: '26.12.0',
      policy: {
        windows: [{ kind: 'allow', schedule: '0 22 * * SAT', duration: '4h', timeZone: 'Mars/Olympus' }],
      },
    });
    const pin = pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()), 'Atom');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'OutsideWindow' });
    expect(pin.message).toContain('Mars/Olympus');
  });

  it('InstallBaseLock: a pending pack update is locked after the account applied it elsewhere; advice names the release date', () => {
    const production = runtime('Prod West Atom', {
      packs: [
        pack('Salesforce to NetSuite', 7, {
          pendingVersion: 8,
          releaseOnDate: '2026-12-10T00:00:00Z',
          applyBlockedReason: 'INSTALL_BASE_LOCK',
        }),
      ],
    });
    const desired = atomVersion('west', {
      integrationPacks: [{ name: 'Salesforce to NetSuite', version: 8 }],
    });
    const pin = pinNamed(plan([desired], acmeProd([production]), planOptions()), 'Salesforce to NetSuite');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'InstallBaseLock', target: '8' });
    expect(pin.advice).toContain('2026-12-10T00:00:00Z');
  });

  it('PackApplyConflict: applying one pack would also move another pack pinned to its current version', () => {
    const dev = runtime('Dev Atom', {
      packs: [
        pack('Salesforce to NetSuite', 3, { pendingVersion: 4 }),
        pack('Workday Sync', 5, { pendingVersion: 6 }),
      ],
    });
    const desired = atomVersion('dev', {
      runtime: { name: 'Dev Atom' },
      integrationPacks: [
        { name: 'Salesforce to NetSuite', version: 4 },
        { name: 'Workday Sync', version: 5 },
      ],
    });
    const result = plan([desired], acmeProd([dev]), planOptions());
    const pin = pinNamed(result, 'Salesforce to NetSuite');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'PackApplyConflict' });
    expect(pin.message).toContain('Workday Sync 5 → 6');
    expect(pin.advice).toContain('pin Workday Sync to 6');
    expect(pinNamed(result, 'Workday Sync').outcome).toBe('InSync');
    expect(result.changes).toEqual([]);
  });

  it('RequiresAtomVersion: a connector whose pending version needs a newer runtime the plan does not apply', () => {
    const desired = atomVersion('west', { connectors: [{ name: 'Database', version: '26.12.0' }] });
    const pin = pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()), 'Database');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'RequiresAtomVersion' });
    expect(pin.message).toContain('needs Atom 26.12.0');
    expect(pin.advice).toContain('pin the runtime to 26.12.0');
  });

  it('OutsideWindow: a change outside the allow windows waits and says when the next one opens', () => {
    const desired = atomVersion('west', {
      version: '26.12.0',
      policy: {
        windows: [{ kind: 'allow', schedule: '0 22 * * SAT', duration: '4h', timeZone: 'Europe/Berlin' }],
      },
    });
    const pin = pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()), 'Atom');
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'OutsideWindow', target: '26.12.0' });
    expect(pin.advice).toContain('2026-11-28T21:00:00Z');
  });

  it('OutsideWindow from the config default windows when the AtomVersion declares none', () => {
    const options = planOptions({
      defaultWindows: [{ kind: 'deny', schedule: '0 0 * * MON', duration: '12h', timeZone: 'UTC' }],
    });
    const pin = pinNamed(
      plan([atomVersion('west', { version: '26.12.0' })], acmeProd([runtime('Prod West Atom')]), options),
      'Atom',
    );
    expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'OutsideWindow' });
    expect(pin.message).toContain('deny window');
  });

  it('Suspended: a suspended AtomVersion reports the drift and changes nothing', () => {
    const desired = atomVersion('west', { version: '26.12.0', policy: { suspend: true } });
    const result = plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions());
    expect(pinNamed(result, 'Atom')).toMatchObject({ outcome: 'Blocked', reason: 'Suspended' });
    expect(result.drift).toEqual([
      expect.objectContaining({ name: 'Atom', actual: '26.11.0', reason: 'Suspended' }),
    ]);
    expect(result.changes).toEqual([]);
  });

  it('ObserveOnly: observe mode reports the drift and changes nothing', () => {
    const desired = atomVersion('west', { version: '26.12.0', policy: { mode: 'observe' } });
    const result = plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions());
    expect(pinNamed(result, 'Atom')).toMatchObject({ outcome: 'Blocked', reason: 'ObserveOnly' });
    expect(result.drift).toHaveLength(1);
    expect(result.changes).toEqual([]);
  });

  describe('RuntimeNotFound', () => {
    it('RuntimeNotFound for every pin when no runtime has that name', () => {
      const desired = atomVersion('ghost', {
        runtime: { name: 'Ghost Atom' },
        version: '26.12.0',
        connectors: [{ name: 'HTTP Client', channel: 'pending' }],
      });
      const result = plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions());
      expect(result.pins.map((pin) => pin.reason)).toEqual(['RuntimeNotFound', 'RuntimeNotFound']);
      expect(result.pins[0]?.message).toContain('no runtime named "Ghost Atom"');
      expect(result.drift).toEqual([]);
    });

    it('RuntimeNotFound when the name is ambiguous, saying so and asking for the id', () => {
      const twins = [runtime('Twin Atom', { id: 'rt-1' }), runtime('Twin Atom', { id: 'rt-2' })];
      const desired = atomVersion('twin', { runtime: { name: 'Twin Atom' }, version: '26.12.0' });
      const pin = pinNamed(plan([desired], acmeProd(twins), planOptions()), 'Atom');
      expect(pin.reason).toBe('RuntimeNotFound');
      expect(pin.message).toContain('ambiguous');
      expect(pin.message).toContain('rt-1, rt-2');
    });

    it('RuntimeNotFound for an unknown runtime id', () => {
      const desired = atomVersion('by-id', { runtime: { id: 'rt-nope' }, version: '26.12.0' });
      expect(
        pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()), 'Atom').reason,
      ).toBe('RuntimeNotFound');
    });
  });

  describe('AccountUnavailable', () => {
    it('AccountUnavailable when the account could not be observed', () => {
      const world = acmeProd([], {
        error: { code: 'Unauthorized', message: 'the platform rejected the credential' },
      });
      const pin = pinNamed(plan([atomVersion('west', { version: '26.12.0' })], world, planOptions()), 'Atom');
      expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'AccountUnavailable' });
      expect(pin.message).toContain('the platform rejected the credential');
    });

    it('AccountUnavailable when no observed account has that id or alias', () => {
      const desired = atomVersion('west', { account: 'acme-mars', version: '26.12.0' });
      const pin = pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), planOptions()), 'Atom');
      expect(pin).toMatchObject({ reason: 'AccountUnavailable', accountId: 'acme-mars' });
    });
  });

  it('AccountNotAllowed only with a tenancy: without one the planner plans any observed account', () => {
    const reasons = new Set<BlockedReason | undefined>();
    const world = acmeProd([runtime('Prod West Atom', { owned: false })], { principal: VIEWER });
    const desired = [
      atomVersion('a', { version: '26.12.0' }),
      atomVersion('b', { version: '26.13.0' }),
      atomVersion('c', { account: 'elsewhere', version: '26.12.0' }),
    ];
    for (const pin of plan(desired, world, planOptions()).pins) reasons.add(pin.reason);
    expect(reasons).not.toContain('AccountNotAllowed');
    expect([...reasons].sort()).toEqual(['AccountUnavailable', 'NotOwned', 'TargetUnreachable']);
  });
});
