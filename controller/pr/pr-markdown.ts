// The PR report as GitHub comment bodies: the Markdown report (hidden marker, pin changes first, in-sync
// runtimes collapsed), split into numbered parts when it is longer than one comment may be.

import type { AccountAliases } from '../report/account-names.js';
import { renderMarkdown, splitForGithub } from '../report/markdown.js';
import type { PrReport } from './pr-report.js';

export function renderPrMarkdownParts(report: PrReport, accountAliases?: AccountAliases): string[] {
  return splitForGithub(
    renderMarkdown(report.plan, {
      ...(report.pinChanges ? { pinChanges: report.pinChanges } : {}),
      ...(report.head ? { headSha: report.head.sha } : {}),
      ...(accountAliases ? { accountAliases } : {}),
    }),
  );
}
