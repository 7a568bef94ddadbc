// Issue 14, "Why" 1: the git source and the PR report started one git process per pin file (2,000 files:
// 65.7 s). Both now read a commit with two git processes whatever the number of files, and a new commit
// re-reads only the blobs it changed. Every git process is counted by a `git` wrapper put first on PATH,
// which logs its arguments (and, for cat-file, the object ids asked for) before running the real git.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../controller/pr/git-repository.js';
import { readPinsAtRefs } from '../../controller/pr/pr-report.js';
import { PrReportError } from '../../controller/pr/pr-error.js';
import { formatProblem } from '../../controller/sources/load-pins.js';
import { GitSource } from '../../controller/sources/git-source.js';
import { FakeTimers } from '../unit/reconciler/fake-timers.js';
import { GitFixture, git } from '../unit/sources/git-source-fixture.js';
import { SnapshotCollector, pinYaml } from '../unit/sources/snapshot-collector.js';

/** Counts git processes started by the code under test (the fixture's own git calls bypass PATH). */
class GitSpy {
  private constructor(
    readonly dir: string,
    private readonly log: string,
    private readonly asked: string,
  ) {}

  static async install(): Promise<GitSpy> {
    const dir = await mkdtemp(join(tmpdir(), 'atomsync-git-spy-'));
    const spy = new GitSpy(dir, join(dir, 'calls.log'), join(dir, 'cat-file-input.log'));
    const realGit = execFileSync('sh', ['-c', 'command -v git']).toString().trim();
    const script = [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >> '${spy.log}'`,
      `if [ "$1" = cat-file ]; then tee -a '${spy.asked}' | '${realGit}' "$@"; exit $?; fi`,
      `exec '${realGit}' "$@"`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'git'), script);
    await chmod(join(dir, 'git'), 0o755);
    await spy.reset();
    return spy;
  }

  async reset(): Promise<void> {
    await writeFile(this.log, '');
    await writeFile(this.asked, '');
  }

  /** The subcommands run since the last reset (`ls-tree`, `cat-file`, …). */
  async calls(): Promise<string[]> {
    const text = await readFile(this.log, 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' ').find((word) => !word.startsWith('-')) ?? line);
  }

  /** Object ids sent to `git cat-file --batch` since the last reset. */
  async blobsRead(): Promise<string[]> {
    return (await readFile(this.asked, 'utf8')).split('\n').filter((line) => line !== '');
  }
}

let spy: GitSpy;
const originalPath = process.env.PATH;

beforeAll(async () => {
  spy = await GitSpy.install();
  process.env.PATH = `${spy.dir}:${originalPath ?? ''}`;
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await rm(spy.dir, { recursive: true, force: true });
});

function pinFile(index: number, version = '26.11.0'): [string, string] {
  const name = `rt-${String(index).padStart(4, '0')}`;
  return [`pins/${name}.yaml`, pinYaml(name, `Atom ${index}`, version)];
}

async function commitPins(repo: GitFixture, count: number, message = 'pins'): Promise<string> {
  await Promise.all(Array.from({ length: count }, (_, i) => repo.write(...pinFile(i))));
  return repo.commitAndPush(message);
}

describe('PR report: pins at base and head', () => {
  let repo: GitFixture;
  beforeEach(async () => {
    repo = await GitFixture.create();
  });
  afterEach(async () => {
    await repo.dispose();
  });

  async function gitCallsForReport(files: number): Promise<{ calls: string[]; headPins: number }> {
    await commitPins(repo, files, 'base');
    await repo.write(...pinFile(0, '26.12.0'));
    await commitPins(repo, 0, 'head');
    await spy.reset();
    const repository = await GitRepository.open(repo.work);
    const pins = await readPinsAtRefs(repository, { base: 'HEAD~1', head: 'HEAD' }, ['pins']);
    return { calls: await spy.calls(), headPins: pins.headDesired.length };
  }

  it('runs the same few git processes for 10 pin files as for 200', async () => {
    const small = await gitCallsForReport(10);
    await repo.dispose();
    repo = await GitFixture.create();
    const large = await gitCallsForReport(200);

    expect(small.headPins).toBe(10);
    expect(large.headPins).toBe(200);
    expect(large.calls).toEqual(small.calls);
    // per commit one listing; the blobs of both commits in at most one read each
    expect(large.calls.filter((call) => call === 'ls-tree')).toHaveLength(2);
    expect(large.calls.filter((call) => call === 'cat-file').length).toBeLessThanOrEqual(2);
    expect(large.calls.length).toBeLessThanOrEqual(8);
  });

  it('reads a blob the base and head share only once', async () => {
    await commitPins(repo, 50, 'base');
    await repo.write(...pinFile(7, '26.12.0'));
    const headSha = await repo.commitAndPush('head');
    await spy.reset();
    const repository = await GitRepository.open(repo.work);
    const pins = await readPinsAtRefs(repository, { base: 'HEAD~1', head: 'HEAD' }, ['pins']);
    // files parsed at base and reused at head still name the head commit
    expect(pins.headDesired.every((pin) => pin.origin.revision === headSha)).toBe(true);
    expect(pins.baseDesired.every((pin) => pin.origin.revision === pins.base.sha)).toBe(true);
    expect(pins.headDesired.find((pin) => pin.name === 'rt-0007')?.spec.version).toBe('26.12.0');
    const read = await spy.blobsRead();
    expect(read).toHaveLength(51); // 50 at base, the one changed file at head
    expect(new Set(read).size).toBe(51);
  });

  it('names file, line and column of a bad pin among many read in bulk', async () => {
    await commitPins(repo, 60, 'base');
    await repo.write(
      'pins/rt-0030.yaml',
      pinYaml('rt-0030', 'Atom 30').replace('kind: AtomVersion', 'kind: [oops'),
    );
    await repo.commitAndPush('broken head');
    const repository = await GitRepository.open(repo.work);
    const failure = await readPinsAtRefs(repository, { base: 'HEAD~1', head: 'HEAD' }, ['pins']).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PrReportError);
    expect((failure as PrReportError).code).toBe('InvalidPins');
    expect((failure as PrReportError).message).toMatch(/pins\/rt-0030\.yaml:3:1/);
  });

  it('refuses a file over the size limit without reading it, and loads the rest', async () => {
    await commitPins(repo, 3, 'base');
    await repo.write('pins/huge.yaml', `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    await repo.commitAndPush('huge file');
    const hugeOid = (await git(repo.work, 'rev-parse', 'HEAD:pins/huge.yaml')).trim();
    await spy.reset();
    const repository = await GitRepository.open(repo.work);
    const failure = (await readPinsAtRefs(repository, { base: 'HEAD~1', head: 'HEAD' }, ['pins']).catch(
      (error: unknown) => error,
    )) as PrReportError;
    expect(failure.code).toBe('InvalidPins');
    expect(failure.message).toContain('pins/huge.yaml:1:1');
    expect(failure.message).toMatch(/more than the 1 MiB limit/);
    expect(await spy.blobsRead()).not.toContain(hugeOid);
  });

