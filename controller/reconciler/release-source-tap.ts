// The pins sources (directory, git) deliver IntegrationPackRelease documents in the same snapshots as the
// AtomVersions; this hands each snapshot's releases to the release reconciler and passes the snapshot on
// to the AtomVersion loop unchanged.
import type { Source, SourceSnapshot } from '../sources/source.js';
import type { ReleaseReconciler } from './release-reconciler.js';

export function tapReleases(source: Source, releases: Pick<ReleaseReconciler, 'update'>): Source {
  return {
    name: source.name,
    start: (onChange: (snapshot: SourceSnapshot) => void) =>
      source.start((snapshot) => {
        releases.update(source.name, snapshot.releases ?? []);
        onChange(snapshot);
      }),
    stop: () => source.stop(),
    ...(source.triggerNow ? { triggerNow: () => source.triggerNow?.() } : {}),
  };
}
