// The commit status a PR report sets: its state and its one-line description.

import { describe, expect, it } from 'vitest';
import { statusForPlan } from '../../controller/github/commit-status.js';
import { demoPlan, manualPlan, planOf, quietPlan } from '../unit/report/demo-plans.js';

describe('the PR commit status', () => {
  it('is success with "No changes" when every pin is in sync', () => {
    const status = statusForPlan(quietPlan);

    expect(status.state).toBe('success');
    expect(status.description).toBe(`No changes: ${quietPlan.summary.inSync} pins in sync`);
  });

  it('is failure when anything would be blocked, naming each blocked reason once', () => {
    const status = statusForPlan(demoPlan);
    const reasons = [...new Set(demoPlan.blocked.map((pin) => pin.reason))].sort();

    expect(status.state).toBe('failure');
    expect(status.description).toContain(`${demoPlan.blocked.length} blocked (${reasons.join(', ')})`);
    expect(status.description.startsWith(`${demoPlan.summary.requests} requests`)).toBe(true);
  });

  it('is failure when a change needs manual steps', () => {
    const status = statusForPlan(manualPlan);

    expect(status.state).toBe('failure');
    expect(status.description).toContain(`${manualPlan.manual.length} manual`);
  });

  it('stays success for changes that only need ATOM_MANAGEMENT at apply time, and says so', () => {
    const changing = demoPlan.pins
      .filter((pin) => pin.outcome === 'ApplyPending')
      .map((pin) => ({ ...pin, needsPrivilege: 'ATOM_MANAGEMENT' as const }));
    const plan = planOf(
      changing,
      demoPlan.changes.filter((request) => changing.some((pin) => request.keys.includes(pin.key))),
    );

    const status = statusForPlan(plan);

    expect(status.state).toBe('success');
    expect(status.description).toBe(
      `${plan.summary.requests} request${plan.summary.requests === 1 ? '' : 's'}, ${changing.length} need ATOM_MANAGEMENT`,
    );
  });
});
