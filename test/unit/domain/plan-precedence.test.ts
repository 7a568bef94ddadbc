import { describe, expect, it } from 'vitest';
import { plan } from '../../../controller/domain/plan.js';
import type { OutstandingRequest, RuntimeState } from '../../../controller/domain/types.js';
import { acmeProd, atomVersion, component, planOptions, runtime, VIEWER } from './builders.js';
import type { AtomVersionOverrides } from './builders.js';
import { pinNamed } from './plan-helpers.js';

const outstandingApply: OutstandingRequest = {
  id: 'avr-7',
  kind: 'AtomVersionUpdateRequest',
  action: 'APPLY_PENDING',
  components: ['Atom'],
  status: 'ACCEPTED',
};
const closedWindow = [
  { kind: 'allow' as const, schedule: '0 22 * * SAT', duration: '1h', timeZone: 'Europe/Berlin' },
];

function atomPin(
  west: RuntimeState,
  overrides: AtomVersionOverrides,
  extra: Parameters<typeof acmeProd>[1] = {},
) {
  return pinNamed(plan([atomVersion('west', overrides)], acmeProd([west], extra), planOptions()), 'Atom');
}

describe('outcome precedence', () => {
  it('RuntimeNotFound outranks every policy', () => {
    const pin = pinNamed(
      plan(
        [atomVersion('x', { runtime: { name: 'Nowhere' }, version: '26.11.0', policy: { suspend: true } })],
        acmeProd([runtime('Prod West Atom')]),
        planOptions(),
      ),
      'Atom',
    );
    expect(pin.reason).toBe('RuntimeNotFound');
  });

  it('AccountUnavailable outranks InSync', () => {
    const world = acmeProd([runtime('Prod West Atom')], { error: { code: 'Timeout', message: 'no answer' } });
    expect(
      pinNamed(plan([atomVersion('west', { version: '26.11.0' })], world, planOptions()), 'Atom').reason,
    ).toBe('AccountUnavailable');
  });

  it('InSync outranks Suspended, ObserveOnly and an outstanding request', () => {
    const west = runtime('Prod West Atom', { outstanding: [outstandingApply] });
    expect(atomPin(west, { version: '26.11.0', policy: { suspend: true, mode: 'observe' } }).outcome).toBe(
      'InSync',
    );
  });

  it('Suspended outranks ObserveOnly and Waiting', () => {
    const west = runtime('Prod West Atom', { outstanding: [outstandingApply] });
    expect(atomPin(west, { version: '26.12.0', policy: { suspend: true, mode: 'observe' } }).reason).toBe(
      'Suspended',
    );
  });

  it('ObserveOnly outranks Waiting', () => {
    const west = runtime('Prod West Atom', { outstanding: [outstandingApply] });
    expect(atomPin(west, { version: '26.12.0', policy: { mode: 'observe' } }).reason).toBe('ObserveOnly');
  });

  it('Waiting outranks TargetUnreachable (an outstanding request hides the pending version, R6)', () => {
    const west = runtime('Prod West Atom', {
      components: [component('Atom', '26.11.0', { outstandingRequestId: 'avr-7' })],
      outstanding: [outstandingApply],
    });
    expect(atomPin(west, { version: '26.12.0' })).toMatchObject({ outcome: 'Waiting', requestId: 'avr-7' });
  });

  it('TargetUnreachable outranks NotOwned', () => {
    expect(atomPin(runtime('Prod West Atom', { owned: false }), { version: '26.13.0' }).reason).toBe(
      'TargetUnreachable',
    );
  });

  it('NotOwned outranks InsufficientPrivilege', () => {
    expect(
      atomPin(runtime('Prod West Atom', { owned: false }), { version: '26.12.0' }, { principal: VIEWER })
        .reason,
    ).toBe('NotOwned');
  });

  it('InsufficientPrivilege outranks OutsideWindow', () => {
    const pin = atomPin(
      runtime('Prod West Atom'),
      { version: '26.12.0', policy: { windows: closedWindow } },
      { principal: VIEWER },
    );
    expect(pin).toMatchObject({ reason: 'InsufficientPrivilege', needsPrivilege: 'ATOM_MANAGEMENT' });
  });

  it('OutsideWindow outranks Manual (a rollback: no release-schedule lever reaches it)', () => {
    const pin = atomPin(
      runtime('Prod West Atom', {
        components: [component('Atom', '26.12.0', { rollbackVersion: '26.11.0' })],
      }),
      { version: '26.11.0', policy: { windows: closedWindow } },
      { capabilities: { versionActions: false, packActions: false } },
    );
    expect(pin.reason).toBe('OutsideWindow');
  });

  it('Manual outranks the API action (a rollback without version actions)', () => {
    const pin = atomPin(
      runtime('Prod West Atom', {
        components: [component('Atom', '26.12.0', { rollbackVersion: '26.11.0' })],
      }),
      { version: '26.11.0' },
      { capabilities: { versionActions: false, packActions: true } },
    );
    expect(pin.outcome).toBe('Manual');
  });

  it('inside an open allow window the change is planned', () => {
    const options = planOptions({ now: new Date('2026-11-28T21:30:00Z') });
    const desired = atomVersion('west', { version: '26.12.0', policy: { windows: closedWindow } });
    expect(pinNamed(plan([desired], acmeProd([runtime('Prod West Atom')]), options), 'Atom').outcome).toBe(
      'ApplyPending',
    );
  });
});
