// Shared by the verbs that plan (plan, apply, report).
import type { PrReportInput } from '../pr/compute-pr-report.js';
import { CliError } from './errors.js';

/** commander helper for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** --base and --head as the PR report needs them: both or neither. */
export function prRefs(
  base: string | undefined,
  head: string | undefined,
): Pick<PrReportInput, 'base' | 'head'> {
  if (base === undefined || head === undefined) {
    throw new CliError('--base and --head go together: pass both refs (e.g. --base origin/main --head HEAD)');
  }
  return { base, head };
}

/** Warnings of the PR report (pins the report could not read at one ref) go to stderr. */
export function warnOnStderr(warning: string): void {
  process.stderr.write(`atomsync: warning: ${warning}\n`);
}
