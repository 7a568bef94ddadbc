// `atomsync plan --base --head`: the three-way pull-request report, read from git objects and planned
// against the embedded demo simulator.

import { mkdtemp, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_MARKER } from '../../controller/github/comment-markers.js';
import { GITHUB_COMMENT_LIMIT } from '../../controller/report/markdown-split.js';
import { expectGolden, normalize, PullRequestRepo, runCli } from './pr-report-fixture.js';

let repo: PullRequestRepo;
let outDir: string;

beforeAll(async () => {
  repo = await PullRequestRepo.create();
  outDir = await mkdtemp(join(tmpdir(), 'atomsync-pr-out-'));
});

afterAll(async () => {
  await repo?.dispose();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function planPr(...extra: string[]) {
  return runCli(
    'plan',
    '--config',
    repo.configFile,
    '--repo',
    repo.root,
    '--base',
    repo.baseSha,
    '--head',
    repo.headSha,
    ...extra,
  );
}

describe('atomsync plan --base --head', () => {
  it('shows what the PR changes in the pins, the drift from head and what apply would do after the merge', async () => {
    const run = await planPr('--format', 'markdown');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
    expect(run.stdout).toContain(
      '| integration/prod-west-atom | Atom | channel:released | 26.12.0 | changed |',
    );
    expect(run.stdout).toContain('| integration/qa-molecule | connector HTTP Client | — | 26.12.0 | added |');
    expect(run.stdout).toContain('| integration/public-cloud-us-east | Atom | 26.12.0 | — | removed |');
    expect(run.stdout).toContain('Blocked: InstallBaseLock');
    expect(run.stdout).toContain(
      '<details><summary>In sync: 1 pin (1 runtime with nothing to change)</summary>\n\n- **Acme Private Cloud**: Atom 26.11.0',
    );
    expect(run.stdout).toContain('<summary>Drift: 14 pins differ from what runs</summary>');
    await expectGolden('pr-report.md', normalize(run.stdout, repo));
  });

  it('writes the JSON plan with pinChanges and the base and head commits, keeping the plan keys', async () => {
    const run = await planPr('--format', 'json');

    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual([
      'formatVersion',
      'atomsync',
      'generatedAt',
      'base',
      'head',
      'platformTime',
      'summary',
      'pinChanges',
      'drift',
      'changes',
      'pins',
      'blocked',
      'manual',
      'diagnostics',
    ]);
    expect(document.formatVersion).toBe('2');
    expect(document.base).toEqual({ ref: repo.baseSha, sha: repo.baseSha });
    expect(document.head).toEqual({ ref: repo.headSha, sha: repo.headSha });
    expect(document.pinChanges).toEqual([
      {
        key: 'integration/prod-west-atom',
        kind: 'runtime',
        name: 'Atom',
        change: 'changed',
        before: 'channel:released',
        after: '26.12.0',
      },
      {
        key: 'integration/public-cloud-us-east',
        kind: 'runtime',
        name: 'Atom',
        change: 'removed',
        before: '26.12.0',
      },
      {
        key: 'integration/qa-molecule',
        kind: 'connector',
        name: 'HTTP Client',
        change: 'added',
        after: '26.12.0',
      },
    ]);
    await expectGolden('pr-report.json', normalize(run.stdout, repo));
  });

  it('plans the read-only account as apply would run and marks its changes as needing ATOM_MANAGEMENT', async () => {
    const json = await planPr('--format', 'json');
    const markdown = await planPr('--format', 'markdown');

    const pins = (JSON.parse(json.stdout) as { pins: Record<string, unknown>[] }).pins;
    expect(pins.find((pin) => pin.key === 'integration/eu-atom')).toMatchObject({
      outcome: 'ApplyPending',
      needsPrivilege: 'ATOM_MANAGEMENT',
    });
    expect(markdown.stdout).toContain(
      '| EU Atom | Atom | 26.11.0 | 26.12.0 | ApplyPending, needs ATOM_MANAGEMENT |',
    );
    expect(markdown.stdout).toContain('1 of these pins needs ATOM_MANAGEMENT at apply time');
  });

  it('reads the pins from the commits, never from the working tree', async () => {
    const original = await repo.read('pins/acme-prod.yaml');
    await repo.write('pins/acme-prod.yaml', 'this: [is not, a pin\n');
    await repo.write('pins/uncommitted.yaml', original.replaceAll('integration', 'elsewhere'));
    try {
      const run = await planPr('--format', 'markdown');

      expect(run.code).toBe(0);
      await expectGolden('pr-report.md', normalize(run.stdout, repo));
    } finally {
      await repo.write('pins/acme-prod.yaml', original);
      await unlink(join(repo.root, 'pins', 'uncommitted.yaml'));
    }
  });

  it('keeps --detailed-exitcode: 2 when apply has something to do after the merge', async () => {
    const run = await planPr('--format', 'json', '--detailed-exitcode');

    expect(run.code).toBe(2);
  });

  it('says the PR changes no pins when base and head carry the same pins', async () => {
    const run = await runCli(
      'plan',
      '--config',
      repo.configFile,
      '--repo',
      repo.root,
      '--base',
      repo.headSha,
      '--head',
      repo.headSha,
      '--format',
      'markdown',
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '### What this pull request changes in the pins\n\nThis pull request changes no pins.',
    );
  });

  it('names the file as it is in the repository when the pins at head have a problem', async () => {
    await repo.write(
      'pins/broken.yaml',
      'apiVersion: atomsync.io/v1alpha1\nkind: AtomVersion\nmetadata:\n  name: broken\nspec:\n  account: acme-dev\n  runtime: { name: Dev Atom }\n  versoin: 26.11.0\n',
    );
    const broken = await repo.commit('a typo');
    await unlink(join(repo.root, 'pins', 'broken.yaml'));
    await repo.commit('fix the typo');

    const run = await runCli(
      'plan',
      '--config',
      repo.configFile,
      '--repo',
      repo.root,
      '--base',
      repo.baseSha,
      '--head',
      broken,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the pins at [0-9a-f]{40} \([0-9a-f]{12}\) have \d+ problem/);
    expect(run.stderr).toContain('pins/broken.yaml:');
    expect(run.stderr).not.toContain('atomsync-pr-');
    expect(run.stdout).toBe('');
  });

  it('Why 4: a pin file at head that claims another namespace than its source gives is refused, as run refuses it', async () => {
    await repo.write(
      'pins/claims-emea.yaml',
      'apiVersion: atomsync.io/v1alpha1\nkind: AtomVersion\nmetadata:\n  name: eu-again\n  namespace: emea\nspec:\n  account: acme-eu\n  runtime: { name: EU Atom }\n  channel: pending\n',
    );
    const claiming = await repo.commit('a file claims namespace emea');
    await unlink(join(repo.root, 'pins', 'claims-emea.yaml'));
    await repo.commit('drop the claim');

    const run = await runCli(
      'plan',
      '--config',
      repo.configFile,
      '--repo',
      repo.root,
      '--base',
      repo.baseSha,
      '--head',
      claiming,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "pins/claims-emea.yaml:5:14 metadata.namespace: metadata.namespace 'emea' is not this file's namespace: sources[0].namespace in the config puts it in 'integration'",
    );
    expect(run.stdout).toBe('');
  });

  it('refuses a ref the repository does not have, saying how to fetch it', async () => {
    const run = await runCli(
      'plan',
      '--config',
      repo.configFile,
      '--repo',
      repo.root,
      '--base',
      'origin/nowhere',
      '--head',
      repo.headSha,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--base origin/nowhere names no commit');
    expect(run.stderr).toContain('fetch-depth: 0');
  });

  it('splits a Markdown report longer than one GitHub comment into numbered files and parts', async () => {
    await repo.write('pins/fleet.yaml', fleetPins(300));
    const big = await repo.commit('a fleet of runtimes the platform does not have');
    await unlink(join(repo.root, 'pins', 'fleet.yaml'));
    await repo.commit('drop the fleet');
    const out = join(outDir, 'plan.md');
    const args = [
      'plan',
      '--config',
      repo.configFile,
      '--repo',
      repo.root,
      '--base',
      repo.baseSha,
      '--head',
      big,
      '--format',
      'markdown',
    ];

    const toFiles = await runCli(...args, '--out', out);
    const toStdout = await runCli(...args);

    expect(toFiles.code).toBe(0);
    const files = (await readdir(outDir)).filter((name) => /^plan\.\d+\.md$/.test(name)).sort(byPart);
    expect(files.length).toBeGreaterThan(1);
    expect(toFiles.stderr).toContain(`split into ${files.length} parts`);
    const parts = await Promise.all(files.map((name) => readFile(join(outDir, name), 'utf8')));
    parts.forEach((part, index) => {
      expect(part.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(part.startsWith(`<!-- atomsync:plan part ${index + 1}/${files.length} -->\n`)).toBe(true);
    });
    const stdoutParts = toStdout.stdout.split('\n---\n\n');
    expect(stdoutParts.map(normalizeTime)).toEqual(parts.map(normalizeTime));
  });
});

function fleetPins(count: number): string {
  const documents: string[] = [];
  for (let index = 0; index < count; index += 1) {
    documents.push(
      [
        'apiVersion: atomsync.io/v1alpha1',
        'kind: AtomVersion',
        'metadata:',
        `  name: fleet-atom-${index}`,
        'spec:',
        '  account: acme-prod',
        `  runtime: { name: Fleet Atom ${String(index).padStart(4, '0')} }`,
        '  version: 26.12.0',
        '  connectors:',
        '    - { name: HTTP Client, version: 26.12.0 }',
        '    - { name: Database, channel: released }',
      ].join('\n'),
    );
  }
  return `${documents.join('\n---\n')}\n`;
}

function byPart(a: string, b: string): number {
  return Number(a.split('.')[1]) - Number(b.split('.')[1]);
}

function normalizeTime(text: string): string {
  return text.replace(/generated \S+Z\./g, 'generated <time>.');
}