  it('says clearly when a ref names no commit', async () => {
    await commitPins(repo, 2);
    const repository = await GitRepository.open(repo.work);
    const failure = (await readPinsAtRefs(repository, { base: 'no-such-branch', head: 'HEAD' }, [
      'pins',
    ]).catch((error: unknown) => error)) as PrReportError;
    expect(failure.code).toBe('UnknownRef');
    expect(failure.message).toContain('--base no-such-branch names no commit');
  });
});

describe('git source', () => {
  let repo: GitFixture;
  let source: GitSource | undefined;
  beforeEach(async () => {
    repo = await GitFixture.create();
  });
  afterEach(async () => {
    await source?.stop();
    await repo.dispose();
  });

  function newSource(): GitSource {
    return new GitSource({ url: repo.url, path: 'pins', stateDir: repo.stateDir, timers: new FakeTimers() });
  }

  it('reads a commit of 150 pin files with one listing and one blob read, then only what changed', async () => {
    await commitPins(repo, 150);
    const collector = new SnapshotCollector();
    source = newSource();
    await spy.reset();
    await source.start(collector.onChange);
    expect(collector.last?.desired).toHaveLength(150);
    const first = await spy.calls();
    expect(first.filter((call) => call === 'ls-tree')).toHaveLength(1);
    expect(first.filter((call) => call === 'cat-file')).toHaveLength(1);
    expect(await spy.blobsRead()).toHaveLength(150);

    await repo.write(...pinFile(42, '26.12.0'));
    await repo.write(...pinFile(150));
    const sha = await repo.commitAndPush('one changed, one new');
    await spy.reset();
    await source.syncNow();
    expect(collector.last?.revision).toBe(sha);
    expect(collector.last?.desired).toHaveLength(151);
    expect(collector.last?.desired.find((pin) => pin.name === 'rt-0042')?.spec.version).toBe('26.12.0');
    expect(await spy.blobsRead()).toHaveLength(2);
  });

  it('keeps the last good commit and names the bad file, line and column', async () => {
    const good = await commitPins(repo, 40);
    const collector = new SnapshotCollector();
    source = newSource();
    await source.start(collector.onChange);
    await repo.write(
      'pins/rt-0039.yaml',
      pinYaml('rt-0039', 'Atom 39').replace('kind: AtomVersion', 'kind: [oops'),
    );
    await repo.commitAndPush('broken');
    await source.syncNow();
    const snapshot = collector.last;
    expect(snapshot?.revision).toBe(good);
    expect(snapshot?.desired).toHaveLength(40);
    expect(snapshot?.error?.code).toBe('InvalidRevision');
    expect(
      formatProblem(snapshot?.problems[0] ?? { file: '', line: 0, col: 0, code: 'YamlSyntax', message: '' }),
    ).toMatch(/^pins\/rt-0039\.yaml:3:1/);
  });
});
