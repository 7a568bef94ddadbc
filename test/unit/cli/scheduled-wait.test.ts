// apply --wait after a release-schedule slot sends only what the reviewed plan announced: the schedule put
// back. A plan after the slot that asks for anything else is shown and left for a reviewed apply.
import { describe, expect, it } from 'vitest';
import type { PlannedRun } from '../../../controller/cli/planned-command.js';
import { followScheduledPins } from '../../../controller/cli/scheduled-wait.js';
import type { Plan, PinResult, PlannedRequest } from '../../../controller/domain/types.js';

const ETA = '2026-11-23T17:00:00.000Z';

const scheduledPin = {
  key: 'integration/test-atom',
  accountId: 'acme',
  runtimeId: 'rt-1',
  runtimeName: 'Test Atom',
  kind: 'runtime',
  name: 'Atom',
  wanted: '26.12.0',
  target: '26.12.0',
  current: '26.11.0',
  outcome: 'Scheduled',
  message: 'through the release schedule',
  eta: ETA,
} as PinResult;

function planWith(pins: PinResult[], kinds: string[]): Plan {
  const changes = kinds.map((kind) => ({ kind, runtimeName: 'Test Atom' }) as unknown as PlannedRequest);
  return { pins, changes } as unknown as Plan;
}

function runReplanningTo(after: Plan, then: Plan): PlannedRun {
  const plans = [after, then];
  return {
    platform: { embedded: { moveClockTo: async (at: Date) => at }, targets: [] },
    replan: async () => ({ plan: plans.shift() ?? then, snapshot: {} }),
  } as unknown as PlannedRun;
}

async function follow(after: Plan): Promise<{ lines: string[]; sent: Plan[]; final: Plan }> {
  const lines: string[] = [];
  const sent: Plan[] = [];
  const converged = planWith([{ ...scheduledPin, outcome: 'InSync' }], []);
  const final = await followScheduledPins(runReplanningTo(after, converged), planWith([scheduledPin], []), {
    write: (line) => lines.push(line),
    send: async (plan) => void sent.push(plan),
  });
  return { lines, sent, final };
}

describe('apply --wait after a release-schedule slot', () => {
  it('verifies the pin and sends the plan that puts the release schedule back', async () => {
    const after = planWith([{ ...scheduledPin, outcome: 'InSync' }], ['RuntimeReleaseSchedule']);
    const { lines, sent } = await follow(after);
    expect(lines.join('\n')).toContain('Verified: Test Atom runs Atom 26.12.0.');
    expect(sent).toEqual([after]);
  });

  it('does not send a plan that asks for more than the schedule’s return, and says to review it', async () => {
    const after = planWith(
      [{ ...scheduledPin, outcome: 'InSync' }],
      ['RuntimeReleaseSchedule', 'AtomVersionUpdateRequest'],
    );
    const { lines, sent, final } = await follow(after);
    expect(sent).toEqual([]);
    expect(final).toBe(after);
    expect(lines.join('\n')).toContain('not sent without review. Run atomsync plan, then apply.');
  });
});
