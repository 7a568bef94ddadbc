// A platform without atomsync's extension objects (Boomi's own API: no call to apply pending versions or
// roll back) — the demo scenario with `platform: { extensions: false }`. atomsync then plans the UI steps
// a person must take (Manual) instead of requests, and apply sends nothing for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, pinOutcomes } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli, stderrWithoutRetries } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { requestsReceived } from './support/simulator-state.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';
import { editYamlFile } from './support/yaml-edit.js';

let ws: Workspace;
let textPlan: CliResult;
let before: PlanJson;
let applied: CliResult;
let after: PlanJson;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await editYamlFile(ws.path('sim', 'demo.yaml'), (doc) => doc.setIn(['platform', 'extensions'], false));
  const cli = (...args: string[]) => runCli([...args, '--config', 'atomsync.yaml'], { cwd: ws.dir });
  textPlan = await cli('plan', '--detailed-exitcode');
  before = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  applied = await cli('apply', '--yes', '--wait');
  after = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

describe('plan on a platform without the extension API', () => {
  it('plans no requests, only manual steps, and exits 2 with --detailed-exitcode', () => {
    expect(stderrWithoutRetries(textPlan)).toBe('');
    expect(textPlan.code).toBe(2);
    // Issue 12: pending versions go through the release schedule; the only writes are schedules.
    expect(before.changes.every((change) => change.kind === 'RuntimeReleaseSchedule')).toBe(true);
    expect(before.manual.length).toBeGreaterThan(0);
    expect(before.manual.every((pin) => pin.outcome === 'Manual')).toBe(true);
    expect(pinOutcomes(before.manual)).toContain('Staging Atom / connector Salesforce — Manual');
  });

  it('gives each manual pin the UI path, starting at Manage > Atom Management', () => {
    for (const pin of before.manual) {
      expect(pin.manualSteps?.[0], pin.key).toBe('Go to Manage > Atom Management.');
      expect(pin.manualSteps?.join('\n'), pin.key).toContain(`"${pin.runtimeName}"`);
    }
    const rollback = before.manual.find((pin) => pin.runtimeName === 'Dev Atom' && pin.name === 'Atom');
    expect(rollback?.manualSteps).toContain('Click Select Rollback Versions.');
  });

  it('prints the steps in the text plan, numbered, under "to do by hand"', () => {
    expect(textPlan.stdout).toMatch(/^Manual \(\d+\), to do by hand:$/m);
    expect(textPlan.stdout).toMatch(/^ +1\. Go to Manage > Atom Management\.$/m);
    expect(textPlan.stdout).not.toMatch(/\d\. .*: (apply pending|roll back) /);
  });
});

describe('apply on a platform without the extension API', () => {
  it('exits 0 and sends nothing for the manual pins', async () => {
    expect(applied.code).toBe(0);
    expect(applied.stdout).not.toMatch(/(apply pending|roll back) Atom/);
    // --wait follows the Scheduled pins to their slot: the updates there are the platform's own (its
    // release schedule), none was asked for by atomsync's credential.
    const requests = await requestsReceived(ws.path('.atomsync'));
    expect(requests.filter((request) => request.createdBy !== 'platform@sim.atomsync.io')).toEqual([]);
    expect(pinOutcomes(after.manual)).toEqual(pinOutcomes(before.manual));
  });
});
