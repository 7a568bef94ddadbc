// The state file: atomic JSON, and a world reloaded from it continues where the last one stopped.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld } from '../../../../simulator/model/world.js';
import {
  ADMIN,
  componentsOf,
  demoWorld,
  DEMO_FILE,
  PROD,
  refusal,
  requestStatus,
  requestVersions,
} from './world-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomsync-sim-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('a world killed mid-request and reloaded from its state file continues where it was', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await demoWorld({ stateFile });
    const ctx = first.context(ADMIN, PROD);
    const atomId = first.runtimeId(PROD, 'Prod East Molecule');
    const created = requestVersions(first, ctx, atomId, 'APPLY_PENDING', ['Atom']);
    first.advanceClock(3_000); // restarting, node 2 of 3
    await first.persist();

    const second = await demoWorld({ stateFile });
    expect(second.now().toISOString()).toBe('2026-11-23T08:00:03.000Z');
    expect(requestStatus(second, ctx, created['id'])).toBe('RESTARTING');
    second.advanceClock(2_000);
    expect(requestStatus(second, ctx, created['id'])).toBe('COMPLETE');
    expect(componentsOf(second, ctx, atomId)['Atom']?.version).toBe('26.12.0');
  });

  it('writes the state atomically: one complete JSON file, no temp files left, readable only by its owner', async () => {
    const stateFile = join(dir, 'state.json');
    const world = await demoWorld({ stateFile });
    world.advanceClock(1_000);
    const saves = [world.persist(), world.persist()];
    world.advanceClock(1_000);
    await Promise.all([...saves, world.persist()]);
    expect(await readdir(dir)).toEqual(['state.json']);
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { state: { clock: { now: string } } };
    expect(saved.state.clock.now).toBe('2026-11-23T08:00:02.000Z');
    if (process.platform !== 'win32') {
      const { stat } = await import('node:fs/promises');
      expect((await stat(stateFile)).mode & 0o077).toBe(0);
    }
  });

  it('an existing state file wins over the scenario', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await demoWorld({ stateFile });
    first.setClock(new Date('2026-12-06T00:00:00Z'));
    await first.persist();
    const reloaded = await createWorld({ scenarioFile: DEMO_FILE, stateFile, clock: 'manual' });
    expect(reloaded.now().toISOString()).toBe('2026-12-06T00:00:00.000Z');
    const ctx = reloaded.context(ADMIN, PROD);
    expect(componentsOf(reloaded, ctx, reloaded.runtimeId(PROD, 'Prod West Atom'))['Atom']?.version).toBe(
      '26.12.0',
    );
  });

  it("a state file that is not the simulator's is reported with its path", async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(stateFile, '{"something": "else"}');
    await expect(demoWorld({ stateFile })).rejects.toThrow(`${stateFile}: is not a simulator state file`);
    await writeFile(stateFile, '{not json');
    await expect(demoWorld({ stateFile })).rejects.toThrow('is not valid JSON');
  });

  it('the state dump masks API tokens', async () => {
    const world = await demoWorld();
    const dump = JSON.stringify(world.dumpState());
    expect(dump).not.toContain('demo-admin-token');
    expect(dump).toContain('"token":"***"');
    expect(refusal(() => world.setRateLimit(-1)).status).toBe(400);
  });
});
