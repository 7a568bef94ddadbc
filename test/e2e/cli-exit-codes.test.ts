// Exit codes and error messages: scripts rely on the codes, people on the messages. No error may show
// a stack trace. All plans here read one fresh demo world and change nothing.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

const STACK_FRAME = '    at ';

// Line 5: a misspelt key; line 10: an inline token, which must be refused without being echoed.
const BAD_CONFIG = `apiVersion: atomsync.io/v1alpha1
kind: Config
platform:
  embedded: { scenario: sim/demo.yaml }
  requestPerSecond: 3
accounts:
  acme-prod:
    accountId: acme-prod-D4E5F6
    username: BOOMI_TOKEN.admin@demo.atomsync
    token: demo-admin-token
`;

// Line 7, column 12: a version that is not an exact dotted version.
const BAD_PIN = `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata: { name: staging-atom, namespace: integration }
spec:
  account: acme-prod
  runtime: { name: Staging Atom }
  version: 26.12.x
`;

let ws: Workspace;
const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await writeFile(ws.path('bad-config.yaml'), BAD_CONFIG);
  await mkdir(ws.path('bad-pins'));
  await writeFile(ws.path('bad-pins', 'staging.yaml'), BAD_PIN);
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

function expectCleanFailure(result: CliResult): void {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toContain(STACK_FRAME);
  expect(result.stdout).not.toContain(STACK_FRAME);
}

describe('plan exit codes', () => {
  it('exits 0 without --detailed-exitcode even when there are changes', async () => {
    const result = await cli('plan', '--config', 'atomsync.yaml');
    expect(result.stdout).toContain('Plan: 6 requests');
    expect(result.code).toBe(0);
  });

  it('exits 2 with --detailed-exitcode when there are changes', async () => {
    const result = await cli('plan', '--config', 'atomsync.yaml', '--detailed-exitcode');
    expect(result.code).toBe(2);
  });
});

describe('errors exit 1 with a message to act on, never a stack trace', () => {
  it('a config error names each problem at file:line:col, without echoing the inline token', async () => {
    const result = await cli('plan', '--config', 'bad-config.yaml');
    expectCleanFailure(result);
    expect(result.stderr).toContain('bad-config.yaml:5:3 platform.requestPerSecond');
    expect(result.stderr).toContain("did you mean 'requestsPerSecond'?");
    expect(result.stderr).toContain('bad-config.yaml:10:5 accounts.acme-prod.token');
    expect(result.stderr).toContain('tokenFile');
    expect(result.stderr).not.toContain('demo-admin-token');
    expect(result.stdout).toBe('');
  });

  it('a missing config file is named', async () => {
    const result = await cli('plan', '--config', 'no-such-config.yaml');
    expectCleanFailure(result);
    expect(result.stderr).toContain('no-such-config.yaml');
    expect(result.stderr).toMatch(/not found/);
  });

  it('a pin error names the file, line, column and field, and nothing is planned', async () => {
    const result = await cli('plan', '--config', 'atomsync.yaml', '--dir', 'bad-pins', '--detailed-exitcode');
    expectCleanFailure(result);
    expect(result.stderr).toContain('bad-pins/staging.yaml:7:12 spec.version');
    expect(result.stderr).toContain('nothing was planned');
    expect(result.stdout).toBe('');
  });

  it('an unknown flag is refused', async () => {
    const result = await cli('plan', '--config', 'atomsync.yaml', '--detailed-exit-code');
    expectCleanFailure(result);
    expect(result.stderr).toContain("unknown option '--detailed-exit-code'");
  });

  it('an unknown verb is refused', async () => {
    const result = await cli('plna', '--config', 'atomsync.yaml');
    expectCleanFailure(result);
    expect(result.stderr).toContain("unknown command 'plna'");
  });

  it('an unknown --format is refused with the formats that exist', async () => {
    const result = await cli('plan', '--config', 'atomsync.yaml', '--format', 'yaml');
    expectCleanFailure(result);
    expect(result.stderr).toContain('-o (--format) must be text, json or markdown');
  });
});
