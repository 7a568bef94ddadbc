// The publisher's releases in plan and apply output (docs/publisher.md): one line per
// IntegrationPackRelease in text, a `releases` object in the plan JSON.
import type { InstallBaseReport } from '../domain/pack-install-base.js';
import type { PackReleasePlan } from '../domain/plan-pack-releases.js';
import { alignColumns } from './columns.js';

export function renderReleasesText(plan: PackReleasePlan, aliases: Record<string, string>): string {
  if (plan.results.length === 0) return '';
  const lines = plan.results.map((result) => {
    const account = aliases[result.accountId] ?? result.accountId;
    const reason = result.reason ? ` ${result.reason}:` : '';
    const line = `  ${result.key}  ${account} / ${result.pack}  ${result.outcome}${reason} ${result.message}`;
    const installBase = plan.installBase?.find((report) => report.key === result.key);
    return installBase ? `${line}\n${renderInstallBase(installBase, aliases)}` : line;
  });
  const count = plan.changes.length;
  const head = `Integration pack releases (publisher): ${count} to send`;
  return `\n${head}\n${lines.join('\n')}\n`;
}

/** "Has the release reached everyone?": the summary, then one line per account (docs/publisher.md). */
function renderInstallBase(report: InstallBaseReport, aliases: Record<string, string>): string {
  const rows = report.accounts.map((account) => [
    aliases[account.accountId] ?? account.accountId,
    account.state,
    account.message,
  ]);
  const table = alignColumns(rows, '  ').map((line) => `      ${line}`);
  return [`    install base: ${report.summary}`, ...table].join('\n');
}

/** The `releases` field of the plan JSON: one result per document, the releases apply will send, and
 * where each release runs. */
export function releasesJson(plan: PackReleasePlan): object {
  return { results: plan.results, changes: plan.changes, installBase: plan.installBase ?? [] };
}

export interface SentReleaseLine {
  key: string;
  packName: string;
  accountId: string;
  requestId?: string;
  releaseStatus?: string;
  error?: string;
}

export function renderSentReleases(
  sent: readonly SentReleaseLine[],
  aliases: Record<string, string>,
): string {
  return sent
    .map((line) => {
      const where = `${line.key} (${aliases[line.accountId] ?? line.accountId} / ${line.packName})`;
      if (line.error !== undefined) return `Release ${where} failed: ${line.error}`;
      return `Release ${where}: ${line.releaseStatus} (ReleaseIntegrationPack request ${line.requestId})`;
    })
    .join('\n');
}

/** A release that failed or ended in ERROR makes apply exit 1. */
export function releaseFailed(sent: readonly SentReleaseLine[]): boolean {
  return sent.some((line) => line.error !== undefined || line.releaseStatus === 'ERROR');
}
