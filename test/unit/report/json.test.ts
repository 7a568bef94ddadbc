import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../controller/domain/types.js';
import { PLAN_JSON_FORMAT_VERSION, renderJson } from '../../../controller/report/json.js';
import { demoPlan, manualPlan } from './demo-plans.js';
import { expectGolden } from './golden.js';

describe('renderJson', () => {
  it('matches the golden plan JSON for the demo world', async () => {
    await expectGolden('demo-plan.json', renderJson(demoPlan));
  });

  it('matches the golden plan JSON for manual steps and a pack conflict', async () => {
    await expectGolden('manual-plan.json', renderJson(manualPlan));
  });

  it('starts with the format version and keeps drift apart from changes', () => {
    const document = JSON.parse(renderJson(demoPlan)) as Record<string, unknown>;
    expect(PLAN_JSON_FORMAT_VERSION).toBe('2');
    expect(Object.keys(document)).toEqual([
      'formatVersion',
      'atomsync',
      'generatedAt',
      'platformTime',
      'summary',
      'drift',
      'changes',
      'pins',
      'blocked',
      'manual',
      'diagnostics',
    ]);
    expect(document.formatVersion).toBe(PLAN_JSON_FORMAT_VERSION);
    expect(document.drift).toHaveLength(demoPlan.drift.length);
    expect(document.changes).toHaveLength(demoPlan.changes.length);
  });

  it('writes the same keys in the same order whatever order the plan object had them in', () => {
    const shuffled = JSON.parse(
      JSON.stringify(demoPlan, (_key, value: unknown) => reverseKeys(value)),
    ) as Plan;
    expect(renderJson(shuffled)).toBe(renderJson(demoPlan));
  });

  it('lists changes in wave order', () => {
    const document = JSON.parse(renderJson(demoPlan)) as { changes: { wave: number }[] };
    const waves = document.changes.map((change) => change.wave);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(waves).toEqual([1, 1, 1, 1, 2]);
  });

  it('keeps fields a newer planner adds, after the known ones', () => {
    const [first, ...rest] = demoPlan.pins;
    const plan = { ...demoPlan, pins: [{ ...first, zeta: 1, alpha: 2 }, ...rest] } as Plan;
    const document = JSON.parse(renderJson(plan)) as { pins: Record<string, unknown>[] };
    expect(Object.keys(document.pins[0] ?? {}).slice(-2)).toEqual(['alpha', 'zeta']);
  });

  it('indents by two spaces and ends with a newline', () => {
    const json = renderJson(demoPlan);
    expect(json.startsWith('{\n  "formatVersion": "2",\n')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });
});

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}
