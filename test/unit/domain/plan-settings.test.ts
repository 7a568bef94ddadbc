// spec.releaseSchedule and spec.forceRestartAfter in the pure planner (issue 12, Deliver 1): each is a pin
// that is InSync, Configure (one request), or Blocked by the same gates as any change — but no
// maintenance window holds them back, since neither write restarts the runtime.
import { describe, expect, it } from 'vitest';
import { plan } from '../../../controller/domain/plan.js';
import { validateAtomVersion } from '../../../controller/schema/atomversion-schema.js';
import { acmeProd, atomVersion, planOptions, runtime } from './builders.js';

const BERLIN = { week: 'last', day: 'SUNDAY', hour: 3, timeZone: 'Europe/Berlin' } as const;

function settingsPins(result: ReturnType<typeof plan>) {
  return result.pins
    .filter((pin) => pin.kind === 'releaseSchedule' || pin.kind === 'forceRestart')
    .map((pin) => ({ name: pin.name, outcome: pin.outcome, reason: pin.reason }));
}

describe('release schedule and force-restart pins', () => {
  const atom = runtime('Prod West Atom', {
    releaseSchedule: { scheduleType: 'FIRST', dayOfWeek: 'SATURDAY', hourOfDay: 2, timeZone: 'Etc/UTC' },
    forceRestartTime: 0,
  });

  it('plan one request each, inside a closed maintenance window too (no restart)', () => {
    const desired = atomVersion('west', {
      releaseSchedule: { ...BERLIN },
      forceRestartAfter: '1h30m',
      policy: { windows: [{ kind: 'deny', schedule: '0 0 * * *', duration: '23h59m' }] },
    });
    const result = plan([desired], acmeProd([atom]), planOptions());
    expect(settingsPins(result)).toEqual([
      { name: 'Release schedule', outcome: 'Configure', reason: undefined },
      { name: 'Force restart', outcome: 'Configure', reason: undefined },
    ]);
    expect(
      result.changes.map((request) => [request.kind, request.releaseSchedule, request.forceRestartTime]),
    ).toEqual([
      [
        'RuntimeReleaseSchedule',
        { scheduleType: 'LAST', dayOfWeek: 'SUNDAY', hourOfDay: 3, timeZone: 'Europe/Berlin' },
        undefined,
      ],
      ['AtomForceRestartTime', undefined, 5_400_000],
    ]);
    expect(result.summary.toChange).toBe(2);
  });

  it('are in sync when the platform already has them (UTC spelled Etc/UTC, NEVER whatever its day)', () => {
    const desired = atomVersion('west', {
      releaseSchedule: { week: 'first', day: 'SATURDAY', hour: 2 },
      forceRestartAfter: '0s',
    });
    expect(settingsPins(plan([desired], acmeProd([atom]), planOptions())).map((pin) => pin.outcome)).toEqual([
      'InSync',
      'InSync',
    ]);
    const never = runtime('Prod West Atom', {
      releaseSchedule: { scheduleType: 'NEVER', dayOfWeek: 'SUNDAY', timeZone: 'Etc/UTC' },
    });
    const neverPin = atomVersion('west', { releaseSchedule: { week: 'never' } });
    expect(settingsPins(plan([neverPin], acmeProd([never]), planOptions()))[0]?.outcome).toBe('InSync');
  });

  it('are Suspended, ObserveOnly or NotOwned like every change, and send nothing', () => {
    const pinned = { releaseSchedule: { ...BERLIN }, forceRestartAfter: '5m' };
    const suspended = plan(
      [atomVersion('west', { ...pinned, policy: { suspend: true } })],
      acmeProd([atom]),
      planOptions(),
    );
    expect(settingsPins(suspended).map((pin) => pin.reason)).toEqual(['Suspended', 'Suspended']);
    const observed = plan(
      [atomVersion('west', { ...pinned, policy: { mode: 'observe' } })],
      acmeProd([atom]),
      planOptions(),
    );
    expect(settingsPins(observed).map((pin) => pin.reason)).toEqual(['ObserveOnly', 'ObserveOnly']);
    const attachment = { ...atom, owned: false };
    const notOwned = plan([atomVersion('west', pinned)], acmeProd([attachment]), planOptions());
    expect(settingsPins(notOwned).map((pin) => pin.reason)).toEqual(['NotOwned', 'NotOwned']);
    expect([...suspended.changes, ...observed.changes, ...notOwned.changes]).toEqual([]);
  });

  it('a runtime with no schedule on the platform gets a CREATE', () => {
    const bare = runtime('Prod West Atom', { releaseSchedule: null });
    const result = plan(
      [atomVersion('west', { releaseSchedule: { ...BERLIN } })],
      acmeProd([bare]),
      planOptions(),
    );
    expect(result.changes[0]).toMatchObject({ kind: 'RuntimeReleaseSchedule', create: true });
  });
});

describe('the CRD schema', () => {
  function issues(spec: object): string[] {
    const doc = {
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      metadata: { name: 'x' },
      spec: { account: 'acme', runtime: { name: 'A' }, ...spec },
    };
    const result = validateAtomVersion(doc);
    return result.ok ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
  }

  it('takes a first/last schedule with day and hour, never alone, and a Go duration', () => {
    expect(issues({ releaseSchedule: BERLIN, forceRestartAfter: '30m' })).toEqual([]);
    expect(issues({ releaseSchedule: { week: 'never' } })).toEqual([]);
  });

  it('refuses a first week without day and hour, an hour of 24, and a duration in days, naming the field', () => {
    expect(issues({ releaseSchedule: { week: 'first' } }).join('\n')).toContain('spec.releaseSchedule');
    expect(issues({ releaseSchedule: { ...BERLIN, hour: 24 } }).join('\n')).toContain(
      'spec.releaseSchedule.hour',
    );
    expect(issues({ forceRestartAfter: '2d' }).join('\n')).toContain('spec.forceRestartAfter');
  });
});
