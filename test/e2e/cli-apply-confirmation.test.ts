// `apply` changes production runtimes, so without --yes it asks — and where it cannot ask (no terminal:
// CI, a pipe, a cron job) it refuses and sends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson } from './support/plan-json.js';
import type { PlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { requestsReceived } from './support/simulator-state.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

let ws: Workspace;
let before: PlanJson;
let unconfirmed: CliResult;
let after: PlanJson;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  const cli = (...args: string[]) => runCli([...args, '--config', 'atomsync.yaml'], { cwd: ws.dir });
  before = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  unconfirmed = await cli('apply', '--wait');
  after = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

describe('apply without --yes and without a terminal', () => {
  it('exits 1 and tells the user to pass --yes', () => {
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('pass --yes to apply without asking');
    expect(unconfirmed.stderr).not.toContain('    at ');
  });

  it('still shows the plan it would have applied', () => {
    expect(unconfirmed.stdout).toContain('Requests, in apply order (6):');
    expect(unconfirmed.stdout).not.toContain('request(s) sent');
  });

  it('sends nothing: the platform received no request and the next plan shows the same changes', async () => {
    expect(await requestsReceived(ws.path('.atomsync'))).toEqual([]);
    expect(before.changes).toHaveLength(6);
    expect(after.changes).toEqual(before.changes);
    expect(after.summary['waiting']).toBe(0);
  });
});
