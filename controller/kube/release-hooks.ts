// The glue between Kubernetes and the release reconciler (controller/reconciler/release-reconciler.ts):
// IntegrationPackRelease objects in, their status subresource and Events out — written only while this
// replica leads, like the AtomVersions' (controller-hooks.ts).
import type { ReleaseEvent, ReleaseReconcilerOptions } from '../reconciler/release-reconciler.js';
import type { PackReleaseStatus } from '../reconciler/release-status.js';
import { splitKey } from './kube-object.js';
import type { KubeIntegration } from './kube-integration.js';
import { PACK_RELEASE_API_VERSION, PACK_RELEASE_KIND } from './packrelease-api.js';
import { KubeReleaseSource } from './packrelease-source.js';
import { KubeReleaseStatusWriter } from './packrelease-status.js';

export interface KubeReleaseParts {
  source: KubeReleaseSource;
  onStatus: NonNullable<ReleaseReconcilerOptions['onStatus']>;
  onEvent: NonNullable<ReleaseReconcilerOptions['onEvent']>;
}

export function kubeReleaseParts(
  kube: Pick<KubeIntegration, 'kubeConfig' | 'events' | 'elector'>,
  options: { namespaces?: readonly string[]; onError: (message: string) => void },
): KubeReleaseParts {
  const source = new KubeReleaseSource({
    kubeConfig: kube.kubeConfig,
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
    onError: options.onError,
  });
  const writer = new KubeReleaseStatusWriter(kube.kubeConfig, (key) => source.getObject(key));
  const leads = () => kube.elector.isLeader();
  return {
    source,
    onStatus: async (_key: string, status: PackReleaseStatus | undefined) => {
      if (!status || !leads()) return;
      await writer.write(status).catch((error: unknown) => options.onError(String((error as Error).message)));
    },
    onEvent: async (event: ReleaseEvent) => {
      const object = source.getObject(event.key);
      if (!object || !leads()) return;
      const uid = object.metadata?.uid;
      await kube.events.record({
        regarding: {
          ...splitKey(event.key),
          ...(uid ? { uid } : {}),
          kind: PACK_RELEASE_KIND,
          apiVersion: PACK_RELEASE_API_VERSION,
        },
        type: event.type,
        reason: event.reason,
        action: event.action,
        note: event.message,
      });
    },
  };
}
