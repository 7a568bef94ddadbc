// Two IntegrationPackRelease documents for one pack of one account would fight over its next release;
// two with one namespace/name would overwrite each other. Neither loads; each names the other's file.
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { PinProblem } from './pin-problem.js';

export function refuseDuplicateReleases(releases: readonly DesiredPackRelease[]): {
  releases: DesiredPackRelease[];
  problems: PinProblem[];
} {
  const problems: PinProblem[] = [];
  const refused = new Set<number>();
  const byName = groupBy(releases, (r) => r.key);
  const byPack = groupBy(releases, (r) => `${r.spec.account}\u0000${r.spec.pack}`);
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const index of group) {
      refused.add(index);
      problems.push(problemOf(releases, index, group, 'DuplicateName', 'metadata.name'));
    }
  }
  for (const group of byPack.values()) {
    if (group.length < 2) continue;
    for (const index of group) {
      refused.add(index);
      problems.push(problemOf(releases, index, group, 'DuplicateRelease', 'spec.pack'));
    }
  }
  return { releases: releases.filter((_, index) => !refused.has(index)), problems };
}

function groupBy(
  releases: readonly DesiredPackRelease[],
  keyOf: (release: DesiredPackRelease) => string,
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  releases.forEach((release, index) => {
    const key = keyOf(release);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return groups;
}

function problemOf(
  releases: readonly DesiredPackRelease[],
  index: number,
  group: number[],
  code: 'DuplicateName' | 'DuplicateRelease',
  path: string,
): PinProblem {
  const release = releases[index]!;
  const others = group.filter((i) => i !== index).map((i) => placeOf(releases[i]!));
  const message =
    code === 'DuplicateName'
      ? `IntegrationPackRelease ${release.key} is also defined at ${others.join(', ')}: give each document its own name`
      : `pack '${release.spec.pack}' of account '${release.spec.account}' is also released by ${others.join(', ')}: keep one IntegrationPackRelease per pack`;
  const at = code === 'DuplicateName' ? release.origin.line : release.origin.at?.runtime?.line;
  return {
    file: release.origin.file ?? release.key,
    line: at ?? release.origin.line ?? 1,
    col: code === 'DuplicateName' ? 1 : (release.origin.at?.runtime?.col ?? 1),
    path,
    code,
    message,
  };
}

function placeOf(release: DesiredPackRelease): string {
  return `${release.origin.file ?? release.key}:${release.origin.line ?? 1}`;
}
