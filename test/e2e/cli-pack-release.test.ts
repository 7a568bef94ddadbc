// Issue 12, Deliver 5: "atomsync creates or updates the release, follows ReleaseIntegrationPackStatus".
// The real CLI against the simulator over loopback: plan shows the release as a change (exit 2 with
// --detailed-exitcode), apply sends ReleaseIntegrationPack and follows its status, a changed date or
// version updates the scheduled release, and an account that does not publish the pack is refused.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/start.js';
import {
  planSchemaErrors,
  platformCall,
  releaseDocument,
  startPackReleaseWorld,
  type PackReleaseWorld,
} from './support/pack-release-world.js';
import { runCli, stderrWithoutRetries } from './support/run-cli.js';

const PUBLISHER = 'acme-publisher-A1B2C3';
let world: PackReleaseWorld;
let sim: RunningSimulator;
let dir: string;

const release = (name: string, account: string, pack: string, timing: string, version = '2.0'): string =>
  releaseDocument({ name, namespace: 'publishing', account, pack, timing, version });

async function writePins(folder: string, ...docs: string[]): Promise<void> {
  await rm(join(dir, folder), { recursive: true, force: true });
  await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, folder, 'releases.yaml'), docs.join('---\n'));
}

const cli = (folder: string, ...args: string[]) =>
  runCli([...args, '-c', 'atomsync.yaml', '--dir', folder], { cwd: dir });

async function publisherPack(name: string): Promise<Record<string, unknown>> {
  const response = await platformCall(sim, PUBLISHER, 'PublisherIntegrationPack/query', {});
  const { result } = (await response.json()) as { result: Record<string, unknown>[] };
  return result.find((pack) => pack['name'] === name)!;
}

/** Several CLI processes in a row: generous under a loaded CI machine (each takes ~1 s idle). */
const CLI_RUNS_TIMEOUT_MS = 90_000;

beforeAll(async () => {
  world = await startPackReleaseWorld('atomsync-pack-release-', () => [
    { alias: 'acme-publisher', accountId: PUBLISHER },
    { alias: 'acme-dev', accountId: 'acme-dev-G7H8I9' },
  ]);
  sim = world.sim;
  dir = world.dir;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('IntegrationPackRelease: plan and apply', () => {
  it(
    'plans an immediate release as a change, applies it and follows it to SUCCESS, then is in sync',
    async () => {
      await writePins('now', release('workday', 'acme-publisher', 'Workday Sync', 'release: immediately'));
      const planned = await cli('now', 'plan', '--detailed-exitcode');
      expect(stderrWithoutRetries(planned)).toBe('');
      expect(planned.code).toBe(2);
      expect(planned.stdout).toContain('Integration pack releases (publisher): 1 to send');
      expect(planned.stdout).toContain(
        'publishing/workday  acme-publisher / Workday Sync  Release release c-workers 2.0 now, to every account of the install base',
      );

      const applied = await cli('now', 'apply', '--yes');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(
        /Release publishing\/workday \(acme-publisher \/ Workday Sync\): SUCCESS \(ReleaseIntegrationPack request \S+\)/,
      );
      const pack = await publisherPack('Workday Sync');
      expect(pack['PublisherPackagedComponents']).toMatchObject({
        PublisherPackagedComponent: [{ componentId: 'c-workers', currentVersion: '2.0' }],
      });

      const again = await cli('now', 'plan', '--detailed-exitcode');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Integration pack releases (publisher): 0 to send');
      expect(again.stdout).toContain('InSync released: c-workers 2.0');
    },
    CLI_RUNS_TIMEOUT_MS,
  );

  it(
    'schedules a release on a date, then updates the scheduled release when the date or version changes',
    async () => {
      await writePins(
        'dated',
        release('workday', 'acme-publisher', 'Workday Sync', 'releaseOn: 2026-12-20', '3.0'),
      );
      const created = await cli('dated', 'apply', '--yes');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/Release publishing\/workday .*: SCHEDULED/);
      const scheduled = await cli('dated', 'plan', '--detailed-exitcode');
      expect(scheduled.code).toBe(0);
      expect(scheduled.stdout).toContain('Scheduled scheduled to release on 2026-12-20: c-workers 2.0 → 3.0');

      await writePins(
        'dated',
        release('workday', 'acme-publisher', 'Workday Sync', 'releaseOn: 2026-12-24', '3.1'),
      );
      const json = await cli('dated', 'plan', '-o', 'json');
      expect(await planSchemaErrors(JSON.parse(json.stdout))).toBeNull();
      expect(JSON.parse(json.stdout).releases.changes).toEqual([
        expect.objectContaining({
          key: 'publishing/workday',
          operation: 'UPDATE',
          releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
          releaseOnDate: '2026-12-24',
          components: [
            { componentId: 'c-workers', version: '3.1', currentVersion: '2.0', pendingVersion: '3.0' },
          ],
        }),
      ]);
      const updated = await cli('dated', 'apply', '--yes');
      expect(updated.code).toBe(0);
      expect(updated.stdout).toMatch(/: SCHEDULED/);
      const after = await cli('dated', 'plan', '--detailed-exitcode');
      expect(after.code).toBe(0);
      expect(after.stdout).toContain('scheduled to release on 2026-12-24: c-workers 2.0 → 3.1');
    },
    CLI_RUNS_TIMEOUT_MS,
  );

  it(
    'refuses a release from an account that does not publish the pack, and sends nothing',
    async () => {
      await writePins('wrong', release('workday', 'acme-dev', 'Workday Sync', 'release: immediately'));
      const planned = await cli('wrong', 'plan');
      expect(planned.code).toBe(0);
      expect(planned.stdout).toContain(
        "Blocked NotPublisher: account acme-dev-G7H8I9 does not publish a pack named or with id 'Workday Sync' (it publishes no pack); only the publisher can release a pack: set spec.account to the publisher account",
      );
      const applied = await cli('wrong', 'apply', '--yes');
      expect(applied.stdout).toContain('Nothing to apply.');
    },
    CLI_RUNS_TIMEOUT_MS,
  );
});
