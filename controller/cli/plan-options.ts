// Shared by the verbs that plan (plan, apply, report).
import type { AtomsyncConfig } from '../config/types.js';
import type { PlanCycleOptions } from '../reconciler/plan-cycle.js';

/** Plan options from the config; `now` is left to the platform's clock (see planCycle). */
export function planOptions(config: AtomsyncConfig): PlanCycleOptions {
  return { maxConcurrentRestarts: config.maxConcurrentRestarts, defaultWindows: config.defaultWindows };
}

/** commander helper for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
