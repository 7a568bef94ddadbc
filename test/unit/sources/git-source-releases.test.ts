// `atomsync run` reconciles IntegrationPackReleases from a git source too (issue 12, Deliver 5): the
// source's snapshot carries the release documents of the commit beside its pins, and a commit that
// changes a release's spec gives it a new generation (what `run` sends once per).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitSource } from '../../../controller/sources/git-source.js';
import { FakeTimers } from '../reconciler/fake-timers.js';
import { GitFixture } from './git-source-fixture.js';
import { SnapshotCollector, pinYaml } from './snapshot-collector.js';

function releaseYaml(version: string): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: IntegrationPackRelease',
    'metadata: { name: workday, namespace: publishing }',
    'spec:',
    '  account: acme-publisher',
    '  pack: Workday Sync',
    `  components: [{ componentId: c-workers, version: "${version}" }]`,
    '  release: immediately',
    '',
  ].join('\n');
}

describe('GitSource: IntegrationPackRelease documents', () => {
  let repo: GitFixture;
  let source: GitSource | undefined;

  beforeEach(async () => {
    repo = await GitFixture.create();
  });
  afterEach(async () => {
    await source?.stop();
    await repo.dispose();
  });

  it("hands on the commit's release documents with the pins, a new generation when their spec changes", async () => {
    await repo.write(
      'pins/east.yaml',
      `${pinYaml('prod-east', 'Prod East Molecule')}---\n${releaseYaml('2.0')}`,
    );
    const first = await repo.commitAndPush('pins and a release');
    const collector = new SnapshotCollector();
    source = new GitSource({
      url: repo.url,
      branch: 'main',
      path: 'pins',
      stateDir: repo.stateDir,
      timers: new FakeTimers(),
    });
    await source.start(collector.onChange);
    const before = collector.last!.releases ?? [];
    expect(before.map((release) => release.key)).toEqual(['publishing/workday']);
    expect(before[0]!.origin).toMatchObject({ source: 'git', revision: first, file: 'pins/east.yaml' });
    expect(collector.last!.desired.map((pin) => pin.key)).toEqual(['integration/prod-east']);

    await repo.write(
      'pins/east.yaml',
      `${pinYaml('prod-east', 'Prod East Molecule')}---\n${releaseYaml('3.0')}`,
    );
    await repo.commitAndPush('release 3.0');
    await source.syncNow();
    const after = collector.last!.releases ?? [];
    expect(after[0]!.spec.components).toEqual([{ componentId: 'c-workers', version: '3.0' }]);
    expect(after[0]!.generation).not.toBe(before[0]!.generation);
  });
});
