import type { PlanSummary } from '../domain/types.js';

/**
 * One line in the manner of Terraform's: `Plan: 4 requests (6 pins to change), 3 blocked, 1 manual,
 * 12 in sync.` (`(6 pins to change, 2 through the release schedule)` when Scheduled pins are among them) — or `No changes. 12 pins in sync.` when there is nothing to do or report. When apply would
 * send nothing yet pins are blocked or manual, the line says that apply cannot close that drift.
 */
export function summaryLine(summary: PlanSummary): string {
  const quiet =
    summary.requests === 0 &&
    summary.toChange === 0 &&
    summary.blocked === 0 &&
    summary.manual === 0 &&
    summary.waiting === 0;
  if (quiet) return `No changes. ${count(summary.inSync, 'pin')} in sync.`;
  const parts = [
    `${count(summary.requests, 'request')} (${count(summary.toChange, 'pin')} to change${scheduledPart(summary)})`,
    `${summary.blocked} blocked`,
    `${summary.manual} manual`,
  ];
  if (summary.waiting > 0) parts.push(`${summary.waiting} waiting`);
  parts.push(`${summary.inSync} in sync`);
  return `Plan: ${parts.join(', ')}.${unclosable(summary)}`;
}

/** Scheduled pins change without a request of their own: the release schedule brings them. */
function scheduledPart(summary: PlanSummary): string {
  const scheduled = summary.scheduled ?? 0;
  return scheduled > 0 ? `, ${scheduled} through the release schedule` : '';
}

/** Drift no apply can close (`plan --detailed-exitcode` still exits 2 for it): say so on the line itself. */
function unclosable(summary: PlanSummary): string {
  if (summary.requests > 0 || summary.waiting > 0 || summary.blocked + summary.manual === 0) return '';
  return ' Apply cannot close this drift: fix the blocked reasons or do the manual steps below.';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
