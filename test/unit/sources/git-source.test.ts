import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GitSource,
  GitSourceConfigError,
  gitCacheDir,
  nextFetchDelay,
} from '../../../controller/sources/git-source.js';
import { FakeTimers } from '../reconciler/fake-timers.js';
import { GitFixture, git } from './git-source-fixture.js';
import { SnapshotCollector, pinYaml } from './snapshot-collector.js';

const keys = (snapshot: { desired: { key: string }[] }) => snapshot.desired.map((d) => d.key).sort();

describe('GitSource', () => {
  let repo: GitFixture;
  let source: GitSource | undefined;
  let collector: SnapshotCollector;
  let timers: FakeTimers;

  beforeEach(async () => {
    repo = await GitFixture.create();
    collector = new SnapshotCollector();
    timers = new FakeTimers();
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await repo.dispose();
  });

  function newSource(overrides: Partial<ConstructorParameters<typeof GitSource>[0]> = {}): GitSource {
    source = new GitSource({
      url: repo.url,
      branch: 'main',
      path: 'pins',
      stateDir: repo.stateDir,
      timers,
      ...overrides,
    });
    return source;
  }

  async function startWithPins(): Promise<string> {
    await repo.write('pins/east.yaml', pinYaml('prod-east', 'Prod East Molecule'));
    await repo.write('README.md', 'not a pin');
    const sha = await repo.commitAndPush('first pins');
    await newSource().start(collector.onChange);
    return sha;
  }

  it('starts with the pins of the branch head, its SHA as the revision', async () => {
    const sha = await startWithPins();
    expect(collector.snapshots).toHaveLength(1);
    const snapshot = collector.last!;
    expect(snapshot.revision).toBe(sha);
    expect(snapshot.error).toBeUndefined();
    expect(keys(snapshot)).toEqual(['integration/prod-east']);
    expect(snapshot.desired[0]!.origin).toEqual({
      source: 'git',
      revision: sha,
      file: 'pins/east.yaml',
      line: 1,
      at: { account: { line: 5, col: 12 }, runtime: { line: 6, col: 3 } },
    });
  });

  it('keeps a bare mirror in the state directory, with no working tree', async () => {
    await startWithPins();
    const cache = gitCacheDir(repo.stateDir, repo.url, 'main');
    expect(source!.cacheDir).toBe(cache);
    expect((await git(cache, 'rev-parse', '--is-bare-repository')).trim()).toBe('true');
    expect(await readdir(cache)).not.toContain('pins');
  });

  it('works with a state directory inside a git checkout, and rebuilds a damaged mirror', async () => {
    await repo.write('pins/east.yaml', pinYaml('prod-east', 'Prod East Molecule'));
    const sha = await repo.commitAndPush('first');
    const stateDir = join(repo.work, '.atomsync');
    const cache = gitCacheDir(stateDir, repo.url, 'main');
    await mkdir(cache, { recursive: true });
    await writeFile(join(cache, 'HEAD'), 'garbage');
    await newSource({ stateDir }).start(collector.onChange);
    expect(collector.last!.revision).toBe(sha);
    expect(collector.last!.error).toBeUndefined();
    expect((await git(cache, 'rev-parse', '--is-bare-repository')).trim()).toBe('true');
  });

  it('picks up a new commit when triggered', async () => {
    await startWithPins();
    await repo.write('pins/west.yaml', pinYaml('prod-west', 'Prod West Atom'));
    const sha = await repo.commitAndPush('add west');
    const next = collector.next();
    source!.triggerNow();
    const snapshot = await next;
    expect(snapshot.revision).toBe(sha);
    expect(keys(snapshot)).toEqual(['integration/prod-east', 'integration/prod-west']);
  });

  it('emits nothing when the branch did not move', async () => {
    await startWithPins();
    await source!.syncNow();
    await source!.syncNow();
    expect(collector.snapshots).toHaveLength(1);
  });

  it('follows a force-push to a commit that is not a descendant', async () => {
    await startWithPins();
    await repo.write('pins/east.yaml', pinYaml('prod-east', 'Prod East Molecule', '26.12.0'));
    await repo.commitAndPush('move to pending');
    await source!.syncNow();
    const rewritten = await repo.rewriteLastCommit(
      'pins/east.yaml',
      pinYaml('prod-east', 'Prod East Molecule', '26.11.5'),
    );
    await source!.syncNow();
    expect(collector.last!.revision).toBe(rewritten);
    expect(collector.last!.desired[0]!.spec.version).toBe('26.11.5');
    expect(collector.snapshots).toHaveLength(3);
  });

  it('keeps the last good revision while the remote is unreachable, and recovers when it is back', async () => {
    const good = await startWithPins();
    await repo.makeRemoteUnreachable();
    await source!.syncNow();
    const failed = collector.last!;
    expect(failed.error?.code).toBe('GitFetchFailed');
    expect(failed.error?.message).toContain('does not appear to be a git repository');
    expect(failed.revision).toBe(good);
    expect(keys(failed)).toEqual(['integration/prod-east']);

    await source!.syncNow(); // still down: same error, nothing new to say
    expect(collector.snapshots).toHaveLength(2);

    await repo.bringRemoteBack();
    await source!.syncNow();
    expect(collector.snapshots).toHaveLength(3);
    expect(collector.last!.error).toBeUndefined();
    expect(collector.last!.revision).toBe(good);
  });

  it('reports a commit whose pins do not load, keeps the last good pins, and moves on with the fix', async () => {
    const good = await startWithPins();
    await repo.write('pins/broken.yaml', 'apiVersion: atomsync.io/v1alpha1\nkind: [unclosed\n');
    await repo.write('pins/west.yaml', pinYaml('prod-west', 'Prod West Atom'));
    const bad = await repo.commitAndPush('broken pin');
    await source!.syncNow();
    const reported = collector.last!;
    expect(reported.revision).toBe(good);
    expect(keys(reported)).toEqual(['integration/prod-east']);
    expect(reported.error?.code).toBe('InvalidRevision');
    expect(reported.error?.message).toContain(bad.slice(0, 12));
    expect(reported.problems.map((p) => p.file)).toEqual(['pins/broken.yaml']);

    await repo.remove('pins/broken.yaml');
    const fixed = await repo.commitAndPush('fix');
    await source!.syncNow();
    expect(collector.last!.revision).toBe(fixed);
    expect(collector.last!.error).toBeUndefined();
    expect(collector.last!.problems).toEqual([]);
    expect(keys(collector.last!)).toEqual(['integration/prod-east', 'integration/prod-west']);
  });

  it('reports a bad first commit with no pins to fall back on', async () => {
    await repo.write('pins/broken.yaml', 'kind: [\n');
    await repo.commitAndPush('broken from the start');
    await newSource().start(collector.onChange);
    expect(collector.last).toMatchObject({ revision: '', desired: [], error: { code: 'InvalidRevision' } });
    expect(collector.last!.error!.message).toContain('no earlier good commit');
  });

  it('says which setting is wrong when the branch or the path does not exist', async () => {
    await repo.write('pins/east.yaml', pinYaml('prod-east', 'Prod East Molecule'));
    await repo.commitAndPush('first');
    await newSource({ branch: 'release' }).start(collector.onChange);
    expect(collector.last!.error?.code).toBe('BranchNotFound');
    await source!.stop();
    await newSource({ path: 'pinz' }).start(collector.onChange);
    expect(collector.last!.error?.code).toBe('PathNotFound');
  });

  it('reads the whole repository when no path is given, skipping hidden folders', async () => {
    await repo.write('east.yaml', pinYaml('prod-east', 'Prod East Molecule'));
    await repo.write('teams/dev.yml', pinYaml('dev-atom', 'Dev Atom', '26.12.0', 'dev'));
    await repo.write('.github/workflow.yaml', 'on: push\n');
    await repo.commitAndPush('spread out');
    await newSource({ path: undefined }).start(collector.onChange);
    expect(keys(collector.last!)).toEqual(['dev/dev-atom', 'integration/prod-east']);
    expect(collector.last!.problems).toEqual([]);
  });

  it('fetches again after the interval, jittered by up to ten percent', async () => {
    await repo.write('pins/east.yaml', pinYaml('prod-east', 'Prod East Molecule'));
    await repo.commitAndPush('first');
    await newSource({ intervalSeconds: 60, random: () => 0 }).start(collector.onChange);
    expect(timers.pendingDelays()).toEqual([54_000]);
    await repo.write('pins/west.yaml', pinYaml('prod-west', 'Prod West Atom'));
    const sha = await repo.commitAndPush('second');
    const next = collector.next();
    timers.advance(54_000);
    expect((await next).revision).toBe(sha);
  });

  it('stops fetching once stopped', async () => {
    await startWithPins();
    expect(timers.pendingDelays()).toHaveLength(1);
    await source!.stop();
    expect(timers.pendingDelays()).toEqual([]);
    await source!.syncNow();
    expect(collector.snapshots).toHaveLength(1);
  });

  it('refuses a url or branch that could be taken for an option', () => {
    expect(() => newSource({ url: '--upload-pack=touch /tmp/x' })).toThrow(GitSourceConfigError);
    expect(() => newSource({ branch: '-x' })).toThrow(GitSourceConfigError);
    expect(() => newSource({ path: '../outside' })).toThrow(GitSourceConfigError);
    source = undefined;
  });

  it('reports a token variable that is not set instead of failing', async () => {
    await newSource({ auth: { tokenEnv: 'ATOMSYNC_TEST_GIT_TOKEN' }, env: {} }).start(collector.onChange);
    expect(collector.last!.error).toEqual({
      code: 'GitAuthMissing',
      message: 'environment variable ATOMSYNC_TEST_GIT_TOKEN (auth.tokenEnv of the git source) is not set',
    });
  });
});

