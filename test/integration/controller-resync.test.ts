// What a periodic resync costs: one observation per account for all its AtomVersions (the lower bound of
// controller/platform/observe.ts), not one per AtomVersion — and nothing is written when nothing drifted.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import {
  ACME_PROD,
  ControllerUnderTest,
  SimHandle,
  condition,
  demoClock,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const PINS: Record<string, string> = {
  'a.yaml': pinYaml('prod-west-atom', 'acme-prod', 'Prod West Atom', '  channel: released\n'),
  'b.yaml': pinYaml('staging-atom', 'acme-prod', 'Staging Atom', '  version: 26.11.0\n'),
  'c.yaml': pinYaml('acme-private-cloud', 'acme-prod', 'Acme Private Cloud', '  channel: released\n'),
  'd.yaml': pinYaml('prod-east-molecule', 'acme-prod', 'Prod East Molecule', '  version: 26.11.0\n'),
};

describe('controller resync cost', () => {
  let sim: SimHandle;
  let dir: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    dir = await tempDir('controller-resync');
    await mkdir(join(dir, 'pins'), { recursive: true });
    for (const [file, content] of Object.entries(PINS)) await writeFile(join(dir, 'pins', file), content);
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await sim.close();
    await removeDir(dir);
  });

  it('observes the account once for all its AtomVersions on an idle resync and writes nothing', async () => {
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: join(dir, 'pins'), debounceMs: 50 })],
      stateDir: join(dir, 'state'),
      now: demoClock(),
    });
    const controller = running;
    for (const key of ['prod-west-atom', 'staging-atom', 'acme-private-cloud', 'prod-east-molecule'])
      await controller.waitForStatus(
        `integration/${key}`,
        (s) => condition(s, 'Ready')?.status === 'True',
        'in sync',
      );
    await controller.controller.idle();
    const before = await controller.list();

    controller.counter.reset();
    await controller.controller.resync();
    await controller.controller.idle();

    // AccountUserRole + Role (principal), one Atom query page, one AtomVersions bulk: 4 calls for 4 keys.
    expect(controller.counter.snapshot()).toMatchObject({
      total: 4,
      byObject: { AccountUserRole: 1, Role: 1, Atom: 1, AtomVersions: 1 },
    });
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
    const after = await controller.list();
    expect(after.items.map((item) => item.history.length)).toEqual(
      before.items.map((item) => item.history.length),
    );
  });
});
