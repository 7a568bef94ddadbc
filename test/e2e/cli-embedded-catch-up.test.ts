// Issue 11, "embedded mode: the simulator's clock moves only while a command runs, so `apply` without
// `--wait` leaves requests Waiting that a later `apply --wait` does not follow." The embedded platform is
// a separate program started per command; its world now catches up on the wall time it was off, as a
// real platform keeps running between two commands.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, pinOutcomes } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { requestsReceived, simulatorStateFile } from './support/simulator-state.js';
import type { SimulatorRequest } from './support/simulator-state.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

// QA Molecule (2 nodes) takes the pending 26.12.0: the demo's timing restarts it in about 4 s.
const QA_MOLECULE = `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata: { name: qa-molecule, namespace: integration }
spec:
  account: acme-dev
  runtime: { name: QA Molecule }
  version: 26.12.0
`;
const TIME_OFF_MS = 8_000;

let ws: Workspace;
let sent: CliResult;
let requestsAfterSend: SimulatorRequest[];
let savedClockAfterSend: string;
let laterPlan: PlanJson;
let requestsLater: SimulatorRequest[];
let laterApply: CliResult;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await mkdir(ws.path('qa'));
  await writeFile(ws.path('qa', 'qa-molecule.yaml'), QA_MOLECULE);
  const cli = (...args: string[]) =>
    runCli([...args, '--config', ws.config, '--dir', ws.path('qa')], { cwd: ws.dir });
  sent = await cli('apply', '--yes');
  requestsAfterSend = await requestsReceived(ws.path('.atomsync'));
  savedClockAfterSend = await savedClock();
  await sleep(TIME_OFF_MS);
  laterPlan = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  requestsLater = await requestsReceived(ws.path('.atomsync'));
  laterApply = await cli('apply', '--yes', '--wait');
}, 150_000);

afterAll(async () => {
  await ws?.remove();
});

async function savedClock(): Promise<string> {
  const saved = JSON.parse(await readFile(simulatorStateFile(ws.path('.atomsync')), 'utf8')) as {
    state: { clock: { now: string } };
  };
  return saved.state.clock.now;
}

describe('the embedded world between two commands', () => {
  it('leaves the request in flight when apply does not wait', () => {
    expect(sent.code).toBe(0);
    expect(requestsAfterSend).toHaveLength(1);
    expect(requestsAfterSend[0]?.status).not.toBe('COMPLETE');
  });

  it('catches up on the time it was off when the next command starts: the request finished', () => {
    expect(requestsLater).toHaveLength(1);
    expect(requestsLater[0]?.status).toBe('COMPLETE');
    expect(pinOutcomes(laterPlan.pins)).toEqual(['QA Molecule / runtime Atom — InSync']);
  });

  it('moved model time by at least the wall time it was off', async () => {
    const moved = Date.parse(await savedClock()) - Date.parse(savedClockAfterSend);
    expect(moved).toBeGreaterThanOrEqual(TIME_OFF_MS);
  });

  it('lets a later `apply --wait` find nothing left to do and exit 0', () => {
    expect(laterApply.code).toBe(0);
    expect(laterApply.stdout).not.toMatch(/request\(s\) sent/);
  });
});
