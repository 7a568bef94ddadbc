// The install base of a release (docs/publisher.md): every account atomsync can read, whether it has the
// pack installed, which pack version runs there, and whether the release of an IntegrationPackRelease has
// reached it — current, pending in its testing period, not yet sent — or why the account could not be read.
// Boomi's API has no call that answers "has the release reached everyone?"; this is that answer. Pure.
import type { PackReleaseResult } from './plan-pack-releases.js';

/** One IntegrationPackVersion entry of the pack, as one runtime of the account shows it. */
export interface InstalledPackEntry {
  integrationPackInstanceId: string;
  /** Pack versions count the releases to each account (R11): the same release has other numbers elsewhere. */
  version: number;
  pendingVersion?: number;
  /** yyyy-MM-dd: the end of the testing period of the pending version. */
  releaseOnDate?: string;
  /** The pack is attached to the runtime's environment (else the entry only shows the account's version). */
  attached: boolean;
}

export type SubscriberObservation =
  | { accountId: string; readable: false; reason: string }
  | {
      accountId: string;
      readable: true;
      /** The packs (ids) with an IntegrationPackInstance in the account. */
      installedPackIds: string[];
      /** Entries by pack id; undefined when the platform has no IntegrationPackVersions (Boomi's API alone). */
      packVersions?: Record<string, InstalledPackEntry[]>;
    };

export type InstallState = 'Current' | 'Pending' | 'Behind' | 'NotInstalled' | 'Unreadable';

export interface AccountInstall {
  accountId: string;
  state: InstallState;
  /** The pack versions that run in the account's environments; absent when they cannot be read. */
  versions?: number[];
  pendingVersion?: number;
  /** yyyy-MM-dd: when the pending version reaches the account by itself. */
  pendingUntil?: string;
  message: string;
}

export interface InstallBaseReport {
  key: string;
  pack: string;
  integrationPackId: string;
  /** Accounts that run the release. */
  reached: number;
  /** Accounts that have the pack installed, or could not be read (they may have it). */
  total: number;
  summary: string;
  accounts: AccountInstall[];
}

/** Where the release stands at the publisher: released to all, in its testing period, or not sent. */
type ReleaseStage = { stage: 'released' } | { stage: 'scheduled'; releaseOn: string } | { stage: 'notSent' };

export function installBaseReport(
  release: PackReleaseResult & { integrationPackId: string },
  releaseOn: string | undefined,
  subscribers: readonly SubscriberObservation[],
): InstallBaseReport {
  const stage = releaseStage(release, releaseOn);
  const accounts = subscribers.map((account) => accountInstall(account, release.integrationPackId, stage));
  const reached = accounts.filter((a) => a.state === 'Current').length;
  const total = accounts.filter((a) => a.state !== 'NotInstalled').length;
  return {
    key: release.key,
    pack: release.pack,
    integrationPackId: release.integrationPackId,
    reached,
    total,
    summary: summaryOf(accounts, reached, total),
    accounts,
  };
}

function releaseStage(release: PackReleaseResult, releaseOn: string | undefined): ReleaseStage {
  if (release.outcome === 'InSync') return { stage: 'released' };
  if (release.outcome === 'Scheduled' && releaseOn !== undefined) return { stage: 'scheduled', releaseOn };
  return { stage: 'notSent' };
}

function accountInstall(account: SubscriberObservation, packId: string, stage: ReleaseStage): AccountInstall {
  const accountId = account.accountId;
  if (!account.readable)
    return { accountId, state: 'Unreadable', message: `could not be read: ${account.reason}` };
  if (!account.installedPackIds.includes(packId))
    return { accountId, state: 'NotInstalled', message: 'the pack is not installed' };
  const entries = account.packVersions?.[packId];
  if (entries === undefined || entries.length === 0)
    return unreadVersions(accountId, stage, entries === undefined);
  return readVersions(accountId, entries, stage);
}

/** Installed, but no version to read: decided by R10 (a release reaches every install at once). */
function unreadVersions(accountId: string, stage: ReleaseStage, noExtension: boolean): AccountInstall {
  const why = noExtension
    ? "the version is not readable on Boomi's API alone (no IntegrationPackVersions)"
    : 'the version is not readable: the account has no runtime';
  if (stage.stage === 'released')
    return { accountId, state: 'Current', message: `installed; runs the release; ${why}` };
  if (stage.stage === 'scheduled') {
    return {
      accountId,
      state: 'Pending',
      pendingUntil: stage.releaseOn,
      message: `installed; the release is pending until ${stage.releaseOn}, unless applied early; ${why}`,
    };
  }
  return { accountId, state: 'Behind', message: `installed; the release is not sent yet; ${why}` };
}

function readVersions(
  accountId: string,
  entries: readonly InstalledPackEntry[],
  stage: ReleaseStage,
): AccountInstall {
  const attached = entries.filter((e) => e.attached);
  const running = attached.length > 0 ? attached : entries;
  const versions = [...new Set(running.map((e) => e.version))].sort((a, b) => a - b);
  const runs = `runs version ${versions.join(', ')}`;
  if (stage.stage === 'released')
    return { accountId, state: 'Current', versions, message: `${runs}: the release` };
  const pending = attached.find((e) => e.pendingVersion !== undefined);
  if (stage.stage === 'notSent')
    return { accountId, state: 'Behind', versions, message: `${runs}; the release is not sent yet` };
  if (pending?.pendingVersion === undefined)
    return { accountId, state: 'Current', versions, message: `${runs}: the release, applied early` };
  const until = pending.releaseOnDate ?? stage.releaseOn;
  return {
    accountId,
    state: 'Pending',
    versions,
    pendingVersion: pending.pendingVersion,
    pendingUntil: until,
    message: `${runs}; the release (version ${pending.pendingVersion}) is pending until ${until} (testing period)`,
  };
}

function summaryOf(accounts: readonly AccountInstall[], reached: number, total: number): string {
  const count = (state: InstallState) => accounts.filter((a) => a.state === state).length;
  const parts = [`reached ${reached} of ${total} account${total === 1 ? '' : 's'}`];
  for (const until of new Set(accounts.flatMap((a) => (a.state === 'Pending' ? [a.pendingUntil] : [])))) {
    const pending = accounts.filter((a) => a.state === 'Pending' && a.pendingUntil === until).length;
    parts.push(`${pending} pending until ${until ?? 'its release date'}`);
  }
  const rest: [InstallState, string][] = [
    ['Behind', 'waiting for the release to be sent'],
    ['NotInstalled', 'not installed'],
    ['Unreadable', 'unreadable'],
  ];
  for (const [state, text] of rest) if (count(state) > 0) parts.push(`${count(state)} ${text}`);
  return parts.join('; ');
}
