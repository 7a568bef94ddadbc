// The client-node calls atomsync makes on its custom resources (AtomVersion, IntegrationPackRelease):
// paging through a collection and merge-patching the status subresource as field manager `atomsync`.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { FIELD_MANAGER, type KubeList, type KubeObject } from './kube-object.js';
import type { ListPage } from './list-watch.js';

export interface CustomResourceCoordinates {
  group: string;
  version: string;
  plural: string;
}

/** The collection's path in one namespace, or in all of them (namespace undefined). */
export function customCollectionPath(coordinates: CustomResourceCoordinates, namespace?: string): string {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `/apis/${coordinates.group}/${coordinates.version}${scope}/${coordinates.plural}`;
}

/** Pages through the resources of one namespace (or all: namespace undefined). */
export function customObjectLister(
  kubeConfig: KubeConfig,
  coordinates: CustomResourceCoordinates,
  namespace?: string,
): ListPage<KubeObject> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  return async ({ limit, continueToken }) => {
    const page = { limit, ...(continueToken ? { _continue: continueToken } : {}) };
    const list =
      namespace === undefined
        ? await api.listClusterCustomObject({ ...coordinates, ...page })
        : await api.listNamespacedCustomObject({ ...coordinates, namespace, ...page });
    return list as KubeList<KubeObject>;
  };
}

/** JSON merge-patch of a resource's status subresource; returns the stored object. */
export async function patchCustomObjectStatus(
  api: CustomObjectsApi,
  coordinates: CustomResourceCoordinates,
  target: { namespace: string; name: string },
  status: Record<string, unknown>,
): Promise<KubeObject> {
  const patched = await api.patchNamespacedCustomObjectStatus(
    { ...coordinates, ...target, body: { status }, fieldManager: FIELD_MANAGER },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return patched as KubeObject;
}
