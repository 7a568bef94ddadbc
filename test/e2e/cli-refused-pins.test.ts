// Issue 11, "pins that cannot be meant are load errors": an unknown account alias, two AtomVersions on
// one runtime (account by alias and by id; runtime by name and by id) and a runtime name the platform does
// not have stop plan and apply with exit 1 before anything is sent, each with file:line:col and a
// suggestion; `validate -c` finds what the config can tell offline, `validate -c --platform` the rest.
// The CLI runs in a temp copy of examples/ against the simulator over HTTP (one for the whole file).
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_DEV, ACME_PROD, SimHandle } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { remoteConfig } from './support/remote-config.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

const STACK_FRAME = '    at ';

let ws: Workspace;
let sim: SimHandle;
const cli = (...args: string[]) => runCli([...args, '-c', 'remote.yaml'], { cwd: ws.dir });
/** The same config with a stateDir of its own, so two applies can run at once (one writer per stateDir). */
const cliB = (...args: string[]) => runCli([...args, '-c', 'remote-b.yaml'], { cwd: ws.dir });

function pin(name: string, account: string, runtime: string, namespace = 'integration'): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    `  account: ${account}`,
    `  runtime: ${runtime}`,
    '  channel: released',
    '',
  ].join('\n');
}

async function pinsFolder(name: string, ...docs: string[]): Promise<void> {
  await mkdir(ws.path(name));
  await writeFile(ws.path(name, 'extra.yaml'), docs.join('---\n'));
}

function expectLoadError(result: CliResult): void {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toContain(STACK_FRAME);
  expect(result.stderr).toContain('nothing was planned');
}

/** Version update requests the admin made in the demo's two writable accounts (the simulator's audit log). */
async function requestsSent(): Promise<number> {
  return (await sim.versionRequestsCreated(ACME_PROD)) + (await sim.versionRequestsCreated(ACME_DEV));
}

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  sim = await SimHandle.start();
  await writeFile(ws.path('remote.yaml'), remoteConfig(sim.url));
  await writeFile(ws.path('remote-b.yaml'), `${remoteConfig(sim.url)}stateDir: state-b\n`);
  const westId = await sim.atomId(ACME_PROD, 'Prod West Atom');
  // examples/pins/acme-prod.yaml pins Prod West Atom as `account: acme-prod`, `runtime: { name: … }`.
  await pinsFolder('by-account-id', pin('prod-west-again', ACME_PROD, '{ name: Prod West Atom }'));
  await pinsFolder('by-runtime-id', pin('prod-west-by-id', 'acme-prod', `{ id: ${westId} }`));
  await pinsFolder('typo-account', pin('dev-typo', 'acme-prd', '{ name: Dev Atom }', 'dev'));
  await pinsFolder('typo-runtime', pin('west-typo', 'acme-prod', '{ name: Prod Wets Atom }', 'typo'));
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await ws?.remove();
});

// Seven CLI runs in all, started together: what the config can tell (an unknown alias, alias/id
// duplicates) and what only the platform can (a runtime name it lacks, name/id duplicates).
let offlinePlan: CliResult;
let offlineApply: CliResult;
let platformPlan: CliResult;
let platformApply: CliResult;
let validateOffline: CliResult;
let validatePlatform: CliResult;
let validateClean: CliResult;
let sentAfterApplies: number;

beforeAll(async () => {
  const offline = ['-d', 'pins', '-d', 'by-account-id', '-d', 'typo-account'];
  const online = ['-d', 'pins', '-d', 'typo-runtime', '-d', 'by-runtime-id'];
  [offlinePlan, offlineApply, platformPlan, platformApply, validateOffline, validatePlatform, validateClean] =
    await Promise.all([
      cli('plan', ...offline),
      cli('apply', '--yes', ...offline),
      cli('plan', ...online),
      cliB('apply', '--yes', ...online),
      cli('validate', 'pins', 'by-account-id', 'typo-account', 'typo-runtime'),
      cli('validate', 'pins', 'typo-runtime', 'by-runtime-id', '--platform'),
      cli('validate', '--platform'),
    ]);
  sentAfterApplies = await requestsSent();
}, 120_000);

