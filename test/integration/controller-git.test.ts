// The controller on a real bare git repository and the simulator (manual clock): commits converge the
// runtime, reverts roll it back, webhooks are authenticated, and an unreachable remote stalls the source.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubSignature } from '../../controller/server/webhook-auth.js';
import { GitSource } from '../../controller/sources/git-source.js';
import { GitFixture, git } from '../unit/sources/git-source-fixture.js';
import {
  ACME_PROD,
  ControllerUnderTest,
  SimHandle,
  condition,
  eventually,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const SECRET = 'git-webhook-secret-0451';

const staging = (version: string) =>
  pinYaml('staging-atom', 'acme-prod', 'Staging Atom', `  version: ${version}\n`);
const prodWest = pinYaml('prod-west-atom', 'acme-prod', 'Prod West Atom', '  channel: released\n');

describe('controller with a git source', () => {
  let fixture: GitFixture;
  let sim: SimHandle;
  let stateDir: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    fixture = await GitFixture.create();
    sim = await SimHandle.start({ clock: 'manual' });
    stateDir = await tempDir('controller-git');
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await sim.close();
    await fixture.dispose();
    await removeDir(stateDir);
  });

  async function start(): Promise<ControllerUnderTest> {
    const source = new GitSource({
      url: fixture.url,
      branch: 'main',
      path: 'pins',
      intervalSeconds: 3600,
      stateDir,
    });
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [source],
      stateDir,
      webhookSecret: SECRET,
    });
    return running;
  }

  async function push(): Promise<Response> {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: await fixture.head() });
    return running!.post('/hooks/git', body, {
      'X-Hub-Signature-256': githubSignature(body, SECRET),
      'X-GitHub-Event': 'push',
    });
  }

  it('applies a committed pin, reports Ready once the runtime restarted, and rolls back on revert', async () => {
    await fixture.write('pins/staging.yaml', staging('26.11.0'));
    const first = await fixture.commitAndPush('staging on 26.11.0');
    const controller = await start();
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync at start',
    );
    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');

    await fixture.write('pins/staging.yaml', staging('26.12.0'));
    const upgrade = await fixture.commitAndPush('staging to 26.12.0');
    expect((await push()).status).toBe(202);
    const applying = await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Reconciling')?.status === 'True' && s.lastAttemptedRevision === upgrade,
      'request sent for the new commit',
    );
    expect(applying.pins[0]).toMatchObject({ name: 'Atom', outcome: 'Waiting', target: '26.12.0' });
    expect(applying.history.at(-1)).toMatchObject({
      trigger: 'webhook',
      result: 'Changed',
      revision: upgrade,
    });

    await sim.advance('60s');
    const upgraded = await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True' && s.runtimeVersion === '26.12.0',
      'Ready on 26.12.0',
    );
    expect(upgraded).toMatchObject({ lastAppliedRevision: upgrade, synced: '1/1' });
    expect(await sim.version(ACME_PROD, atomId)).toBe('26.12.0');
    expect(condition(upgraded, 'Drifted')?.status).toBe('False');

    await git(fixture.work, 'revert', '--no-edit', 'HEAD');
    await git(fixture.work, 'push', fixture.remote, 'HEAD:refs/heads/main');
    const revert = await fixture.head();
    expect(revert).not.toBe(first);
    expect((await push()).status).toBe(202);
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Reconciling')?.status === 'True' && s.lastAttemptedRevision === revert,
      'rollback sent',
    );
    await sim.advance('60s');
    const rolledBack = await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True' && s.runtimeVersion === '26.11.0',
      'Ready on 26.11.0 again',
    );
    expect(rolledBack.lastAppliedRevision).toBe(revert);
    expect(await sim.version(ACME_PROD, atomId)).toBe('26.11.0');
    expect(await sim.versionRequestsCreated(ACME_PROD, atomId)).toBe(2);
  });

  it('ignores a webhook with a bad signature: 401, no fetch, nothing sent', async () => {
    await fixture.write('pins/staging.yaml', staging('26.11.0'));
    const first = await fixture.commitAndPush('initial');
    const controller = await start();
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync',
    );
    await fixture.write('pins/staging.yaml', staging('26.12.0'));
    await fixture.commitAndPush('upgrade');

    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const forged = await controller.post('/hooks/git', body, {
      'X-Hub-Signature-256': githubSignature(body, 'guessed-secret'),
    });
    const unsigned = await controller.post('/hooks/git', body);
    const wrongToken = await controller.post('/hooks/git', body, { 'X-Gitlab-Token': 'guessed-secret' });
    expect([forged.status, unsigned.status, wrongToken.status]).toEqual([401, 401, 401]);

    const list = await controller.list();
    expect(list.sources[0]?.revision).toBe(first);
    expect((await controller.status('integration/staging-atom'))?.observedGeneration).toBeDefined();
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
    const logs = controller.logs.join('');
    expect(logs).toContain('webhook refused');
    expect(logs).not.toContain('webhook: fetching git sources now');
  });

  it('marks every AtomVersion of an unreachable remote Stalled with git’s message, keeps the last good revision, and recovers', async () => {
    await fixture.write('pins/staging.yaml', staging('26.11.0'));
    await fixture.write('pins/prod-west.yaml', prodWest);
    const good = await fixture.commitAndPush('two pins');
    const controller = await start();
    for (const key of ['integration/staging-atom', 'integration/prod-west-atom'])
      await controller.waitForStatus(key, (s) => condition(s, 'Ready')?.status === 'True', 'in sync');

    await fixture.makeRemoteUnreachable();
    expect((await controller.post('/hooks/git', '{}', { 'X-Gitlab-Token': SECRET })).status).toBe(202);
    for (const key of ['integration/staging-atom', 'integration/prod-west-atom']) {
      const stalled = await controller.waitForStatus(
        key,
        (s) => condition(s, 'Stalled')?.status === 'True',
        'Stalled',
      );
      expect(condition(stalled, 'Stalled')).toMatchObject({
        reason: 'GitFetchFailed',
        message: expect.stringContaining(`still using revision ${good.slice(0, 12)}`),
      });
      expect(condition(stalled, 'Stalled')?.message).toMatch(/cannot fetch main from .*remote\.git/);
      expect(condition(stalled, 'Ready')?.status).toBe('True');
    }
    const list = await controller.list();
    expect(list.sources[0]).toMatchObject({ revision: good, error: { code: 'GitFetchFailed' } });

    await fixture.bringRemoteBack();
    expect((await controller.post('/hooks/git', '{}', { 'X-Gitlab-Token': SECRET })).status).toBe(202);
    for (const key of ['integration/staging-atom', 'integration/prod-west-atom'])
      await controller.waitForStatus(key, (s) => condition(s, 'Stalled')?.status === 'False', 'recovered');
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
  });

  it('stalls AtomVersions on a commit whose pins do not load, keeping the last good commit', async () => {
    await fixture.write('pins/staging.yaml', staging('26.11.0'));
    const good = await fixture.commitAndPush('good');
    const controller = await start();
    await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync',
    );
    await fixture.write('pins/staging.yaml', staging('26.12.0').replace('version:', 'verison:'));
    await fixture.commitAndPush('typo');
    expect((await controller.post('/hooks/git', '{}', { 'X-Gitlab-Token': SECRET })).status).toBe(202);
    const stalled = await controller.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Stalled')?.status === 'True',
      'Stalled on the bad commit',
    );
    expect(condition(stalled, 'Stalled')).toMatchObject({ reason: 'InvalidRevision' });
    expect(stalled.lastAttemptedRevision).toBe(good);
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
    await eventually(
      async () => (await controller.list()).sources[0]?.error?.code === 'InvalidRevision',
      'source error listed',
    );
  });
});
