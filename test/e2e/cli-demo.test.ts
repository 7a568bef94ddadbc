// The demo of the README, end to end on one copy of examples/: plan, apply, plan again. The steps run
// once (beforeAll, ~15 s: the runtimes really restart in the embedded platform); each test checks what
// a user would notice at one step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalStatuses } from './support/apply-progress.js';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, pinOutcomes, withoutGeneratedAt } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli, stderrWithoutRetries } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';
import { editPinDocuments, pinName } from './support/yaml-edit.js';

const BLOCKED_BY_RULE = [
  'EU Atom / runtime Atom — Blocked: InsufficientPrivilege',
  'Prod West Atom / pack Salesforce to NetSuite — Blocked: InstallBaseLock',
  'Public Cloud US East / runtime Atom — Blocked: NotOwned',
];

let ws: Workspace;
let firstPlan: CliResult;
let applied: CliResult;
let convergedJson: CliResult;
let converged: PlanJson;
let withoutBlockedPins: CliResult;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });
  firstPlan = await cli('plan', '--config', 'atomsync.yaml', '--detailed-exitcode');
  applied = await cli('apply', '--config', 'atomsync.yaml', '--yes', '--wait');
  convergedJson = await cli('plan', '--config', 'atomsync.yaml', '--format', 'json');
  converged = parsePlanJson(convergedJson.stdout);
  await removeBlockedPins(ws.path('pins'));
  withoutBlockedPins = await cli('plan', '--config', 'atomsync.yaml', '--detailed-exitcode');
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

/** Takes out of the pin files exactly the pins the platform's rules block (the user's way out). */
async function removeBlockedPins(dir: string): Promise<void> {
  await editPinDocuments(dir, (doc) => {
    const name = pinName(doc);
    if (name === 'prod-west-atom') doc.deleteIn(['spec', 'integrationPacks']);
    return name !== 'eu-atom' && name !== 'public-cloud-us-east';
  });
}

describe('the demo: plan on a fresh world', () => {
  it('exits 2 with --detailed-exitcode because there is something to change', () => {
    expect(stderrWithoutRetries(firstPlan)).toBe('');
    expect(firstPlan.code).toBe(2);
  });

  it('lists the six planned requests, TEST runtimes in earlier waves than PROD', () => {
    const out = firstPlan.stdout;
    expect(out).toContain('Requests, in apply order (6):');
    const requestLines = [
      'acme-dev / Dev Atom [TEST]: roll back Atom 26.12.0 → 26.11.0, HTTP Client 26.12.0 → 26.11.0',
      'acme-dev / Dev Atom [TEST]: apply pending pack updates Salesforce to NetSuite 3 → 4',
      'acme-dev / QA Molecule [TEST]: apply pending Atom 26.11.0 → 26.12.0, Database 26.11.0 → 26.12.0',
      'acme-prod / Staging Atom [TEST]: roll back Salesforce 26.11.2 → 26.11.1',
      'acme-prod / Staging Atom [TEST]: apply pending Atom 26.11.0 → 26.12.0, HTTP Client 26.11.0 → 26.12.0',
      'acme-prod / Prod East Molecule [PROD]: apply pending Atom 26.11.0 → 26.12.0, HTTP Client 26.11.0 → 26.12.0',
    ];
    for (const line of requestLines) expect(out).toContain(line);
    const prodAt = out.indexOf('[PROD]:');
    for (const testAt of [...out.matchAll(/\[TEST\]:/g)].map((m) => m.index))
      expect(testAt).toBeLessThan(prodAt);
    expect(out).toMatch(/wave 1[\s\S]*wave 2[\s\S]*wave 3/);
  });

  it('shows the three pins the platform refuses, each with its reason and what to do', () => {
    const out = firstPlan.stdout;
    expect(out).toContain('Blocked (3):');
    expect(out).toContain('acme-eu / EU Atom / Atom — InsufficientPrivilege');
    expect(out).toContain('acme-prod / Prod West Atom / pack Salesforce to NetSuite — InstallBaseLock');
    expect(out).toContain('acme-prod / Public Cloud US East / Atom — NotOwned');
    expect(out.match(/What to do: /g)).toHaveLength(3);
    expect(out).toContain('Plan: 6 requests (10 pins to change), 3 blocked, 0 manual, 2 in sync.');
  });
});

describe('the demo: apply --yes --wait', () => {
  it('exits 0 and follows every request to COMPLETE', () => {
    expect(stderrWithoutRetries(applied)).toBe('');
    expect(applied.code).toBe(0);
    const statuses = finalStatuses(applied.stdout);
    expect(statuses.size).toBe(6);
    for (const { label, status } of statuses.values()) expect(`${label}: ${status}`).toMatch(/: COMPLETE$/);
    expect(applied.stdout).toContain('Apply: 6 request(s) sent, 6 complete, 0 failed.');
  });
});

describe('the demo: plan after apply', () => {
  it('has no changes left; only the pins blocked by the platform’s rules remain', () => {
    expect(convergedJson.code).toBe(0);
    expect(converged.changes).toEqual([]);
    expect(converged.manual).toEqual([]);
    expect(pinOutcomes(converged.blocked)).toEqual(BLOCKED_BY_RULE);
    const notInSync = converged.pins.filter((pin) => pin.outcome !== 'InSync');
    expect(pinOutcomes(notInSync)).toEqual(BLOCKED_BY_RULE);
    expect(converged.drift.map((item) => `${item.runtimeName} / ${item.name}: ${item.reason}`)).toEqual([
      'EU Atom / Atom: InsufficientPrivilege',
      'Prod West Atom / Salesforce to NetSuite: InstallBaseLock',
      'Public Cloud US East / Atom: NotOwned',
    ]);
  });

  it('still explains each blocked pin with its reason and advice', () => {
    for (const pin of converged.blocked) {
      expect(pin.message, pin.key).toBeTruthy();
      expect(pin.advice, pin.key).toBeTruthy();
    }
    const advice = converged.blocked.map((pin) => pin.advice ?? '');
    expect(advice[1]).toContain('2026-12-10T00:00:00Z');
    expect(advice[2]).toContain('pin what the cloud runs (26.11.0)');
  });

  it('matches the golden plan (generatedAt aside)', async () => {
    await expect(withoutGeneratedAt(convergedJson.stdout)).toMatchFileSnapshot(
      './golden/demo-converged-plan.json',
    );
  });

  it('exits 0 with --detailed-exitcode once the blocked pins are taken out of the pin files', () => {
    expect(stderrWithoutRetries(withoutBlockedPins)).toBe('');
    expect(withoutBlockedPins.code).toBe(0);
    expect(withoutBlockedPins.stdout).toMatch(/No changes\. \d+ pins in sync\./);
  });
});
