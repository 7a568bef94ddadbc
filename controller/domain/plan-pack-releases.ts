// Plans the publisher's releases (docs/publisher.md): for each IntegrationPackRelease, what the publisher
// account shows of the pack (PublisherIntegrationPack: each packaged component's current and pending
// version) decides between nothing to do, a new release (ReleaseIntegrationPack CREATE), a change of the
// scheduled one (ReleaseIntegrationPack UPDATE), or a refusal with the reason. Pure: no I/O.
import type { AccountBook } from './accounts.js';
import type { InstallBaseReport } from './pack-install-base.js';
import type { DesiredPackRelease, PackagedComponentPin } from './pack-release-types.js';

export interface ObservedPackagedComponent {
  componentId: string;
  currentVersion?: string;
  pendingVersion?: string;
}

export interface ObservedPublisherPack {
  id: string;
  name: string;
  components: ObservedPackagedComponent[];
}

/** A release atomsync made before, as ReleaseIntegrationPackStatus shows it now. */
export interface ObservedReleaseStatus {
  requestId: string;
  integrationPackId: string;
  releaseStatus: string;
  releaseOnDate?: string;
}

export type PublisherObservation =
  | { accountId: string; readable: false; reason: string }
  | {
      accountId: string;
      readable: true;
      canRelease: boolean;
      packs: ObservedPublisherPack[];
      /** The releases atomsync follows in this account (by request id, from its state). */
      releases: ObservedReleaseStatus[];
    };

export interface PackReleaseChange {
  key: string;
  accountId: string;
  integrationPackId: string;
  packName: string;
  /** CREATE a release, or UPDATE the pack's scheduled one. */
  operation: 'CREATE' | 'UPDATE';
  releaseSchedule: 'IMMEDIATELY' | 'RELEASE_ON_SPECIFIED_DATE';
  releaseOnDate?: string;
  components: (PackagedComponentPin & { currentVersion?: string; pendingVersion?: string })[];
}

export type PackReleaseOutcome = 'InSync' | 'Scheduled' | 'Release' | 'Blocked';

export interface PackReleaseResult {
  key: string;
  accountId: string;
  pack: string;
  /** The pack's id, once the publisher account showed the pack. */
  integrationPackId?: string;
  outcome: PackReleaseOutcome;
  /** Why it is blocked (NotPublisher, AccountUnavailable, InsufficientPrivilege, PastReleaseDate). */
  reason?: string;
  message: string;
}

export interface PackReleasePlan {
  results: PackReleaseResult[];
  changes: PackReleaseChange[];
  /** Per release whose pack the publisher showed: where it runs (pack-install-base.ts); plan and apply read it. */
  installBase?: InstallBaseReport[];
}

/** `today` is the platform's date (yyyy-MM-dd, UTC): a releaseOn on or before it cannot be scheduled. */
export function planPackReleases(
  desired: readonly DesiredPackRelease[],
  observations: ReadonlyMap<string, PublisherObservation>,
  book: AccountBook,
  today: string,
): PackReleasePlan {
  const results: PackReleaseResult[] = [];
  const changes: PackReleaseChange[] = [];
  for (const release of desired) {
    const accountId = book.idOf(release.spec.account);
    const planned = planOne(release, accountId, observations.get(accountId), today);
    results.push(planned.result);
    if (planned.change) changes.push(planned.change);
  }
  return { results, changes };
}

interface Planned {
  result: PackReleaseResult;
  change?: PackReleaseChange;
}

