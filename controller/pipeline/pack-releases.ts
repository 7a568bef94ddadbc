// Observe → plan → send for IntegrationPackReleases (docs/publisher.md), shared by `plan` and `apply`.
// Only the publisher accounts the release documents name are read: one principal (2 calls), one
// PublisherIntegrationPack query and, for releases atomsync follows, one ReleaseIntegrationPackStatus bulk.
import { accountBookOf } from '../config/account-book.js';
import type { AtomsyncConfig } from '../config/types.js';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import {
  planPackReleases,
  type PackReleaseChange,
  type PackReleasePlan,
  type PublisherObservation,
} from '../domain/plan-pack-releases.js';
import { installBaseReport, type InstallBaseReport } from '../domain/pack-install-base.js';
import { PlatformError } from '../platform/errors.js';
import { observeSubscriber } from '../platform/install-base.js';
import type { AccountTarget } from '../platform/observe.js';
import { observePublisher, sendPackRelease, type FollowOptions } from '../platform/pack-releases.js';

/** Request ids atomsync sent, by account, so their ReleaseIntegrationPackStatus can be read back. */
export type FollowedReleases = Readonly<Record<string, readonly string[]>>;

export async function observeAndPlanReleases(
  config: AtomsyncConfig,
  targets: readonly AccountTarget[],
  desired: readonly DesiredPackRelease[],
  followed: FollowedReleases,
): Promise<PackReleasePlan> {
  return (await observeAndPlanFollowing(config, targets, desired, followed)).plan;
}

export interface FollowedPlan {
  plan: PackReleasePlan;
  /** releaseStatus by request id: the followed requests the publisher accounts showed while observed. */
  followedStatuses: ReadonlyMap<string, string>;
}

/** observeAndPlanReleases, also handing back the release statuses its observation read (for `run`). */
export async function observeAndPlanFollowing(
  config: AtomsyncConfig,
  targets: readonly AccountTarget[],
  desired: readonly DesiredPackRelease[],
  followed: FollowedReleases,
): Promise<FollowedPlan> {
  if (desired.length === 0) return { plan: { results: [], changes: [] }, followedStatuses: new Map() };
  const book = accountBookOf(config);
  const named = new Set(desired.map((release) => book.idOf(release.spec.account)));
  const observations = new Map<string, PublisherObservation>();
  const publishers = targets.filter((target) => named.has(target.accountId));
  for (const observation of await Promise.all(
    publishers.map((target) => observePublisher(target, followed[target.accountId] ?? [])),
  )) {
    observations.set(observation.accountId, observation);
  }
  const today = (publishers[0]?.client.platformNow() ?? new Date()).toISOString().slice(0, 10);
  const inScope = desired.filter((release) =>
    targets.some((t) => t.accountId === book.idOf(release.spec.account)),
  );
  return {
    plan: planPackReleases(inScope, observations, book, today),
    followedStatuses: new Map(
      [...observations.values()].flatMap((observation) =>
        observation.readable
          ? observation.releases.map((status) => [status.requestId, status.releaseStatus] as const)
          : [],
      ),
    ),
  };
}

/**
 * Where each release runs: every target account is read once for all the packs (docs/publisher.md,
 * "The install base"); a release whose pack the publisher did not show has no install base to report.
 */
export async function observeInstallBases(
  targets: readonly AccountTarget[],
  desired: readonly DesiredPackRelease[],
  plan: PackReleasePlan,
): Promise<InstallBaseReport[]> {
  const known = plan.results.flatMap((r) =>
    r.integrationPackId === undefined ? [] : [{ ...r, integrationPackId: r.integrationPackId }],
  );
  if (known.length === 0) return [];
  const packIds = [...new Set(known.map((r) => r.integrationPackId))];
  const subscribers = await Promise.all(targets.map((target) => observeSubscriber(target, packIds)));
  return known.map((result) => {
    const releaseOn = desired.find((d) => d.key === result.key)?.spec.releaseOn;
    return installBaseReport(result, releaseOn, subscribers);
  });
}

export interface SentPackRelease {
  change: PackReleaseChange;
  requestId?: string;
  releaseStatus?: string;
  error?: string;
}

/** Sends each release in turn (one per pack; a failure does not stop the others) and follows it. */
export async function sendPackReleases(
  targets: readonly AccountTarget[],
  changes: readonly PackReleaseChange[],
  options: FollowOptions,
): Promise<SentPackRelease[]> {
  const sent: SentPackRelease[] = [];
  for (const change of changes) {
    const target = targets.find((t) => t.accountId === change.accountId);
    if (!target) {
      sent.push({ change, error: `account ${change.accountId} is not among the targets` });
      continue;
    }
    try {
      sent.push({ change, ...(await sendPackRelease(target.client, change, options)) });
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      sent.push({ change, error: err.message });
    }
  }
  return sent;
}
