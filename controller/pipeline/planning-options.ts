import { accountBookOf } from '../config/account-book.js';
import type { AtomsyncConfig } from '../config/types.js';
import type { PlanningOptions } from './observe-and-plan.js';

/** Planning options from the config (tenancy included); `now` is left to the platform's clock. */
export function planningOptions(config: AtomsyncConfig): PlanningOptions {
  return {
    maxConcurrentRestarts: config.maxConcurrentRestarts,
    defaultWindows: config.defaultWindows,
    accounts: accountBookOf(config),
    ...(config.tenancy ? { tenancy: config.tenancy } : {}),
    ...(config.platform.releaseCalendar ? { releaseCalendar: config.platform.releaseCalendar } : {}),
  };
}
