// Tenancy on every path (issue 16, Why 4): with `tenancy: {integration: [acme-prod, acme-dev]}` and an
// ATOM_MANAGEMENT credential for acme-eu, `run` refused EU Atom but `apply --yes --wait` upgraded it.
// Now `plan` and `apply` go through the same check as `run` (the planner, domain/tenancy.ts): EU Atom is
// Blocked/AccountNotAllowed, nothing is sent to acme-eu, the allowed accounts are applied as before.
// And a pin file may not claim a namespace: the config's source says which namespace its files are in
// (examples/atomsync.yaml: `namespace: integration`), so a file declaring `namespace: emea` to borrow
// emea's grant on acme-eu stops plan and apply with file:line and what to do.
import { mkdir, writeFile } from 'node:fs/promises';
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
let claimed: CliResult;
let claimedApply: CliResult;
let outsideDir: CliResult;
let receivedAfterClaim: SimulatorRequest[];

const CLAIMS_EMEA = `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata:
  name: eu-atom-borrowed
  namespace: emea
spec:
  account: acme-eu
  runtime: { name: EU Atom }
  channel: pending
`;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await editYamlFile(ws.path('atomsync.yaml'), (doc) => {
    doc.setIn(['accounts', 'acme-eu', 'username'], 'BOOMI_TOKEN.admin@demo.atomsync');
    doc.setIn(['accounts', 'acme-eu', 'tokenFile'], 'sim/demo-admin.token');
    doc.setIn(
      ['tenancy'],
      doc.createNode({ namespaces: { integration: ['acme-prod', 'acme-dev'], emea: ['acme-eu'] } }),
    );
  });
  const cli = (...args: string[]) => runCli([...args, '--config', 'atomsync.yaml'], { cwd: ws.dir });
  before = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  applied = await cli('apply', '--yes', '--wait');
  received = await requestsReceived(ws.path('.atomsync'));
  await writeFile(ws.path('pins', 'team-shared.yaml'), CLAIMS_EMEA);
  claimed = await cli('plan');
  claimedApply = await cli('apply', '--yes');
  await mkdir(ws.path('elsewhere'));
  await writeFile(ws.path('elsewhere', 'eu.yaml'), CLAIMS_EMEA);
  outsideDir = await cli('plan', '--dir', 'elsewhere');
  receivedAfterClaim = await requestsReceived(ws.path('.atomsync'));
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

describe('Why 4: the namespace comes from the source, not from the file', () => {
  it('a pin file claiming another namespace stops plan and apply, naming file:line and what to do', () => {
    for (const result of [claimed, claimedApply]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "pins/team-shared.yaml:5:14 metadata.namespace: metadata.namespace 'emea' is not this file's namespace: sources[0].namespace in the config puts it in 'integration'. Remove metadata.namespace (the source decides it)",
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(receivedAfterClaim.map((request) => request.id)).toEqual(received.map((request) => request.id));
  });

  it('with tenancy, --dir outside every configured source is refused rather than trusting its files', () => {
    expect(outsideDir.code).toBe(1);
    expect(outsideDir.stderr).toContain('--dir elsewhere is not inside a directory source');
    expect(outsideDir.stderr).toContain("a pin's namespace comes from its source, not from the file");
  });
});