describe('the same runtime pinned with the account alias and with the account id', () => {
  it('plan exits 1 naming both documents at file:line:col', () => {
    expectLoadError(offlinePlan);
    expect(offlinePlan.stderr).toContain(
      `pins/acme-prod.yaml:28:3 spec.runtime: account acme-prod, runtime 'Prod West Atom' is also pinned by ` +
        `integration/prod-west-again at by-account-id/extra.yaml:8:3 (account ${ACME_PROD}, runtime 'Prod West Atom')`,
    );
    expect(offlinePlan.stderr).toContain(
      `by-account-id/extra.yaml:8:3 spec.runtime: account ${ACME_PROD}, runtime 'Prod West Atom' is also pinned by ` +
        'integration/prod-west-atom at pins/acme-prod.yaml:28:3',
    );
    expect(offlinePlan.stdout).toBe('');
  });

  it('apply --yes exits 1 and sends nothing, to that runtime or any other', () => {
    expectLoadError(offlineApply);
    expect(offlineApply.stdout).not.toContain('request(s) sent');
    expect(sentAfterApplies).toBe(0);
  });
});

describe('an unknown account alias (acme-prd)', () => {
  it('plan and apply exit 1 at the account field with the closest alias; apply changes no other pin', () => {
    for (const result of [offlinePlan, offlineApply]) {
      expectLoadError(result);
      expect(result.stderr).toContain(
        "typo-account/extra.yaml:7:12 spec.account: account 'acme-prd' is not configured — did you mean 'acme-prod'? " +
          'Write one of the configured accounts (acme-prod, acme-dev, acme-eu)',
      );
    }
    expect(sentAfterApplies).toBe(0);
  });
});

describe('a runtime name the platform does not have (Prod Wets Atom)', () => {
  it('plan and apply exit 1 once the platform is read, with the closest runtime name', () => {
    for (const result of [platformPlan, platformApply]) {
      expectLoadError(result);
      expect(result.stderr).toContain(
        `typo-runtime/extra.yaml:8:3 spec.runtime: account acme-prod (${ACME_PROD}) has no runtime named ` +
          "'Prod Wets Atom' — did you mean 'Prod West Atom'?",
      );
    }
  });

  it('apply sends nothing: the other pins are not applied either', () => {
    expect(platformApply.stdout).not.toContain('request(s) sent');
    expect(sentAfterApplies).toBe(0);
  });
});

describe('the same runtime pinned by name and by id', () => {
  it('plan exits 1 once the platform tells which id the name has', () => {
    expectLoadError(platformPlan);
    expect(platformPlan.stderr).toContain(
      "pins/acme-prod.yaml:28:3 spec.runtime: account acme-prod, runtime 'Prod West Atom' is also pinned by " +
        'integration/prod-west-by-id at by-runtime-id/extra.yaml:8:3',
    );
  });
});

describe('validate -c CONFIG (offline) and validate -c CONFIG --platform', () => {
  it('-c finds the unknown account and the alias/id duplicate without reading the platform', () => {
    expect(validateOffline.code).toBe(1);
    expect(validateOffline.stderr).toContain(
      "typo-account/extra.yaml:7:12 spec.account: account 'acme-prd' is not configured",
    );
    expect(validateOffline.stderr).toMatch(
      /by-account-id\/extra\.yaml:8:3 spec\.runtime: .* is also pinned by/,
    );
    expect(validateOffline.stderr).not.toContain('Prod Wets Atom');
    expect(validateOffline.stderr).toContain('3 problem(s); 8 AtomVersions valid.');
  });

  it('--platform also finds the runtime the platform does not have and the name/id duplicate', () => {
    expect(validatePlatform.code).toBe(1);
    expect(validatePlatform.stderr).toContain(
      "has no runtime named 'Prod Wets Atom' — did you mean 'Prod West Atom'?",
    );
    expect(validatePlatform.stderr).toMatch(
      /by-runtime-id\/extra\.yaml:8:3 spec\.runtime: .* is also pinned by/,
    );
    expect(validatePlatform.stderr).toContain('3 problem(s); 7 AtomVersions valid.');
  });

  it('pins that can be meant pass --platform, read from the config’s own sources', () => {
    expect([validateClean.code, validateClean.stdout, validateClean.stderr]).toEqual([
      0,
      '8 AtomVersions valid.\n',
      '',
    ]);
  });
});
