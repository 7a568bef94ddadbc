// Issue 11, "errors are errors": an account that cannot be read — platform unreachable, HTTP 401, 403 on
// the account, an HTML 502 page, truncated JSON, a socket that never answers — makes plan and apply exit 1
// with one line per account saying what failed and what to do; apply sends nothing unless --target
// leaves that account out. Retries are visible on stderr, --verbose shows each call, --quiet only the
// result. Configs point at the simulator over HTTP or at a garbage-speaking server of the test's own.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_DEV, ACME_PROD, SimHandle } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { closedPort, GarbagePlatform } from './support/garbage-platform.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

const STACK_FRAME = '    at ';

interface AccountLine {
  alias: string;
  accountId: string;
  tokenFile?: string;
  partnerAccountId?: string;
}

function remoteConfig(url: string, accounts: AccountLine[], timeoutSeconds = 30): string {
  const lines = accounts.flatMap((a) => [
    `  ${a.alias}:`,
    `    accountId: ${a.accountId}`,
    `    username: BOOMI_TOKEN.admin@demo.atomsync`,
    `    tokenFile: ${a.tokenFile ?? 'sim/demo-admin.token'}`,
    ...(a.partnerAccountId ? [`    partnerAccountId: ${a.partnerAccountId}`] : []),
  ]);
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: Config',
    `platform: { url: "${url}", requestsPerSecond: 100, timeoutSeconds: ${timeoutSeconds} }`,
    'accounts:',
    ...lines,
    'sources:',
    '  - { kind: directory, path: pins, namespace: integration }',
    '',
  ].join('\n');
}

const DEMO_ACCOUNTS: AccountLine[] = [
  { alias: 'acme-prod', accountId: ACME_PROD },
  { alias: 'acme-dev', accountId: ACME_DEV },
  { alias: 'acme-eu', accountId: 'acme-eu-J1K2L3' },
];

let ws: Workspace;
let sim: SimHandle;
let garbage: GarbagePlatform;
const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });

function expectCleanFailure(result: CliResult): void {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toContain(STACK_FRAME);
  expect(result.stdout).not.toContain(STACK_FRAME);
}

/** The stderr lines that name one account (`  alias (id): …`). */
function accountLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^ {2}\S+ \(\S+\): /.test(line));
}

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  sim = await SimHandle.start({ clock: 'realtime' });
  garbage = await GarbagePlatform.start();
  await writeFile(ws.path('wrong.token'), 'expired-token-5f3a9c');
  const unreachable = `http://127.0.0.1:${await closedPort()}`;
  await writeFile(ws.path('unreachable.yaml'), remoteConfig(unreachable, DEMO_ACCOUNTS));
  await writeFile(
    ws.path('wrong-token.yaml'),
    remoteConfig(sim.url, [
      { alias: 'acme-prod', accountId: ACME_PROD, tokenFile: 'wrong.token' },
      { alias: 'acme-dev', accountId: ACME_DEV },
    ]),
  );
  await writeFile(
    ws.path('not-a-partner.yaml'),
    remoteConfig(sim.url, [
      { alias: 'acme-dev', accountId: ACME_DEV },
      { alias: 'acme-eu', accountId: 'acme-eu-J1K2L3', partnerAccountId: ACME_DEV },
    ]),
  );
  await writeFile(
    ws.path('garbage.yaml'),
    remoteConfig(
      garbage.url,
      [
        { alias: 'acme-prod', accountId: 'html-502' },
        { alias: 'acme-dev', accountId: 'truncated' },
        { alias: 'acme-eu', accountId: 'silent' },
      ],
      0.5,
    ),
  );
  await writeFile(
    ws.path('silent.yaml'),
    remoteConfig(garbage.url, [{ alias: 'acme-eu', accountId: 'silent' }], 30),
  );
}, 120_000);

afterAll(async () => {
  await garbage?.close();
  await sim?.close();
  await ws?.remove();
});

describe('a platform that is not there', () => {
  let plan: CliResult;
  let apply: CliResult;
  beforeAll(async () => {
    [plan, apply] = await Promise.all([
      cli('plan', '-c', 'unreachable.yaml', '--detailed-exitcode'),
      cli('apply', '-c', 'unreachable.yaml', '--yes', '--quiet'),
    ]);
  }, 60_000);

  it('plan --detailed-exitcode exits 1 naming each account, what failed and what to do', () => {
    expectCleanFailure(plan);
    expect(plan.stderr).toContain('3 accounts could not be read; no plan was made');
    const lines = accountLines(plan.stderr);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toContain('could not connect (ECONNREFUSED)');
      expect(line).toContain('check the platform URL');
    }
    expect(plan.stdout).toBe('');
  });

  it('retries are visible on stderr, a line each with the attempt', () => {
    expect(plan.stderr).toMatch(
      /POST AccountUserRole\/query for acme-prod: no connection; retrying \(attempt 2 of 6\)/,
    );
  });

  it('apply exits 1, sends nothing and does not say "Nothing to apply"', () => {
    expectCleanFailure(apply);
    expect(apply.stderr).toContain('nothing was sent');
    expect(apply.stdout).not.toContain('Nothing to apply');
  });

  it('--quiet keeps the error lines and drops the retry lines', () => {
    expect(accountLines(apply.stderr)).toHaveLength(3);
    expect(apply.stderr).not.toContain('retrying');
  });
});