describe('GitSource over HTTP', () => {
  let server: Server;
  let stateDir: GitFixture;
  const seen: (string | undefined)[] = [];

  beforeEach(async () => {
    stateDir = await GitFixture.create();
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stateDir.dispose();
  });

  it('sends the token as an Authorization header and never shows it in errors', async () => {
    const { port } = server.address() as AddressInfo;
    const collector = new SnapshotCollector();
    const token = 's3cret-token-value';
    const source = new GitSource({
      url: `http://127.0.0.1:${port}/acme/pins.git`,
      stateDir: stateDir.stateDir,
      auth: { tokenEnv: 'PINS_TOKEN' },
      env: { ...process.env, PINS_TOKEN: token },
      timers: new FakeTimers(),
    });
    await source.start(collector.onChange);
    await source.stop();
    expect(seen).toContain(`Bearer ${token}`);
    expect(collector.last!.error?.code).toBe('GitFetchFailed');
    expect(collector.last!.error?.message).not.toContain(token);
    expect(source.name).not.toContain(token);
  });
});

describe('nextFetchDelay', () => {
  it('stays within ten percent of the interval', () => {
    expect(nextFetchDelay(60_000, () => 0)).toBe(54_000);
    expect(nextFetchDelay(60_000, () => 0.5)).toBe(60_000);
    expect(nextFetchDelay(60_000, () => 0.9999)).toBeLessThanOrEqual(66_000);
    expect(nextFetchDelay(60_000, () => 0.9999)).toBeGreaterThan(65_900);
  });
});
