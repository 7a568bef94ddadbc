// The PR report for a terminal: the pin changes of the PR, then the usual text plan.

import type { AccountAliases } from '../report/account-names.js';
import { describePinChange } from './pin-change-text.js';
import { renderText } from '../report/text.js';
import type { PrReport } from './pr-report.js';

export function renderPrText(
  report: PrReport,
  options: { color: boolean; accountAliases?: AccountAliases },
): string {
  const lines: string[] = [];
  if (report.base && report.head) {
    lines.push(
      `Pins changed from ${report.base.ref} (${short(report.base.sha)}) to ${report.head.ref} (${short(report.head.sha)}):`,
    );
  }
  const changes = report.pinChanges ?? [];
  if (report.pinChanges && changes.length === 0) lines.push('  (no pin changes)');
  for (const change of changes) lines.push(`  ${describePinChange(change)}`);
  const plan = renderText(report.plan, {
    color: options.color,
    ...(options.accountAliases ? { accountAliases: options.accountAliases } : {}),
  });
  return lines.length > 0 ? `${lines.join('\n')}\n\n${plan}` : plan;
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