describe('a credential the platform refuses (HTTP 401)', () => {
  it('plan names the account with the 401 and what to check, never the token', async () => {
    const result = await cli('plan', '-c', 'wrong-token.yaml');
    expectCleanFailure(result);
    const lines = accountLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`acme-prod (${ACME_PROD}):`);
    expect(lines[0]).toContain('HTTP 401');
    expect(lines[0]).toContain('check the username');
    expect(result.stderr + result.stdout).not.toContain('expired-token-5f3a9c');
  });

  it('apply sends nothing to any account, the readable one included', async () => {
    const result = await cli('apply', '-c', 'wrong-token.yaml', '--yes');
    expectCleanFailure(result);
    expect(await sim.versionRequestsCreated(ACME_DEV)).toBe(0);
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
  });

  it('apply --target acme-dev applies the readable account alone', async () => {
    const result = await cli('apply', '-c', 'wrong-token.yaml', '--yes', '--target', 'acme-dev');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('acme-prod');
    expect(await sim.versionRequestsCreated(ACME_DEV)).toBeGreaterThan(0);
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
  });

  it('an unknown --target is refused with the closest alias', async () => {
    const result = await cli('plan', '-c', 'wrong-token.yaml', '--target', 'acme-prd');
    expectCleanFailure(result);
    expect(result.stderr).toContain(
      "--target acme-prd: no configured account has this alias or id — did you mean 'acme-prod'?",
    );
  });
});

describe('HTTP 403 on the account', () => {
  it('plan names the account the credential may not act on', async () => {
    const result = await cli('plan', '-c', 'not-a-partner.yaml');
    expectCleanFailure(result);
    const lines = accountLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('acme-eu (acme-eu-J1K2L3):');
    expect(lines[0]).toContain('HTTP 403');
    expect(lines[0]).toContain('privilege');
  });
});

describe('a server that speaks garbage', () => {
  let result: CliResult;
  let lines: string[];
  beforeAll(async () => {
    result = await cli('plan', '-c', 'garbage.yaml');
    lines = accountLines(result.stderr);
  }, 60_000);

  it('exits 1 with one line per account', () => {
    expectCleanFailure(result);
    expect(lines).toHaveLength(3);
  });

  it('an HTML 502 page is one readable line, not markup', () => {
    const line = lines.find((l) => l.startsWith('  acme-prod (html-502):')) ?? '';
    expect(line).toContain('HTTP 502');
    expect(line).toContain('502 Bad Gateway');
    expect(line).not.toContain('<');
    expect(line).toContain('retry later');
  });

  it('truncated JSON says the answer is not the API and to check platform.url', () => {
    const line = lines.find((l) => l.startsWith('  acme-dev (truncated):')) ?? '';
    expect(line).toContain('not JSON');
    expect(line).toContain('check that platform.url points at the AtomSphere API');
  });

  it('a socket that never answers times out per attempt and says so', () => {
    const line = lines.find((l) => l.startsWith('  acme-eu (silent):')) ?? '';
    expect(line).toContain('no answer within 500 ms');
    expect(line).toContain('after 6 attempts');
  });
});

describe('one deadline for the whole command', () => {
  it('--timeout stops a command stuck on a silent platform, naming what it waited for', async () => {
    const started = Date.now();
    const result = await cli('plan', '-c', 'silent.yaml', '--timeout', '2s');
    expectCleanFailure(result);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.stderr).toContain('plan did not finish within 2s (--timeout)');
    expect(result.stderr).toContain('acme-eu: no answer to its first call yet');
  });
});

describe('--verbose', () => {
  it('shows each call with method, object, status and time, and never a token', async () => {
    const demo = await cli('plan', '-c', 'atomsync.yaml', '--verbose');
    expect(demo.code).toBe(0);
    expect(demo.stderr).toMatch(/^atomsync: POST Atom\/query acme-prod → HTTP 200 in \d+ ms$/m);
    expect(demo.stderr).toMatch(/^atomsync: POST AtomVersions\/bulk acme-dev → HTTP 200 in \d+ ms$/m);
    expect(demo.stderr).not.toContain('demo-admin-token');
    expect(demo.stderr).not.toContain('Basic ');
  });

  it('is a program option, accepted before the verb too', async () => {
    const result = await cli('--verbose', 'plan', '-c', 'wrong-token.yaml');
    expectCleanFailure(result);
    expect(result.stderr).toMatch(/POST AccountUserRole\/query acme-prod → HTTP 401 in \d+ ms/);
  });
});
