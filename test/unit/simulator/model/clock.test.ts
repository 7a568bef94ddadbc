// Model time: never backwards, events in time order, real-time and manual clocks.
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../../../simulator/model/world.js';
import { SMALL, smallScenario } from '../../../support/simulator/small-scenario.js';
import { ADMIN, demoWorld, PROD, refusal, requestStatus, requestVersions } from './world-fixtures.js';

describe('the clock', () => {
  it('never moves backwards: setClock to an earlier time or a negative advance is refused with 409', async () => {
    const world = await demoWorld();
    world.setClock(new Date('2026-11-24T00:00:00Z'));
    const back = refusal(() => world.setClock(new Date('2026-11-23T23:59:59Z')));
    expect(back.status).toBe(409);
    expect(back.message).toContain('never moves backwards');
    expect(refusal(() => world.advanceClock(-1)).status).toBe(409);
    expect(world.now().toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('runs the events it passes in time order, each at its own instant, even in one long jump', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const created = requestVersions(world, ctx, world.runtimeId(PROD, 'Prod West Atom'), 'APPLY_PENDING', [
      'HTTP Client',
    ]);
    world.setClock(new Date('2026-12-31T00:00:00Z'));
    expect(requestStatus(world, ctx, created['id'])).toBe('COMPLETE');
    const log = world.handler('AuditLog').list!(ctx);
    const dates = log.map((r) => String(r['date']));
    expect([...dates].sort()).toEqual(dates);
    const complete = log.find((r) => r['modifier'] === 'COMPLETE');
    const release = log.find((r) => r['action'] === 'PLATFORM_RELEASE');
    expect(complete?.['date']).toBe('2026-11-23T08:00:03Z');
    expect(release?.['date']).toBe('2026-12-05T02:00:00Z');
    expect(world.pendingEvents().map((e) => e.kind)).toEqual([]);
  });

  it('a real-time clock follows wall time on tick; a manual clock does not', async () => {
    let wall = 1_000_000;
    const realtime = await createWorld({
      scenario: smallScenario(),
      clock: 'realtime',
      wallClock: () => wall,
    });
    const manual = await createWorld({ scenario: smallScenario(), clock: 'manual', wallClock: () => wall });
    wall += 90_000;
    realtime.tick();
    manual.tick();
    expect(realtime.now().toISOString()).toBe('2026-11-23T08:01:30.000Z');
    expect(manual.now().toISOString()).toBe(SMALL.start);
  });

  it('a real-time clock set forward keeps following wall time from there', async () => {
    let wall = 0;
    const world = await createWorld({ scenario: smallScenario(), clock: 'realtime', wallClock: () => wall });
    world.setClock(new Date('2026-11-30T00:00:00Z'));
    wall += 1_000;
    world.tick();
    expect(world.now().toISOString()).toBe('2026-11-30T00:00:01.000Z');
  });

  it('says when the next event is due', async () => {
    const world = await demoWorld();
    expect(world.nextEventAt()?.toISOString()).toBe('2026-12-05T02:00:00.000Z');
    requestVersions(
      world,
      world.context(ADMIN, PROD),
      world.runtimeId(PROD, 'Prod West Atom'),
      'APPLY_PENDING',
      ['Atom'],
    );
    expect(world.nextEventAt()?.toISOString()).toBe('2026-11-23T08:00:02.000Z');
  });
});
