// Shared by the verbs that plan (plan, apply, report).
import { accountBookOf } from '../config/account-book.js';
import type { AtomsyncConfig } from '../config/types.js';
import type { PlanningOptions } from '../pipeline/observe-and-plan.js';

/** Plan options from the config (tenancy included); `now` is left to the platform's clock (see observeAndPlan). */
export function planOptions(config: AtomsyncConfig): PlanningOptions {
  return {
    maxConcurrentRestarts: config.maxConcurrentRestarts,
    defaultWindows: config.defaultWindows,
    accounts: accountBookOf(config),
    ...(config.tenancy ? { tenancy: config.tenancy } : {}),
  };
}

/** commander helper for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
