// Separate invocations share one embedded world, kept in the config's stateDir (relative to the config
// file, not to where atomsync is started); `sim reset` forgets it. Every command here runs from a folder
// away from the config to show that.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, pinOutcomes } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { simulatorStateFile } from './support/simulator-state.js';
import { copyExamples, emptyTempDir } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

const DEV_ATOM_PACK_ONLY = `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata: { name: dev-atom, namespace: integration }
spec:
  account: acme-dev
  runtime: { name: Dev Atom }
  integrationPacks:
    - { name: Salesforce to NetSuite, version: 4 }
`;
const DEV_ATOM_PACK = 'Dev Atom / pack Salesforce to NetSuite';

let ws: Workspace;
let elsewhere: { dir: string; remove(): Promise<void> };
let stateFileAfterFirstPlan: boolean;
let before: PlanJson;
let packApplied: CliResult;
let after: PlanJson;
let reset: CliResult;
let stateFileAfterReset: boolean;
let afterReset: PlanJson;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  elsewhere = await emptyTempDir();
  const cli = (...args: string[]) => runCli([...args, '--config', ws.config], { cwd: elsewhere.dir });
  const planJson = async () => parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  await mkdir(ws.path('dev-pack'));
  await writeFile(ws.path('dev-pack', 'dev-atom.yaml'), DEV_ATOM_PACK_ONLY);

  before = await planJson();
  stateFileAfterFirstPlan = existsSync(simulatorStateFile(ws.path('.atomsync')));
  packApplied = await cli('apply', '--dir', ws.path('dev-pack'), '--yes', '--wait');
  after = await planJson();
  reset = await cli('sim', 'reset');
  stateFileAfterReset = existsSync(simulatorStateFile(ws.path('.atomsync')));
  afterReset = await planJson();
}, 90_000);

afterAll(async () => {
  await ws?.remove();
  await elsewhere?.remove();
});

function packOutcome(plan: PlanJson): string | undefined {
  return pinOutcomes(plan.pins).find((line) => line.startsWith(DEV_ATOM_PACK));
}

describe('the embedded platform across invocations', () => {
  it('keeps its world in the stateDir next to the config, wherever atomsync is started', () => {
    expect(stateFileAfterFirstPlan).toBe(true);
    expect(existsSync(simulatorStateFile(`${elsewhere.dir}/.atomsync`))).toBe(false);
  });

  it('shows a later plan what an earlier apply did', () => {
    expect(packOutcome(before)).toBe(`${DEV_ATOM_PACK} — ApplyPackPending`);
    expect(packApplied.code).toBe(0);
    expect(packOutcome(after)).toBe(`${DEV_ATOM_PACK} — InSync`);
    expect(after.changes).toHaveLength(before.changes.length - 1);
  });
});

describe('sim reset', () => {
  it('forgets the world and says which state file it removed', () => {
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('Embedded platform reset');
    expect(reset.stdout).toContain(simulatorStateFile(ws.path('.atomsync')));
    expect(stateFileAfterReset).toBe(false);
  });

  it('makes the next plan start over from the scenario: the applied change is planned again', () => {
    expect(packOutcome(afterReset)).toBe(`${DEV_ATOM_PACK} — ApplyPackPending`);
    expect(afterReset.changes).toEqual(before.changes);
  });
});
