// `atomsync run`'s IntegrationPackRelease side (docs/publisher.md, "Under run and on Kubernetes"): the
// release reconciler fed by the same sources as the AtomVersion loop, with the request ids `plan` and
// `apply` follow (release-ledger.ts).
import type { AtomsyncConfig, KubernetesSourceConfig } from '../config/types.js';
import type { KubeIntegration } from '../kube/kube-integration.js';
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
  /** With a `kind: kubernetes` source: IntegrationPackRelease objects are watched in its namespaces too. */
  kube?: KubeIntegration;
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
  const kube = options.kube ? await kubeParts(options.kube, options) : undefined;
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
    ...(kube ? { onStatus: kube.onStatus, onEvent: kube.onEvent } : {}),
  });
  await reconciler.open();
  await kube?.source.start((releases, refused) =>
    reconciler.update(kube.source.name, releases, (key) => kube.source.recorded(key), refused),
  );
  let stopped = false;
  return {
    reconciler,
    tap: (sources) => sources.map((source) => tapReleases(source, reconciler)),
    start: async () => {
      if (!stopped) await reconciler.start();
    },
    stop: async () => {
      stopped = true;
      await kube?.source.stop();
      await reconciler.stop();
    },
  };
}

/** Loaded on demand, as in run.ts: client-node is slow to import and only Kubernetes needs it. */
async function kubeParts(kube: KubeIntegration, options: RunReleasesOptions) {
  const { kubeReleaseParts } = await import('../kube/release-hooks.js');
  const source = options.config.sources.find((s): s is KubernetesSourceConfig => s.kind === 'kubernetes');
  return kubeReleaseParts(kube, {
    ...(source?.namespaces ? { namespaces: source.namespaces } : {}),
    onError: (message) => options.logger.warn(message),
  });
}
