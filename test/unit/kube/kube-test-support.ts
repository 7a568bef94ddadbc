// Shared by the Kubernetes tests: a fake API server with the AtomVersion CRD, a client-node KubeConfig
// for it, AtomVersion objects for the demo world and a poll-until helper.
import { KubeConfig } from '@kubernetes/client-node';
import { atomVersionCrdPath } from '../../../controller/schema/atomversion-schema.js';
import type { FakeKube, FakeKubeOptions, KubeObject } from '../../fakes/kube-api-server.js';
import { startFakeKube } from '../../fakes/kube-api-server.js';

export const NAMESPACE = 'integration';
export const AV_API_VERSION = 'atomsync.io/v1alpha1';

export async function startKube(options: FakeKubeOptions = {}): Promise<{ kube: FakeKube; kc: KubeConfig }> {
  const kube = await startFakeKube({
    crdFiles: [atomVersionCrdPath],
    namespaces: [NAMESPACE, 'team-b', 'atomsync'],
    bookmarkIntervalMs: 50,
    ...options,
  });
  const kc = new KubeConfig();
  kc.loadFromFile(kube.kubeconfigPath);
  return { kube, kc };
}

export function atomVersion(
  name: string,
  spec: Record<string, unknown> = {},
  namespace = NAMESPACE,
): KubeObject {
  return {
    apiVersion: AV_API_VERSION,
    kind: 'AtomVersion',
    metadata: { name, namespace },
    spec: { account: 'acme-prod', runtime: { name: `Runtime ${name}` }, version: '26.11.0', ...spec },
  };
}

export function avRef(name: string, namespace = NAMESPACE) {
  return { apiVersion: AV_API_VERSION, kind: 'AtomVersion', name, namespace };
}

/** Polls until the condition holds; the test's own timeout bounds the wait. */
export async function waitUntil(condition: () => boolean, pollMs = 5): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, pollMs));
}

/** Requests that opened a watch on a path ending with `suffix`. */
export function watchRequests(kube: FakeKube, suffix: string) {
  return kube.requests.filter((r) => r.query.watch === 'true' && r.path.endsWith(suffix));
}

/** Plain GETs (lists) of a path ending with `suffix`. */
export function listRequests(kube: FakeKube, suffix: string) {
  return kube.requests.filter((r) => r.method === 'GET' && !r.query.watch && r.path.endsWith(suffix));
}
