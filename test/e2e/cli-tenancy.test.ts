// Tenancy on every path (issue 16, Why 4): with `tenancy: {integration: [acme-prod, acme-dev]}` and an
// ATOM_MANAGEMENT credential for acme-eu, `run` refused EU Atom but `apply --yes --wait` upgraded it.
// Now `plan` and `apply` go through the same check as `run` (the planner, domain/tenancy.ts): EU Atom is
// Blocked/AccountNotAllowed, nothing is sent to acme-eu, the allowed accounts are applied as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { requestsReceived, type SimulatorRequest } from './support/simulator-state.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';
import { editYamlFile } from './support/yaml-edit.js';

let ws: Workspace;
let before: PlanJson;
let applied: CliResult;
let received: (SimulatorRequest & { accountId?: string })[];

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await editYamlFile(ws.path('atomsync.yaml'), (doc) => {
    doc.setIn(['accounts', 'acme-eu', 'username'], 'BOOMI_TOKEN.admin@demo.atomsync');
    doc.setIn(['accounts', 'acme-eu', 'tokenFile'], 'sim/demo-admin.token');
    doc.setIn(['tenancy'], doc.createNode({ namespaces: { integration: ['acme-prod', 'acme-dev'] } }));
  });
  const cli = (...args: string[]) => runCli([...args, '--config', 'atomsync.yaml'], { cwd: ws.dir });
  before = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  applied = await cli('apply', '--yes', '--wait');
  received = await requestsReceived(ws.path('.atomsync'));
}, 180_000);

afterAll(async () => {
  await ws?.remove();
});

describe('tenancy in plan and apply', () => {
  it('plans the refused AtomVersion Blocked/AccountNotAllowed with what to do', () => {
    const eu = before.pins.filter((pin) => pin.key === 'integration/eu-atom');
    expect(eu.length).toBeGreaterThan(0);
    for (const pin of eu) {
      expect(pin).toMatchObject({ outcome: 'Blocked', reason: 'AccountNotAllowed' });
      expect(pin.message).toContain('namespace integration may target only acme-prod, acme-dev');
    }
    expect(before.changes.some((change) => change.keys.includes('integration/eu-atom'))).toBe(false);
  });

  it('apply sends nothing to the refused account and still applies the allowed ones', () => {
    expect(applied.code).toBe(0);
    expect(received.length).toBeGreaterThan(0);
    expect(received.filter((request) => request.accountId === 'acme-eu-J1K2L3')).toEqual([]);
    expect(received.every((request) => request.accountId !== undefined)).toBe(true);
  });
});
