// An IntegrationPackRelease names its publisher account by alias or id; one the config does not have is a
// load error at spec.account (as for AtomVersions), before anything reads the platform.
import type { AccountBook } from '../domain/accounts.js';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { PinProblem } from './pin-problem.js';

export function unknownReleaseAccounts(
  releases: readonly DesiredPackRelease[],
  book: AccountBook,
): PinProblem[] {
  return releases
    .filter((release) => !book.knows(release.spec.account))
    .map((release) => ({
      file: release.origin.file ?? release.key,
      line: release.origin.at?.account?.line ?? release.origin.line ?? 1,
      col: release.origin.at?.account?.col ?? 1,
      path: 'spec.account',
      code: 'UnknownAccount' as const,
      message: `account '${release.spec.account}' is not in the config: name the publisher account by an alias or id under accounts:`,
    }));
}
