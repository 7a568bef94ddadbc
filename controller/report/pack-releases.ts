// The publisher's releases in plan and apply output (docs/publisher.md): one line per
// IntegrationPackRelease in text, a `releases` object in the plan JSON.
import type { PackReleasePlan } from '../domain/plan-pack-releases.js';

export function renderReleasesText(plan: PackReleasePlan, aliases: Record<string, string>): string {
  if (plan.results.length === 0) return '';
  const lines = plan.results.map((result) => {
    const account = aliases[result.accountId] ?? result.accountId;
    const reason = result.reason ? ` ${result.reason}:` : '';
    return `  ${result.key}  ${account} / ${result.pack}  ${result.outcome}${reason} ${result.message}`;
  });
  const count = plan.changes.length;
  const head = `Integration pack releases (publisher): ${count} to send`;
  return `\n${head}\n${lines.join('\n')}\n`;
}

/** The `releases` field of the plan JSON: one result per document, and the releases apply will send. */
export function releasesJson(plan: PackReleasePlan): object {
  return { results: plan.results, changes: plan.changes };
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
