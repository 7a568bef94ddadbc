// `atomsync run`'s IntegrationPackRelease side (docs/publisher.md, "Under run and on Kubernetes"): the
// release reconciler fed by the same sources as the AtomVersion loop, with the request ids `plan` and
// `apply` follow (release-ledger.ts).
import type { AtomsyncConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { AccountTarget } from '../platform/observe.js';
import { ReleaseReconciler } from '../reconciler/release-reconciler.js';
import { tapReleases } from '../reconciler/release-source-tap.js';
import type { Source } from '../sources/source.js';
import { readFollowedReleases, recordReleases } from './release-ledger.js';

export interface RunReleasesOptions {
  config: AtomsyncConfig;
  targets: AccountTarget[];
  resyncMs: number;
  pollMs: number;
  logger: Logger;
  isSuspended: (key: string) => boolean;
}

export interface RunReleases {
  reconciler: ReleaseReconciler;
  /** The sources, each also handing its release documents to the reconciler. */
  tap(sources: Source[]): Source[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function openRunReleases(options: RunReleasesOptions): Promise<RunReleases> {
  const { stateDir } = options.config;
  const reconciler = new ReleaseReconciler({
    config: options.config,
    targets: options.targets,
    stateDir,
    ledger: {
      read: () => readFollowedReleases(stateDir),
      record: (sent) => recordReleases(stateDir, sent),
    },
    resyncMs: options.resyncMs,
    pollMs: options.pollMs,
    logger: options.logger,
    isSuspended: options.isSuspended,
  });
  await reconciler.open();
  let stopped = false;
  return {
    reconciler,
    tap: (sources) => sources.map((source) => tapReleases(source, reconciler)),
    start: async () => {
      if (!stopped) await reconciler.start();
    },
    stop: async () => {
      stopped = true;
      await reconciler.stop();
    },
  };
}
