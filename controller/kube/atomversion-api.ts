// Where AtomVersions live in the Kubernetes API, and the client-node calls that read and patch them.
// Group, version and plural come from the CRD (crds/atomversion.yaml), never restated.

import type { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  ATOMVERSION_API_VERSION,
  ATOMVERSION_GROUP,
  ATOMVERSION_KIND,
  atomVersionCrd,
} from '../schema/atomversion-schema.js';
import { customObjectLister, patchCustomObjectStatus } from './custom-objects.js';
import type { KubeObject } from './kube-object.js';
import type { ListPage } from './list-watch.js';

const crdNames = atomVersionCrd.spec.names as { kind: string; plural?: string };

const ATOMVERSION_PLURAL = crdNames.plural ?? `${ATOMVERSION_KIND.toLowerCase()}s`;
const ATOMVERSION_VERSION = ATOMVERSION_API_VERSION.slice(ATOMVERSION_GROUP.length + 1);
const COORDINATES = { group: ATOMVERSION_GROUP, version: ATOMVERSION_VERSION, plural: ATOMVERSION_PLURAL };
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
  return customObjectLister(kubeConfig, COORDINATES, namespace);
}

/** JSON merge-patch of an AtomVersion's status subresource; returns the stored object. */
export function patchAtomVersionStatus(
  api: CustomObjectsApi,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<KubeObject> {
  return patchCustomObjectStatus(api, COORDINATES, { namespace, name }, status);
}
