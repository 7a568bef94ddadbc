// `atomsync report github`: the PR report posted through GitHub's REST API (a local fake over real HTTP)
// — one comment found by its marker and updated in place, and a commit status on the head commit.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PLAN_MARKER } from '../../controller/github/comment-markers.js';
import { FakeGithubApi } from '../fakes/github-api.js';
import { expectGolden, normalize, PullRequestRepo, runCli } from './pr-report-fixture.js';

const TOKEN = 'ghs_prReportTestToken0123456789';
const GITHUB_REPO = 'acme/integration-pins';
const PR = '12';

let repo: PullRequestRepo;
let github: FakeGithubApi;
let scratch: string;

beforeAll(async () => {
  repo = await PullRequestRepo.create();
  scratch = await mkdtemp(join(tmpdir(), 'atomsync-pr-json-'));
});

afterAll(async () => {
  await repo?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  github = await FakeGithubApi.start({ token: TOKEN });
  vi.stubEnv('GITHUB_TOKEN', TOKEN);
  // Not the Actions run of whoever runs these tests.
  vi.stubEnv('GITHUB_RUN_ID', '');
  vi.stubEnv('GITHUB_API_URL', '');
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await github.close();
});

function reportPr(...extra: string[]) {
  return runCli(
    'report',
    'github',
    '--pr',
    PR,
    '--repo',
    GITHUB_REPO,
    '--api-url',
    github.url,
    '--config',
    repo.configFile,
    ...extra,
  );
}

function reportThreeWay() {
  return reportPr('--base', repo.baseSha, '--head', repo.headSha, '--git-repo', repo.root);
}

function commentPosts(): number {
  return github.served('POST').filter((request) => request.path.endsWith('/comments')).length;
}

describe('atomsync report github', () => {
  it('posts the report as a PR comment, updates that comment on the next run and sets the commit status', async () => {
    const [human] = github.seedComments(GITHUB_REPO, 12, ['Looks good to me']);

    const first = await reportThreeWay();

    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const posted = github.comments(GITHUB_REPO, 12);
    expect(posted).toHaveLength(2);
    const ours = posted[1];
    expect(ours?.body.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
    await expectGolden('pr-report.md', normalize(ours?.body ?? '', repo));
    expect(github.statuses(GITHUB_REPO, repo.headSha)).toEqual([
      expect.objectContaining({
        state: 'failure',
        context: 'atomsync/plan',
        description: '8 requests, 1 blocked (InstallBaseLock), 1 needs ATOM_MANAGEMENT',
      }),
    ]);
    expect(first.stdout).toContain(`Comment ${ours?.id} created on ${GITHUB_REPO}#12`);
    expect(first.stdout).toContain(`Status atomsync/plan on ${repo.headSha.slice(0, 12)}: failure`);

    const second = await reportThreeWay();

    expect(second.code).toBe(0);
    const after = github.comments(GITHUB_REPO, 12);
    expect(after.map((comment) => comment.id)).toEqual([human?.id, ours?.id]);
    expect(after[0]?.body).toBe('Looks good to me');
    expect(commentPosts()).toBe(1);
    expect(second.stdout).toMatch(new RegExp(`Comment ${ours?.id} (updated|unchanged) on`));
    expect(github.statuses(GITHUB_REPO, repo.headSha)).toHaveLength(2);
  });

  it('sets the status on --sha when given', async () => {
    const sha = 'a'.repeat(40);

    const run = await reportPr(
      '--base',
      repo.baseSha,
      '--head',
      repo.headSha,
      '--git-repo',
      repo.root,
      '--sha',
      sha,
    );

    expect(run.code).toBe(0);
    expect(github.statuses(GITHUB_REPO, sha)).toHaveLength(1);
    expect(github.statuses(GITHUB_REPO, repo.headSha)).toHaveLength(0);
  });

  it('posts a plan file from `plan --format json` and reports success when nothing is blocked', async () => {
    const planFile = join(scratch, 'plan.json');
    const paths = ['--path', 'pins/acme-dev.yaml', '--path', 'pins/acme-eu.yaml'];
    const plan = await runCli(
      'plan',
      '--config',
      repo.configFile,
      '--repo',
      repo.root,
      '--base',
      repo.baseSha,
      '--head',
      repo.headSha,
      ...paths,
      '--format',
      'json',
      '--out',
      planFile,
    );
    expect(plan.code).toBe(0);

    const run = await reportPr('--from-json', planFile);

    expect(run.code).toBe(0);
    const [comment] = github.comments(GITHUB_REPO, 12);
    expect(comment?.body).toContain(
      '| integration/qa-molecule | connector HTTP Client | — | 26.12.0 | added |',
    );
    expect(comment?.body).toContain('### acme-dev-G7H8I9 (acme-dev)');
    expect(github.statuses(GITHUB_REPO, repo.headSha)).toEqual([
      expect.objectContaining({ state: 'success', description: '4 requests, 1 needs ATOM_MANAGEMENT' }),
    ]);
  });

  it('exits 1 with a message naming the missing permission when GitHub answers 403', async () => {
    github.failNext(1, { kind: 'forbidden' }, { method: 'POST' });

    const run = await reportThreeWay();

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('GitHub answered 403');
    expect(run.stderr).toContain('pull-requests:write');
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(github.statuses(GITHUB_REPO, repo.headSha)).toHaveLength(0);
  });

  it('exits 1 without calling GitHub when GITHUB_TOKEN is not set, and says how to set it', async () => {
    vi.stubEnv('GITHUB_TOKEN', '');

    const run = await reportThreeWay();

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('GITHUB_TOKEN is not set');
    expect(run.stderr).toContain('secrets.GITHUB_TOKEN');
    expect(github.requests).toHaveLength(0);
  });

  it('refuses a pull request number that is not one', async () => {
    const run = await runCli(
      'report',
      'github',
      '--pr',
      'twelve',
      '--repo',
      GITHUB_REPO,
      '--api-url',
      github.url,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--pr must be a pull request number');
    expect(github.requests).toHaveLength(0);
  });
});
