// What reads answer between writes: the views the API serves always show the state as it is, whatever the
// simulator keeps between calls (served views, the next event's due time, the requests of each runtime).
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../../../simulator/model/world.js';
import { SMALL, smallScenario } from '../../../support/simulator/small-scenario.js';
import {
  ADMIN,
  componentsOf,
  demoWorld,
  PROD,
  requestStatus,
  requestVersions,
  smallAdmin,
} from './world-fixtures.js';

describe('served views', () => {
  it('GET Atom and the Atom query show a new name right after the update', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atom = world.handler('Atom');
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    expect(atom.get!(ctx, atomId)?.['name']).toBe('Prod West Atom');
    expect(atom.list!(ctx).map((a) => a['name'])).toContain('Prod West Atom');

    atom.update!(ctx, atomId, { name: 'West Atom Renamed' });

    expect(atom.get!(ctx, atomId)?.['name']).toBe('West Atom Renamed');
    expect(atom.list!(ctx).map((a) => a['name'])).toContain('West Atom Renamed');
    expect(atom.list!(ctx).map((a) => a['name'])).not.toContain('Prod West Atom');
  });

  it('AtomVersions shows the covering request as soon as it is made, and the new version once it is taken', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    expect(componentsOf(world, ctx, atomId)['Atom']).toMatchObject({
      version: '26.11.0',
      pendingVersion: '26.12.0',
    });

    const request = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']);

    expect(componentsOf(world, ctx, atomId)['Atom']?.outstandingRequestId).toBe(request['id']);
    world.advanceClock(3_000);
    expect(requestStatus(world, ctx, request['id'])).toBe('COMPLETE');
    const after = componentsOf(world, ctx, atomId)['Atom'];
    expect(after).toMatchObject({ version: '26.12.0', rollbackVersion: '26.11.0' });
    expect(after?.outstandingRequestId).toBeUndefined();
  });

  it('a real-time clock takes a request through inactivity and restart on ticks alone, and reads follow each step', async () => {
    let wall = 0;
    const world = await createWorld({ scenario: smallScenario(), clock: 'realtime', wallClock: () => wall });
    const ctx = smallAdmin(world);
    const atomId = world.runtimeId(SMALL.accountId, 'Atom One');
    const status = world.handler('Atom');
    const request = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']);
    expect(requestStatus(world, ctx, request['id'])).toBe('WAITING_FOR_INACTIVITY');

    wall += 1_999;
    world.tick();
    expect(requestStatus(world, ctx, request['id'])).toBe('WAITING_FOR_INACTIVITY');
    wall += 1;
    world.tick();
    expect(requestStatus(world, ctx, request['id'])).toBe('RESTARTING');
    expect(status.get!(ctx, atomId)?.['statusDetail']).toBe('RESTARTING');
    expect(componentsOf(world, ctx, atomId)['Atom']?.version).toBe('26.11.0');

    wall += 1_000;
    world.tick();
    expect(requestStatus(world, ctx, request['id'])).toBe('COMPLETE');
    expect(status.get!(ctx, atomId)?.['statusDetail']).toBe('ONLINE_RUNNING');
    expect(componentsOf(world, ctx, atomId)['Atom']?.version).toBe('26.12.0');
  });

  it('a busy runtime set idle through simulator control restarts after the wait, with no API write', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    world.setActivity(PROD, atomId, 2);
    const request = requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']);
    world.advanceClock(60_000);
    expect(requestStatus(world, ctx, request['id'])).toBe('WAITING_FOR_INACTIVITY');

    world.setActivity(PROD, atomId, 0);
    expect(world.nextEventAt()?.toISOString()).toBe('2026-11-23T08:01:02.000Z');
    world.advanceClock(3_000);
    expect(requestStatus(world, ctx, request['id'])).toBe('COMPLETE');
  });

  it('an object a read answered cannot be changed by its caller, so no other caller sees such a change', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod East Molecule');
    const first = world.handler('Atom').get!(ctx, atomId)!;
    const versions = world.handler('AtomVersions').get!(ctx, atomId)!;

    expect(() => {
      first['name'] = 'Changed by a caller';
    }).toThrow(TypeError);
    expect(() => {
      (versions['AtomVersion'] as { version: string }[])[0]!.version = '0.0.0';
    }).toThrow(TypeError);

    expect(world.handler('Atom').get!(ctx, atomId)?.['name']).toBe('Prod East Molecule');
    expect(componentsOf(world, ctx, atomId)['Atom']?.version).toBe('26.11.0');
  });
});
