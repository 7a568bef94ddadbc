// `atomsync run` on Boomi's API alone plans with the same release dates as `plan` and `apply`: the
// embedded platform's own calendar (examples/boomi-api carries no copy of it). Before, the controller
// planned with no calendar at all, so a held version got no NEVER hold and a Scheduled pin no exact ETA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../browser/support/long-running.js';
import { eventually } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { copyExamples, type Workspace } from './support/workspace.js';

interface PinStatusJson {
  name: string;
  wanted: string;
  outcome: string;
  target?: string;
  message: string;
}
interface StatusJson {
  name: string;
  pins?: PinStatusJson[];
}

let ws: Workspace;
let controller: Served;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  controller = await serve(
    ['run', '-c', 'atomsync.yaml', '--listen', '127.0.0.1:0', '--log-format', 'json'],
    ws.path('boomi-api'),
    /"url":"(http:\/\/[^"]+)"/,
  );
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  await ws?.remove();
});

function pinsOf(name: string): Promise<PinStatusJson[]> {
  return eventually(
    async () => {
      const answer = await fetch(`${controller.url}/api/v1/atomversions/integration/${name}`);
      if (!answer.ok) return undefined;
      const { pins } = (await answer.json()) as StatusJson;
      return pins && pins.length > 0 ? pins : undefined;
    },
    () => `a status for ${name}:\n${controller.output()}`,
    60_000,
  );
}

describe('atomsync run on examples/boomi-api', () => {
  it('holds the Production Molecule with NEVER, as plan does: the embedded calendar says its schedule would fire early', async () => {
    const schedule = (await pinsOf('production-molecule')).find((pin) => pin.name === 'Release schedule');
    expect(schedule?.wanted).toBe('never (hold)');
    expect(schedule?.target).toBe('NEVER');
  });

  it('gives the Test Atom’s pending Atom version the exact slot of the first week', async () => {
    const atom = (await pinsOf('test-atom')).find((pin) => pin.name === 'Atom');
    expect(atom?.outcome).toBe('Scheduled');
    expect(atom?.message).toContain('at 2026-11-23T17:00:00Z');
  });
});
