// The publisher's releases in `plan` and `apply` (docs/publisher.md): the plan's text gets a section and
// its JSON a `releases` field; apply sends the releases (after the AtomVersion requests are confirmed),
// follows them and records their request ids for the next plan.
import type { PackReleasePlan } from '../domain/plan-pack-releases.js';
import {
  observeAndPlanReleases,
  observeInstallBases,
  sendPackReleases,
  type SentPackRelease,
} from '../pipeline/pack-releases.js';
import {
  releaseFailed,
  releasesJson,
  renderReleasesText,
  renderSentReleases,
} from '../report/pack-releases.js';
import type { PlannedRun } from './planned-command.js';
import { readFollowedReleases, recordReleases } from './release-ledger.js';
import type { PlanFormat } from './render-plan.js';

const RELEASE_POLL_MS = 500;

export function withReleases(
  rendered: string,
  plan: PackReleasePlan,
  format: PlanFormat,
  aliases: Record<string, string>,
): string {
  if (plan.results.length === 0) return rendered;
  if (format === 'json') {
    const json = JSON.parse(rendered) as Record<string, unknown>;
    return `${JSON.stringify({ ...json, releases: releasesJson(plan) }, null, 2)}\n`;
  }
  if (format === 'markdown')
    return `${rendered}\n${'```'}\n${renderReleasesText(plan, aliases).trim()}\n${'```'}\n`;
  return `${rendered}${renderReleasesText(plan, aliases)}`;
}

/** Sends the planned releases; true when one failed (apply then exits 1). */
export async function applyReleases(run: PlannedRun, aliases: Record<string, string>): Promise<boolean> {
  if (run.releasePlan.changes.length === 0) return false;
  const sent = await sendPackReleases(run.platform.targets, run.releasePlan.changes, {
    pollMs: RELEASE_POLL_MS,
    deadline: run.deadline.expiresAt,
  });
  await recordReleases(
    run.platform.config.stateDir,
    sent.flatMap((s) =>
      s.requestId === undefined ? [] : [{ accountId: s.change.accountId, requestId: s.requestId }],
    ),
  );
  const lines = sent.map((s) => ({
    key: s.change.key,
    packName: s.change.packName,
    accountId: s.change.accountId,
    ...(s.requestId !== undefined && { requestId: s.requestId }),
    ...(s.releaseStatus !== undefined && { releaseStatus: s.releaseStatus }),
    ...(s.error !== undefined && { error: s.error }),
  }));
  process.stdout.write(`\n${renderSentReleases(lines, aliases)}\n`);
  const reached = await installBaseAfter(run, sent);
  if (reached !== '') process.stdout.write(`${reached}\n`);
  return releaseFailed(lines);
}

/** Right after sending, "has it reached everyone?": the platform read again for the releases that went out. */
async function installBaseAfter(run: PlannedRun, sent: readonly SentPackRelease[]): Promise<string> {
  const out = sent.filter((s) => s.releaseStatus === 'SUCCESS' || s.releaseStatus === 'SCHEDULED');
  if (out.length === 0) return '';
  const { config, targets } = run.platform;
  const plan = await observeAndPlanReleases(
    config,
    targets,
    run.releases,
    await readFollowedReleases(config.stateDir),
  );
  const reports = await observeInstallBases(targets, run.releases, plan);
  return reports
    .filter((report) => out.some((s) => s.change.key === report.key))
    .map((report) => `Install base of ${report.key} now: ${report.summary}`)
    .join('\n');
}
