// Small lookups over a Plan for the planner tests.
import { expect } from 'vitest';
import type { Plan, PinResult } from '../../../controller/domain/types.js';

export function pinNamed(plan: Plan, name: string, key?: string): PinResult {
  const pin = plan.pins.find(
    (candidate) => candidate.name === name && (key === undefined || candidate.key === key),
  );
  expect(pin, `no pin named ${name}`).toBeDefined();
  return pin as PinResult;
}
