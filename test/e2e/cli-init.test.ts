// `atomsync init` against the simulator (one, in-process, over HTTP on loopback): issue 15 observed that
// a new user had no `init`. It writes a commented atomsync.yaml and a pins folder from what runs in the
// accounts it can read — each pin file with the `# yaml-language-server: $schema=` line pointing at the
// shipped JSON Schema — so a plan right after it has nothing to do. An account it cannot read stops it
// with the account's name, and nothing is written; existing files are kept unless --force.
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSimulator, type RunningSimulator } from '../../simulator/start.js';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson } from './support/plan-json.js';
import { REPO_ROOT } from './support/repo.js';
import { runCli, type CliResult, stderrWithoutRetries } from './support/run-cli.js';
import { emptyTempDir } from './support/workspace.js';

const SCENARIO = path.join(REPO_ROOT, 'examples', 'sim', 'demo.yaml');
const TOKEN_ENV = { INIT_TEST_TOKEN: 'demo-admin-token' };

let sim: RunningSimulator;
let work: { dir: string; remove(): Promise<void> };
let init: CliResult;
const cli = (args: string[], env: Record<string, string> = TOKEN_ENV) => runCli(args, { cwd: work.dir, env });
const initArgs = (dir: string, ...accounts: string[]) => [
  'init',
  '--url',
  sim.url,
  ...accounts.flatMap((account) => ['--account', account]),
  '--username',
  'BOOMI_TOKEN.admin@demo.atomsync',
  '--token-env',
  'INIT_TEST_TOKEN',
  '--dir',
  dir,
  '--namespace',
  'integration',
];

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSimulator({
    scenarioFile: SCENARIO,
    listen: '127.0.0.1:0',
    clock: 'manual',
    rateLimitPerSecond: 0,
  });
  work = await emptyTempDir();
  init = await cli(initArgs('gitops', 'acme-prod=acme-prod-D4E5F6', 'acme-dev=acme-dev-G7H8I9'));
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await work?.remove();
});

describe('atomsync init', () => {
  it('writes a commented config naming the token variable (never the token) and one pin file per account', async () => {
    expect(stderrWithoutRetries(init)).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(
      'gitops/pins/acme-prod.yaml: 5 runtime(s) pinned at their current versions',
    );
    expect(init.stdout).toContain('gitops/pins/acme-dev.yaml: 3 runtime(s)');
    const config = await readFile(path.join(work.dir, 'gitops', 'atomsync.yaml'), 'utf8');
    expect(config).toMatch(/^# atomsync configuration, written by `atomsync init`/);
    expect(config).not.toContain('demo-admin-token');
    expect(parse(config)).toMatchObject({
      platform: { url: sim.url },
      accounts: {
        'acme-prod': { accountId: 'acme-prod-D4E5F6', tokenEnv: 'INIT_TEST_TOKEN' },
        'acme-dev': { accountId: 'acme-dev-G7H8I9' },
      },
      sources: [{ kind: 'directory', path: 'pins', namespace: 'integration' }],
    });
    expect((await readdir(path.join(work.dir, 'gitops', 'pins'))).sort()).toEqual([
      'acme-dev.yaml',
      'acme-prod.yaml',
    ]);
  });

  it('starts each pin file with the yaml-language-server line pointing at the shipped JSON Schema', async () => {
    const pinsDir = path.join(work.dir, 'gitops', 'pins');
    const first = (await readFile(path.join(pinsDir, 'acme-dev.yaml'), 'utf8')).split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
    expect(match).not.toBeNull();
    const schema = path.resolve(pinsDir, match![1]!);
    expect(schema).toBe(path.join(REPO_ROOT, 'crds', 'atomversion.schema.json'));
    await access(schema);
  });

  it('is followed by a valid config and a plan with no change', async () => {
    const validated = await cli(['validate', 'gitops/pins']);
    expect(stderrWithoutRetries(validated)).toBe('');
    expect(validated.stdout).toBe('8 AtomVersions valid.\n');
    expect(validated.code).toBe(0);
    const planned = await cli(['plan', '-c', 'gitops/atomsync.yaml', '--format', 'json']);
    expect(stderrWithoutRetries(planned)).toBe('');
    expect(planned.code).toBe(0);
    const plan = parsePlanJson(planned.stdout);
    expect(plan.changes).toEqual([]);
    expect(plan.summary['inSync']).toBe(plan.summary['pins']);
    expect(plan.summary['pins']).toBeGreaterThan(8);
  });

  it('keeps existing files unless --force', async () => {
    const before = await readFile(path.join(work.dir, 'gitops', 'atomsync.yaml'), 'utf8');
    const again = await cli(initArgs('gitops', 'acme-prod=acme-prod-D4E5F6'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; pass --force');
    expect(await readFile(path.join(work.dir, 'gitops', 'atomsync.yaml'), 'utf8')).toBe(before);
  });

  it('stops at an account it cannot read, naming it, and writes nothing', async () => {
    const refused = await cli(initArgs('other', 'acme-prod=acme-prod-D4E5F6', 'ghost=ghost-000000'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot read account ghost (ghost-000000)');
    expect(refused.stderr).toContain('nothing was written');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    await expect(access(path.join(work.dir, 'other'))).rejects.toThrow();
  });

  it('import writes the same schema line', async () => {
    const imported = await cli(['import', '-c', 'gitops/atomsync.yaml', '--out-dir', 'adopted']);
    expect(imported.code).toBe(0);
    const first = (await readFile(path.join(work.dir, 'adopted', 'acme-prod.yaml'), 'utf8')).split('\n')[0];
    expect(first).toMatch(/^# yaml-language-server: \$schema=.*crds\/atomversion\.schema\.json$/);
  });
});
