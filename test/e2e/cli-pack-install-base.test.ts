// Issue 12, Deliver 5: atomsync "reports the install base: every managed account it can read, with the
// pack version each one runs, so 'has the release reached everyone?' has an answer (there is no API for
// this question today; teams write scripts for it)". Replayed as a publisher would: the real CLI against
// one simulator over loopback, a release on a date, the install base pending in its testing period, the
// simulator's clock moved past the date, the install base current — and the calls it cost, counted.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  planSchemaErrors,
  simControl,
  releaseDocument,
  startPackReleaseWorld,
  type PackReleaseWorld,
} from './support/pack-release-world.js';
import { runCli } from './support/run-cli.js';

let world: PackReleaseWorld;
let dir: string;

const workdayRelease = (timing: string, version: string, account = 'acme-publisher'): string =>
  releaseDocument({
    name: 'workday',
    namespace: 'publishing',
    account,
    pack: 'Workday Sync',
    timing,
    version,
  });

async function writeRelease(folder: string, document: string): Promise<void> {
  await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, folder, 'releases.yaml'), document);
}

const cli = (folder: string, ...args: string[]) =>
  runCli([...args, '-c', 'atomsync.yaml', '--dir', folder], { cwd: dir });

/** The platform calls a --verbose run made, one stderr line each (`POST Atom/query acme-dev → HTTP 200`). */
function callLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => / → (HTTP \d+|no answer)/.test(line));
}

async function moveSimulatorClock(now: string): Promise<void> {
  expect((await simControl(world.sim, 'clock', { now })).status).toBe(200);
}

/** Several CLI processes in a row: generous under a loaded CI machine (each takes ~1 s idle). */
const CLI_RUNS_TIMEOUT_MS = 90_000;

beforeAll(async () => {
  world = await startPackReleaseWorld('atomsync-install-base-', (folder) => [
    { alias: 'acme-publisher', accountId: 'acme-publisher-A1B2C3' },
    { alias: 'acme-prod', accountId: 'acme-prod-D4E5F6' },
    { alias: 'acme-dev', accountId: 'acme-dev-G7H8I9' },
    { alias: 'acme-eu', accountId: 'acme-eu-J1K2L3' },
    { alias: 'acme-expired', accountId: 'boomi-cloud-000000', tokenFile: join(folder, 'wrong.token') },
  ]);
  dir = world.dir;
  await writeFile(join(dir, 'wrong.token'), 'not-the-token\n');
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('the install base of an IntegrationPackRelease: has the release reached everyone?', () => {
  it(
    'shows every readable account pending in the testing period, then current once the date passed',
    async () => {
      await writeRelease('dated', workdayRelease('releaseOn: 2026-12-10', '2.0'));

      const before = await cli('dated', 'plan', '--verbose');
      expect(before.code).toBe(0);
      expect(before.stdout).toContain(
        'install base: reached 0 of 3 accounts; 2 waiting for the release to be sent; 2 not installed; 1 unreadable',
      );
      expect(before.stdout).toMatch(/acme-prod\s+Behind\s+runs version 12; the release is not sent yet/);
      expect(before.stdout).toMatch(/acme-dev\s+Behind\s+runs version 5; the release is not sent yet/);
      expect(before.stdout).toMatch(/acme-eu\s+NotInstalled\s+the pack is not installed/);
      expect(before.stdout).toMatch(/acme-expired\s+Unreadable\s+could not be read: HTTP 401 Unauthorized/);
      // The publisher: 2 (principal) + 1 PublisherIntegrationPack query. The install base: one
      // IntegrationPackInstance query per account (the 401 is sent once more, with the token file read
      // again), and an Atom query + one IntegrationPackVersions bulk in each account that has the pack.
      const installBaseCalls = callLines(before.stderr).filter((line) =>
        /IntegrationPackInstance|IntegrationPackVersions|Atom\/query/.test(line),
      );
      expect(installBaseCalls).toHaveLength(5 + 1 + 2 * 2);
      expect(callLines(before.stderr)).toHaveLength(3 + 10);

      const applied = await cli('dated', 'apply', '--yes');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/Release publishing\/workday .*: SCHEDULED/);

      const pending = await cli('dated', 'plan');
      expect(pending.stdout).toContain('Scheduled scheduled to release on 2026-12-10: c-workers 2.0');
      expect(pending.stdout).toContain(
        'install base: reached 0 of 3 accounts; 2 pending until 2026-12-10; 2 not installed; 1 unreadable',
      );
      expect(pending.stdout).toMatch(
        /acme-prod\s+Pending\s+runs version 12; the release \(version 13\) is pending until 2026-12-10 \(testing period\)/,
      );
      expect(pending.stdout).toMatch(/acme-dev\s+Pending\s+runs version 5; the release \(version 6\)/);

      await moveSimulatorClock('2026-12-10T00:00:01Z');
      const after = await cli('dated', 'plan', '-o', 'json');
      expect(after.code).toBe(0);
      const planJson = JSON.parse(after.stdout) as { releases: { installBase: unknown[] } };
      expect(await planSchemaErrors(planJson)).toBeNull();
      const [installBase] = planJson.releases.installBase;
      expect(installBase).toEqual({
        key: 'publishing/workday',
        pack: 'Workday Sync',
        integrationPackId: expect.any(String),
        reached: 2,
        total: 3,
        summary: 'reached 2 of 3 accounts; 2 not installed; 1 unreadable',
        accounts: [
          { accountId: 'acme-publisher-A1B2C3', state: 'NotInstalled', message: 'the pack is not installed' },
          {
            accountId: 'acme-prod-D4E5F6',
            state: 'Current',
            versions: [13],
            message: 'runs version 13: the release',
          },
          {
            accountId: 'acme-dev-G7H8I9',
            state: 'Current',
            versions: [6],
            message: 'runs version 6: the release',
          },
          { accountId: 'acme-eu-J1K2L3', state: 'NotInstalled', message: 'the pack is not installed' },
          {
            accountId: 'boomi-cloud-000000',
            state: 'Unreadable',
            message: expect.stringMatching(/^could not be read: HTTP 401 Unauthorized/),
          },
        ],
      });
    },
    CLI_RUNS_TIMEOUT_MS,
  );

  it(
    'fails closed when the publisher account itself cannot be read: exit 1, naming it, nothing sent',
    async () => {
      await writeRelease('expired', workdayRelease('release: immediately', '4.0', 'acme-expired'));
      const applied = await cli('expired', 'apply', '--yes');
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain(
        'the publisher account of 1 release could not be read; nothing was sent. Fix them, or leave them out with --target ACCOUNT:',
      );
      expect(applied.stderr).toMatch(
        /publishing\/workday: publisher acme-expired \(boomi-cloud-000000\): account boomi-cloud-000000 could not be read: .*HTTP 401/,
      );
      expect(applied.stdout).not.toContain('Release publishing/workday');
    },
    CLI_RUNS_TIMEOUT_MS,
  );
});
