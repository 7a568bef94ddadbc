// Issue 12, Deliver 5, with Terraform's rule that apply executes exactly the reviewed plan: `apply
// plan.json` sends the saved releases, not releases planned again; and when the publisher's pack moved
// since the plan (another person released it), apply says the plan is stale, sends nothing, exits 1.
// The real CLI against one simulator over loopback; what was sent is read back from the simulator.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  packReleasesReceived,
  platformCall,
  releaseDocument,
  startPackReleaseWorld,
  type PackReleaseWorld,
} from './support/pack-release-world.js';
import { runCli } from './support/run-cli.js';

const PUBLISHER = 'acme-publisher-A1B2C3';
let world: PackReleaseWorld;

async function writeRelease(folder: string, version: string, timing: string): Promise<void> {
  await mkdir(join(world.dir, folder), { recursive: true });
  const document = releaseDocument({
    name: 'orders',
    namespace: 'publishing',
    account: 'acme-publisher',
    pack: 'Salesforce to NetSuite',
    componentId: 'c-orders',
    version,
    timing,
  });
  await writeFile(join(world.dir, folder, 'releases.yaml'), document);
}

const cli = (folder: string, ...args: string[]) =>
  runCli([...args, '-c', 'atomsync.yaml', '--dir', folder], { cwd: world.dir });

/** Several CLI processes in a row: generous under a loaded CI machine (each takes ~1 s idle). */
const CLI_RUNS_TIMEOUT_MS = 90_000;

beforeAll(async () => {
  world = await startPackReleaseWorld('atomsync-release-saved-plan-', () => [
    { alias: 'acme-publisher', accountId: PUBLISHER },
    { alias: 'acme-prod', accountId: 'acme-prod-D4E5F6' },
  ]);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('apply plan.json with IntegrationPackReleases', () => {
  it(
    'sends exactly the saved release, without asking',
    async () => {
      await writeRelease('now', '1.0', 'release: immediately');
      const planned = await cli('now', 'plan', '--out', 'now.json');
      expect(planned.code).toBe(0);
      const before = (await packReleasesReceived(world.sim)).length;

      const applied = await cli('now', 'apply', 'now.json');
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(
        /Release publishing\/orders \(acme-publisher \/ Salesforce to NetSuite\): SUCCESS/,
      );
      expect(applied.stdout).toContain(
        'Install base of publishing/orders now: reached 1 of 1 account; 1 not installed',
      );
      const sent = (await packReleasesReceived(world.sim)).slice(before);
      expect(sent).toEqual([
        expect.objectContaining({
          releaseSchedule: 'IMMEDIATELY',
          components: [expect.objectContaining({ componentId: 'c-orders', version: '1.0' })],
        }),
      ]);
    },
    CLI_RUNS_TIMEOUT_MS,
  );

  it(
    'refuses a saved release when the pack moved since the plan: nothing is sent, exit 1',
    async () => {
      await writeRelease('dated', '2.0', 'releaseOn: 2026-12-24');
      const planned = await cli('dated', 'plan', '--out', 'dated.json');
      expect(planned.code).toBe(0);
      const packId = await savedPackId('dated.json');
      // Someone else releases c-orders 1.5 in the meantime (the UI, a script): the plan was made from 1.0.
      const other = await platformCall(world.sim, PUBLISHER, 'ReleaseIntegrationPack', {
        id: packId,
        releaseSchedule: 'IMMEDIATELY',
        ReleasePackagedComponents: {
          ReleasePackagedComponent: [{ componentId: 'c-orders', version: '1.5' }],
        },
      });
      expect(other.status).toBe(200);
      const before = (await packReleasesReceived(world.sim)).length;

      const applied = await cli('dated', 'apply', 'dated.json');
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain('the saved plan is stale: dated.json');
      expect(applied.stderr).toContain(
        'release publishing/orders: Salesforce to NetSuite c-orders was current 1.0, now current 1.5',
      );
      expect(applied.stderr).toContain('Review a new plan: atomsync plan --out dated.json');
      expect(await packReleasesReceived(world.sim)).toHaveLength(before);
    },
    CLI_RUNS_TIMEOUT_MS,
  );
});

async function savedPackId(file: string): Promise<string> {
  const plan = JSON.parse(await readFile(join(world.dir, file), 'utf8')) as {
    releases: { changes: { integrationPackId: string }[] };
  };
  return plan.releases.changes[0]!.integrationPackId;
}
