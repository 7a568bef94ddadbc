// Maintenance windows are judged by the platform's clock (the Date of its answers), not by the machine
// atomsync runs on: here the embedded platform's world starts on a Friday at 10:00 in Berlin, inside
// Prod East Molecule's deny window ('0 8 * * FRI', 10h, Europe/Berlin), whatever day the tests run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, pinOutcomes } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';
import { editYamlFile } from './support/yaml-edit.js';

const FRIDAY_10_BERLIN = '2026-11-27T09:00:00Z';

let ws: Workspace;
let plan: PlanJson;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await editYamlFile(ws.path('sim', 'demo.yaml'), (doc) => doc.setIn(['clock', 'start'], FRIDAY_10_BERLIN));
  const result = await runCli(['plan', '--config', 'atomsync.yaml', '--format', 'json'], { cwd: ws.dir });
  plan = parsePlanJson(result.stdout);
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

describe('plan on a platform whose clock is inside a deny window', () => {
  it('holds the runtime back (OutsideWindow) and plans no request for it', () => {
    const prodEast = plan.pins.filter((pin) => pin.runtimeName === 'Prod East Molecule');
    expect(pinOutcomes(prodEast)).toEqual([
      'Prod East Molecule / runtime Atom — Blocked: OutsideWindow',
      'Prod East Molecule / connector HTTP Client — Blocked: OutsideWindow',
    ]);
    expect(plan.changes.map((request) => request.runtimeName)).not.toContain('Prod East Molecule');
  });

  it('is stamped with the platform’s time', () => {
    expect(plan.platformTime.slice(0, 13)).toBe(FRIDAY_10_BERLIN.slice(0, 13));
  });
});
