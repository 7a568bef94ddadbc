// Issue 11: `atomsync run` with one runtime pinned twice — once with the account alias, once with the
// account id — alternated ROLLBACK / APPLY_PENDING on it every resync (3 restarts in 25 s). The controller
// now refuses such pins: each of them gets a Stalled status with the reason, a neighbour does not, and
// across several resyncs the platform receives no write for the runtime (counted in the simulator's audit
// log). The same holds for a runtime pinned by name and by id, and for an unknown account alias.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import type { AtomVersionStatusView } from '../../controller/server/status-view.js';
import {
  ACME_PROD,
  ControllerUnderTest,
  PIN_HEADER,
  SimHandle,
  condition,
  demoClock,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const RESYNCS = 4;

let sim: SimHandle;
let dir: string;
let running: ControllerUnderTest;
let westId: string;
let eastId: string;
let stagingId: string;
const statuses = new Map<string, AtomVersionStatusView | undefined>();

function pinById(name: string, account: string, runtimeId: string, body: string): string {
  return `${PIN_HEADER}metadata: { name: ${name}, namespace: integration }\nspec:\n  account: ${account}\n  runtime: { id: ${runtimeId} }\n${body}`;
}

beforeAll(async () => {
  sim = await SimHandle.start({ clock: 'manual' });
  [westId, eastId, stagingId] = await Promise.all([
    sim.atomId(ACME_PROD, 'Prod West Atom'),
    sim.atomId(ACME_PROD, 'Prod East Molecule'),
    sim.atomId(ACME_PROD, 'Staging Atom'),
  ]);
  dir = await tempDir('controller-refused');
  const pins = join(dir, 'pins');
  await mkdir(pins, { recursive: true });
  // One runtime, two opinions: the pair that made run flip-flop (26.12.0 pending vs back to 26.11.0).
  await writeFile(
    join(pins, 'west.yaml'),
    pinYaml('west', 'acme-prod', 'Prod West Atom', '  version: 26.12.0\n'),
  );
  await writeFile(
    join(pins, 'west-by-id.yaml'),
    pinYaml('west-again', ACME_PROD, 'Prod West Atom', '  version: 26.11.0\n'),
  );
  // By name and by runtime id: the same molecule once the platform says which id the name has.
  await writeFile(
    join(pins, 'east.yaml'),
    pinYaml('east', 'acme-prod', 'Prod East Molecule', '  version: 26.12.0\n'),
  );
  await writeFile(
    join(pins, 'east-by-id.yaml'),
    pinById('east-by-id', 'acme-prod', eastId, '  version: 26.11.0\n'),
  );
  await writeFile(join(pins, 'typo.yaml'), pinYaml('typo', 'acme-prd', 'Dev Atom', '  version: 26.12.0\n'));
  // The neighbour: a runtime pinned once, in the same account.
  await writeFile(
    join(pins, 'staging.yaml'),
    pinYaml('staging', 'acme-prod', 'Staging Atom', '  version: 26.12.0\n'),
  );
  running = await ControllerUnderTest.start({
    simUrl: sim.url,
    sources: [new DirectorySource({ path: pins, debounceMs: 50 })],
    stateDir: join(dir, 'state'),
    now: demoClock(),
  });
  // The neighbour's request goes out and completes once the simulator's clock moves.
  const staging = 'integration/staging';
  await running.waitForStatus(staging, (st) => condition(st, 'Reconciling')?.status === 'True', 'sent');
  await sim.advance('60s');
  await running.waitForStatus(staging, (st) => st.runtimeVersion === '26.12.0', 'applied');
  for (let resync = 0; resync < RESYNCS; resync++) {
    await running.controller.resync();
    await running.controller.idle();
    await sim.advance('10m');
  }
  for (const key of ['west', 'west-again', 'east', 'east-by-id', 'typo', 'staging'])
    statuses.set(key, await running.status(`integration/${key}`));
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await sim?.close();
  await removeDir(dir);
});

describe('the controller refuses pins that cannot be meant', () => {
  it('gives each AtomVersion of a runtime pinned with the alias and with the account id a Stalled status', () => {
    for (const key of ['west', 'west-again']) {
      const stalled = condition(statuses.get(key), 'Stalled');
      expect(stalled, key).toMatchObject({ status: 'True', reason: 'DuplicateRuntime' });
      expect(condition(statuses.get(key), 'Ready')).toMatchObject({
        status: 'False',
        reason: 'DuplicateRuntime',
      });
    }
    expect(condition(statuses.get('west'), 'Stalled')?.message).toContain(
      `account ${ACME_PROD}, runtime 'Prod West Atom'`,
    );
  });

  it(`sends nothing to that runtime over ${RESYNCS} resyncs (the simulator's audit log)`, async () => {
    expect(await sim.writesBy(ACME_PROD, westId)).toBe(0);
    expect(await sim.version(ACME_PROD, westId)).toBe('26.11.0');
  });

  it('refuses a runtime pinned by name and by id, once the platform tells the id, and never writes to it', async () => {
    for (const key of ['east', 'east-by-id'])
      expect(condition(statuses.get(key), 'Stalled'), key).toMatchObject({
        status: 'True',
        reason: 'DuplicateRuntime',
      });
    expect(await sim.writesBy(ACME_PROD, eastId)).toBe(0);
  });

  it('refuses an unknown account alias with the closest one', () => {
    const stalled = condition(statuses.get('typo'), 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: 'UnknownAccount' });
    expect(stalled?.message).toContain("did you mean 'acme-prod'?");
  });

  it('leaves the neighbour alone: not Stalled, and its own change is applied', async () => {
    expect(condition(statuses.get('staging'), 'Stalled')).toMatchObject({ status: 'False' });
    expect(await sim.versionRequestsCreated(ACME_PROD, stagingId)).toBeGreaterThan(0);
  });
});
