// Why 3 (issue 16): a platform — or a gateway in front of it — that echoes the request headers in its error
// text must not carry the credential onto any surface. The gateway echoes Authorization (the Basic value,
// base64 of user:token) on one account's reads and on the version request; then every output is grepped:
// plan text/JSON/Markdown, the PR comment posted to GitHub, the controller's status files, request
// journal, status API, log and metrics, and `atomsync status`.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import { FakeGithubApi } from '../fakes/github-api.js';
import {
  ACME_DEV,
  ACME_PROD,
  ADMIN_TOKEN,
  ControllerUnderTest,
  SimHandle,
  VIEWER_TOKEN,
  condition,
  eventually,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';
import { PullRequestRepo, runCli } from './pr-report-fixture.js';
import { startEchoingGateway, type EchoingGateway } from './platform/support/echoing-gateway.js';

const ADMIN_BASIC = Buffer.from(`BOOMI_TOKEN.admin@demo.atomsync:${ADMIN_TOKEN}`).toString('base64');
const VIEWER_BASIC = Buffer.from(`BOOMI_TOKEN.viewer@demo.atomsync:${VIEWER_TOKEN}`).toString('base64');
const GITHUB_TOKEN = 'ghs_secretEchoTestToken0123456789';
const FORBIDDEN = [ADMIN_TOKEN, VIEWER_TOKEN, ADMIN_BASIC, VIEWER_BASIC, GITHUB_TOKEN, '\u001b[31m'];

/** Every forbidden value found in the text, for a readable failure. */
function leaks(surface: string, text: string): string[] {
  return FORBIDDEN.filter((secret) => text.includes(secret)).map((secret) => `${surface}: ${secret}`);
}

/** acme-dev's runtime list and every version request come back as an echo of the request headers. */
function echoRule(method: string, path: string): number | undefined {
  if (method === 'POST' && path.endsWith(`/${ACME_DEV}/Atom/query`)) return 400;
  if (method === 'POST' && path.endsWith('/AtomVersionUpdateRequest')) return 400;
  return undefined;
}

let sim: SimHandle;
let gateway: EchoingGateway;

beforeAll(async () => {
  sim = await SimHandle.start({ clock: 'manual' });
  gateway = await startEchoingGateway(sim.url, echoRule);
});
afterAll(async () => {
  await gateway?.close();
  await sim?.close();
});

describe('Why 3: a header-echoing platform', () => {
  let repo: PullRequestRepo;
  let github: FakeGithubApi;

  beforeAll(async () => {
    repo = await PullRequestRepo.create();
    const config = await repo.read('atomsync.yaml');
    await repo.write(
      'atomsync.yaml',
      config
        .replace(/embedded: \{[^}]*\}/, `url: ${gateway.url}`)
        .replace(/requestsPerSecond: \d+/, 'requestsPerSecond: 50'),
    );
    github = await FakeGithubApi.start({ token: GITHUB_TOKEN });
    vi.stubEnv('GITHUB_TOKEN', GITHUB_TOKEN);
    vi.stubEnv('GITHUB_RUN_ID', '');
    vi.stubEnv('GITHUB_API_URL', '');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await github?.close();
    await repo?.dispose();
  });

  it('plan text, JSON and Markdown name the failed account but carry no credential, escape or 5,000-character text', async () => {
    const found: string[] = [];
    for (const format of ['text', 'json', 'markdown']) {
      const result = await runCli('plan', '--config', repo.configFile, '--format', format);
      // An account that cannot be read fails the plan (exit 1); the error names it on stderr.
      const output = result.stdout + result.stderr;
      expect(output, format).toContain(ACME_DEV);
      expect(output, format).toContain('Gateway rejected');
      expect(output, format).toContain('REDACTED');
      expect(output, format).not.toContain('#'.repeat(600));
      found.push(...leaks(`plan ${format}`, result.stdout + result.stderr));
    }
    expect(found).toEqual([]);
  });

  it('the PR comment body posted to GitHub carries no credential', async () => {
    const result = await runCli(
      'report',
      'github',
      '--pr',
      '12',
      '--repo',
      'acme/pins',
      '--api-url',
      github.url,
      '--config',
      repo.configFile,
      '--base',
      repo.baseSha,
      '--head',
      repo.headSha,
      '--git-repo',
      repo.root,
    );
    const bodies = github.comments('acme/pins', 12).map((comment) => comment.body);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.join('\n')).toContain('Gateway rejected');
    expect(leaks('PR comment', bodies.join('\n') + result.stdout + result.stderr)).toEqual([]);
  });
});

describe('Why 3: the controller against a header-echoing platform', () => {
  let dir: string;
  let controller: ControllerUnderTest | undefined;

  afterEach(async () => {
    await controller?.stop();
    controller = undefined;
    await removeDir(dir);
  });

  it('status files, journal, status API, log, metrics and `atomsync status` carry no credential', async () => {
    dir = await tempDir('secret-echo');
    const pins = join(dir, 'pins');
    await mkdir(pins);
    await writeFile(
      join(pins, 'staging.yaml'),
      pinYaml('staging-atom', 'acme-prod', 'Staging Atom', '  version: 26.12.0\n'),
    );
    await writeFile(
      join(pins, 'dev.yaml'),
      pinYaml('dev-atom', 'acme-dev', 'Dev Atom', '  channel: pending\n'),
    );
    const stateDir = join(dir, 'state');
    controller = await ControllerUnderTest.start({
      simUrl: gateway.url,
      sources: [new DirectorySource({ name: 'pins', path: pins })],
      stateDir,
    });
    const stalled = await controller.waitForStatus(
      'integration/staging-atom',
      (status) =>
        condition(status, 'Stalled')?.status === 'True' ||
        condition(status, 'Ready')?.message?.includes('Gateway') === true,
      'the refused version request shows in the status',
    );
    expect(JSON.stringify(stalled)).toContain('Gateway rejected');
    await eventually(async () => {
      const dev = await controller!.status('integration/dev-atom');
      return dev && JSON.stringify(dev).includes('Gateway rejected');
    }, 'the account error of acme-dev shows in its status');

    const surfaces: [string, string][] = [
      ['status API list', JSON.stringify(await controller.list())],
      ['status API staging', JSON.stringify(await controller.status('integration/staging-atom'))],
      ['status API dev', JSON.stringify(await controller.status('integration/dev-atom'))],
      ['metrics', await controller.metrics()],
      ['log', controller.logs.join('\n')],
    ];
    await controller.stop();
    surfaces.push(['log after stop', controller.logs.join('\n')]);
    controller = undefined;
    for (const file of await filesUnder(stateDir)) surfaces.push([file, await readFile(file, 'utf8')]);
    expect(surfaces.some(([name]) => name.endsWith('requests.json'))).toBe(true);
    const config = join(dir, 'atomsync.yaml');
    await writeFile(config, statusConfig(stateDir));
    const status = await runCli('status', '--config', config, '--output', 'json');
    surfaces.push(['atomsync status', status.stdout + status.stderr]);
    expect(status.stdout).toContain('Gateway rejected');
    expect(surfaces.flatMap(([name, text]) => leaks(name, text))).toEqual([]);
  });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

function statusConfig(stateDir: string): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: Config',
    `platform: { url: ${gateway.url} }`,
    'accounts:',
    `  acme-prod: { accountId: ${ACME_PROD}, username: BOOMI_TOKEN.admin@demo.atomsync, tokenEnv: UNUSED_TOKEN }`,
    `stateDir: ${stateDir}`,
    'server: { listen: "127.0.0.1:1" }',
    '',
  ].join('\n');
}