function planOne(
  release: DesiredPackRelease,
  accountId: string,
  observed: PublisherObservation | undefined,
  today: string,
): Planned {
  const base = { key: release.key, accountId, pack: release.spec.pack };
  const blocked = (
    reason: string,
    message: string,
    about: Omit<PackReleaseResult, 'outcome' | 'message'> = base,
  ): Planned => ({
    result: { ...about, outcome: 'Blocked', reason, message },
  });
  if (!observed || !observed.readable) {
    return blocked(
      'AccountUnavailable',
      `account ${accountId} could not be read: ${observed?.reason ?? 'not read'}`,
    );
  }
  const pack = observed.packs.find((p) => p.id === release.spec.pack || p.name === release.spec.pack);
  if (!pack) return blocked('NotPublisher', notPublisherMessage(release, accountId, observed.packs));
  const found = { ...base, pack: pack.name, integrationPackId: pack.id };
  const components = release.spec.components.map((pin) => ({ ...pin, ...versionsOf(pack, pin.componentId) }));
  if (components.every((c) => c.currentVersion === c.version)) {
    return {
      result: {
        ...found,
        outcome: 'InSync',
        message: `released: ${componentList(components)}`,
      },
    };
  }
  const scheduled = components.every((c) => c.pendingVersion === c.version);
  const anyPending = pack.components.some((c) => c.pendingVersion !== undefined);
  const followed = observed.releases.find(
    (r) => r.integrationPackId === pack.id && r.releaseStatus === 'SCHEDULED',
  );
  const releaseOn = release.spec.releaseOn;
  if (
    releaseOn !== undefined &&
    scheduled &&
    (followed === undefined || followed.releaseOnDate === releaseOn)
  ) {
    const date = followed
      ? `on ${releaseOn}`
      : `(its date is not known to this atomsync: ${releaseOn} is assumed)`;
    return {
      result: {
        ...found,
        outcome: 'Scheduled',
        message: `scheduled to release ${date}: ${componentList(components)}`,
      },
    };
  }
  if (releaseOn !== undefined && releaseOn <= today) {
    return blocked(
      'PastReleaseDate',
      `releaseOn ${releaseOn} is not after the platform's today (${today}): choose a later date, or release: immediately`,
      found,
    );
  }
  if (!observed.canRelease) {
    return blocked(
      'InsufficientPrivilege',
      `releasing "${pack.name}" needs ATOM_MANAGEMENT in ${accountId}; the credential may only read`,
      found,
    );
  }
  const operation = releaseOn !== undefined && anyPending ? 'UPDATE' : 'CREATE';
  const change: PackReleaseChange = {
    key: release.key,
    accountId,
    integrationPackId: pack.id,
    packName: pack.name,
    operation,
    releaseSchedule: releaseOn === undefined ? 'IMMEDIATELY' : 'RELEASE_ON_SPECIFIED_DATE',
    ...(releaseOn !== undefined && { releaseOnDate: releaseOn }),
    components,
  };
  const when = releaseOn === undefined ? 'now, to every account of the install base' : `on ${releaseOn}`;
  const verb = operation === 'UPDATE' ? 'change the scheduled release to release' : 'release';
  return {
    result: {
      ...found,
      outcome: 'Release',
      message: `${verb} ${componentList(components)} ${when}`,
    },
    change,
  };
}

function versionsOf(pack: ObservedPublisherPack, componentId: string): Partial<ObservedPackagedComponent> {
  const component = pack.components.find((c) => c.componentId === componentId);
  return {
    ...(component?.currentVersion !== undefined && { currentVersion: component.currentVersion }),
    ...(component?.pendingVersion !== undefined && { pendingVersion: component.pendingVersion }),
  };
}

function componentList(components: readonly (PackagedComponentPin & { currentVersion?: string })[]): string {
  return components
    .map(
      (c) =>
        `${c.componentId} ${c.currentVersion === undefined || c.currentVersion === c.version ? '' : `${c.currentVersion} → `}${c.version}`,
    )
    .join(', ');
}

function notPublisherMessage(
  release: DesiredPackRelease,
  accountId: string,
  packs: readonly ObservedPublisherPack[],
): string {
  const published =
    packs.length === 0 ? 'it publishes no pack' : `it publishes: ${packs.map((p) => p.name).join(', ')}`;
  return (
    `account ${accountId} does not publish a pack named or with id '${release.spec.pack}' (${published}); ` +
    'only the publisher can release a pack: set spec.account to the publisher account'
  );
}
