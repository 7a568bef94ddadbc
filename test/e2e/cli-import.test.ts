// `atomsync import`: adopting existing runtimes. The files it writes pin exactly what runs now, so a plan
// right after it has nothing to do; it never overwrites a file unless told to.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli, stderrWithoutRetries } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

let ws: Workspace;
let imported: CliResult;
let validated: CliResult;
let planExit: CliResult;
let planJson: PlanJson;
const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  imported = await cli('import', '--config', 'atomsync.yaml', '--out-dir', 'adopted');
  validated = await cli('validate', 'adopted');
  planExit = await cli('plan', '--config', 'atomsync.yaml', '--dir', 'adopted', '--detailed-exitcode');
  planJson = parsePlanJson(
    (await cli('plan', '--config', 'atomsync.yaml', '--dir', 'adopted', '--format', 'json')).stdout,
  );
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

async function adoptedSpec(account: string, runtime: string): Promise<Record<string, unknown> | undefined> {
  const docs = parseAllDocuments(await readFile(ws.path('adopted', `${account}.yaml`), 'utf8'));
  const specs = docs.map(
    (doc) => doc.toJS() as { spec: Record<string, unknown> & { runtime: { name: string } } },
  );
  return specs.find((doc) => doc.spec.runtime.name === runtime)?.spec;
}

describe('import --out-dir', () => {
  it('writes one AtomVersion file per configured account, each one valid', () => {
    expect(stderrWithoutRetries(imported)).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      'adopted/acme-prod.yaml: 5 runtime(s) pinned at their current versions',
    );
    expect(imported.stdout).toContain('adopted/acme-dev.yaml: 3 runtime(s)');
    expect(imported.stdout).toContain('adopted/acme-eu.yaml: 1 runtime(s)');
    expect(validated.code).toBe(0);
    expect(validated.stdout).toBe('9 AtomVersions valid.\n');
  });

  it('pins what runs now, including versions taken early (not the released ones)', async () => {
    const devAtom = await adoptedSpec('acme-dev', 'Dev Atom');
    expect(devAtom?.['account']).toBe('acme-dev');
    expect(devAtom?.['version']).toBe('26.12.0');
    expect(devAtom?.['connectors']).toContainEqual({ name: 'HTTP Client', version: '26.12.0' });
    expect(devAtom?.['integrationPacks']).toContainEqual({ name: 'Salesforce to NetSuite', version: 3 });
    const staging = await adoptedSpec('acme-prod', 'Staging Atom');
    expect(staging?.['connectors']).toContainEqual({ name: 'Salesforce', version: '26.11.2' });
  });

  it('is followed by a plan with no changes and no drift (--detailed-exitcode exits 0)', () => {
    expect(stderrWithoutRetries(planExit)).toBe('');
    expect(planExit.code).toBe(0);
    expect(planJson.changes).toEqual([]);
    expect(planJson.drift).toEqual([]);
    expect(planJson.blocked).toEqual([]);
    expect(planJson.manual).toEqual([]);
    expect(planJson.summary['inSync']).toBe(planJson.summary['pins']);
  });

  it('refuses to overwrite an existing file without --force, and overwrites it with --force', async () => {
    const file = ws.path('adopted', 'acme-prod.yaml');
    await writeFile(file, '# edited by hand\n');
    const refused = await cli('import', '--config', 'atomsync.yaml', '--out-dir', 'adopted');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('adopted/acme-prod.yaml exists; pass --force to overwrite it');
    expect(await readFile(file, 'utf8')).toBe('# edited by hand\n');

    const forced = await cli('import', '--config', 'atomsync.yaml', '--out-dir', 'adopted', '--force');
    expect(forced.code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('name: Prod East Molecule');
  });

  it('writes nothing at all when it refuses, even files that did not exist yet', async () => {
    await mkdir(ws.path('partly-there'));
    await writeFile(ws.path('partly-there', 'acme-dev.yaml'), '# mine\n');
    const refused = await cli('import', '--config', 'atomsync.yaml', '--out-dir', 'partly-there');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('partly-there/acme-dev.yaml exists; pass --force to overwrite it');
    expect(await readdir(ws.path('partly-there'))).toEqual(['acme-dev.yaml']);
  });
});
