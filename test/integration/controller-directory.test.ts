// The controller watching a pins directory: edits reconcile, renames change nothing, deletes stop
// management without touching the runtime; and the demo pins converge end to end (TEST before PROD).
import { cp, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestJournal } from '../../controller/reconciler/request-journal.js';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import {
  ACME_PROD,
  ControllerUnderTest,
  SimHandle,
  condition,
  demoClock,
  eventually,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const EXAMPLE_PINS = fileURLToPath(new URL('../../examples/pins', import.meta.url));
const staging = (version: string) =>
  pinYaml('staging-atom', 'acme-prod', 'Staging Atom', `  version: ${version}\n`);
const prodWest = pinYaml('prod-west-atom', 'acme-prod', 'Prod West Atom', '  channel: released\n');

describe('controller with a watched directory', () => {
  let sim: SimHandle;
  let dir: string;
  let pins: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    dir = await tempDir('controller-dir');
    pins = join(dir, 'pins');
    await mkdir(pins, { recursive: true });
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await sim.close();
    await removeDir(dir);
  });

  async function start(): Promise<ControllerUnderTest> {
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: pins, debounceMs: 50 })],
      stateDir: join(dir, 'state'),
      now: demoClock(),
    });
    return running;
  }

  async function sourceRevision(controller: ControllerUnderTest): Promise<string | undefined> {
    return (await controller.list()).sources[0]?.revision;
  }

  it('reconciles an edit, changes nothing on a rename, and stops managing a deleted pin without touching its runtime', async () => {
    await writeFile(join(pins, 'staging.yaml'), staging('26.11.0'));
    await writeFile(join(pins, 'prod-west.yaml'), prodWest);
    const controller = await start();
    for (const key of ['integration/staging-atom', 'integration/prod-west-atom'])
      await controller.waitForStatus(key, (s) => condition(s, 'Ready')?.status === 'True', 'in sync');
    const historyBefore = (await controller.status('integration/staging-atom'))?.history.length;

    const beforeRename = await sourceRevision(controller);
    await rename(join(pins, 'staging.yaml'), join(pins, 'renamed-staging.yaml'));
    await eventually(async () => (await sourceRevision(controller)) !== beforeRename, 'the rename was seen');
    await controller.controller.idle();
    const renamed = await controller.status('integration/staging-atom');
    expect(renamed?.history.length).toBe(historyBefore);
    expect(condition(renamed, 'Ready')?.status).toBe('True');

    await writeFile(join(pins, 'renamed-staging.yaml'), staging('26.12.0'));
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Reconciling')?.status === 'True',
      'the edit sent a request',
    );
    await sim.advance('60s');
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True' && s.runtimeVersion === '26.12.0',
      'Ready on 26.12.0',
    );

    const prodWestId = await sim.atomId(ACME_PROD, 'Prod West Atom');
    await unlink(join(pins, 'prod-west.yaml'));
    await eventually(
      async () => (await controller.status('integration/prod-west-atom')) === undefined,
      'status removed',
    );
    const list = await controller.list();
    expect(list.items.map((item) => item.name)).toEqual(['staging-atom']);
    expect(await sim.writesBy(ACME_PROD, prodWestId)).toBe(0);
    expect(await sim.version(ACME_PROD, prodWestId)).toBe('26.11.0');
  });

  it('keeps managing an AtomVersion whose file stops loading, marks it Stalled, and resumes once fixed', async () => {
    await writeFile(join(pins, 'staging.yaml'), staging('26.11.0'));
    const controller = await start();
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync',
    );
    await writeFile(join(pins, 'staging.yaml'), staging('26.12.0').replace('version:', 'verison:'));
    const stalled = await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Stalled')?.status === 'True',
      'Stalled on the broken file',
    );
    expect(condition(stalled, 'Stalled')).toMatchObject({
      reason: 'InvalidPins',
      message: expect.stringContaining('staging.yaml'),
    });
    expect(condition(stalled, 'Ready')?.status).toBe('True');
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);

    await writeFile(join(pins, 'staging.yaml'), staging('26.12.0'));
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Stalled')?.status === 'False' && condition(s, 'Reconciling')?.status === 'True',
      'fixed file applied',
    );
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(1);
  });

  it('converges the demo pins: TEST runtimes first, PROD after, blocked pins reported', async () => {
    await cp(EXAMPLE_PINS, pins, { recursive: true });
    const controller = await start();
    const expectedBlocked: Record<string, string> = {
      'eu-atom': 'InsufficientPrivilege',
      'prod-west-atom': 'InstallBaseLock',
      'public-cloud-us-east': 'NotOwned',
    };
    await eventually(
      async () => {
        await sim.advance('30s');
        const { items } = await controller.list();
        const settled = items.filter((item) => {
          const ready = condition(item, 'Ready');
          return ready?.status === 'True' || ready?.reason === expectedBlocked[item.name];
        });
        return items.length === 8 && settled.length === 8;
      },
      'every demo AtomVersion Ready or blocked for its expected reason',
      30_000,
    );

    const { items } = await controller.list();
    const ready = items
      .filter((item) => condition(item, 'Ready')?.status === 'True')
      .map((item) => item.name);
    expect(ready.sort()).toEqual([
      'acme-private-cloud',
      'dev-atom',
      'prod-east-molecule',
      'qa-molecule',
      'staging-atom',
    ]);
    for (const item of items.filter((entry) => expectedBlocked[entry.name]))
      expect(condition(item, 'Drifted')?.status).toBe('True');

    // The journal as a restart would read it: requests.json plus the lines appended since in requests.log.
    const journal = await RequestJournal.read(join(dir, 'state'));
    expect(journal.outstanding()).toEqual([]);
    const completed = journal.completed();
    const prod = completed.filter((entry) => entry.key === 'integration/prod-east-molecule');
    const test = completed.filter((entry) => entry.key !== 'integration/prod-east-molecule');
    expect(prod).toHaveLength(1);
    expect(completed.every((entry) => entry.status === 'COMPLETE')).toBe(true);
    const lastTestDone = Math.max(...test.map((entry) => Date.parse(entry.completedAt)));
    expect(Date.parse(prod[0]!.intendedAt)).toBeGreaterThanOrEqual(lastTestDone);
  });
});
