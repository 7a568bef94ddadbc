// Where AtomVersions live in the Kubernetes API, and the client-node calls that read and patch them.
// Group, version and plural come from the CRD (crds/atomversion.yaml), never restated.

import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import {
  ATOMVERSION_API_VERSION,
  ATOMVERSION_GROUP,
  ATOMVERSION_KIND,
  atomVersionCrd,
} from '../schema/atomversion-schema.js';
import { FIELD_MANAGER, type KubeList, type KubeObject } from './kube-object.js';
import type { ListPage } from './list-watch.js';

const crdNames = atomVersionCrd.spec.names as { kind: string; plural?: string };

const ATOMVERSION_PLURAL = crdNames.plural ?? `${ATOMVERSION_KIND.toLowerCase()}s`;
const ATOMVERSION_VERSION = ATOMVERSION_API_VERSION.slice(ATOMVERSION_GROUP.length + 1);
/** `atomversions.atomsync.io`, as kubectl and RBAC name the resource. */
export const ATOMVERSION_RESOURCE = `${ATOMVERSION_PLURAL}.${ATOMVERSION_GROUP}`;

export { ATOMVERSION_API_VERSION, ATOMVERSION_KIND };

/** The AtomVersion collection in one namespace, or in all of them (namespace undefined). */
export function atomVersionCollectionPath(namespace?: string): string {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `/apis/${ATOMVERSION_GROUP}/${ATOMVERSION_VERSION}${scope}/${ATOMVERSION_PLURAL}`;
}

/** Pages through AtomVersions of one namespace (or all). */
export function atomVersionLister(kubeConfig: KubeConfig, namespace?: string): ListPage<KubeObject> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const coordinates = { group: ATOMVERSION_GROUP, version: ATOMVERSION_VERSION, plural: ATOMVERSION_PLURAL };
  return async ({ limit, continueToken }) => {
    const page = { limit, ...(continueToken ? { _continue: continueToken } : {}) };
    const list =
      namespace === undefined
        ? await api.listClusterCustomObject({ ...coordinates, ...page })
        : await api.listNamespacedCustomObject({ ...coordinates, namespace, ...page });
    return list as KubeList<KubeObject>;
  };
}

/** JSON merge-patch of an AtomVersion's status subresource; returns the stored object. */
export async function patchAtomVersionStatus(
  api: CustomObjectsApi,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<KubeObject> {
  const patched = await api.patchNamespacedCustomObjectStatus(
    {
      group: ATOMVERSION_GROUP,
      version: ATOMVERSION_VERSION,
      plural: ATOMVERSION_PLURAL,
      namespace,
      name,
      body: { status },
      fieldManager: FIELD_MANAGER,
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return patched as KubeObject;
}
