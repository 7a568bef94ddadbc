// Writes a kubeconfig that points kubectl and @kubernetes/client-node at a server URL.
// client-node refuses plain http:// unless the cluster says insecure-skip-tls-verify.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  token?: string;
  namespace?: string;
  contextName?: string;
}

export interface WrittenKubeconfig {
  path: string;
  dir: string;
  remove(): Promise<void>;
}

export const DEFAULT_FAKE_TOKEN = 'fake-kube-token';

export function kubeconfigYaml(serverUrl: string, options: KubeconfigOptions = {}): string {
  const context = options.contextName ?? 'fake-kube';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name: context, user: { token: options.token ?? DEFAULT_FAKE_TOKEN } }],
    contexts: [
      {
        name: context,
        context: { cluster: context, user: context, namespace: options.namespace ?? 'default' },
      },
    ],
    'current-context': context,
    preferences: {},
  });
}

/** Writes `kubeconfig` into a new temp dir; remove() deletes the dir. */
export async function writeKubeconfig(
  serverUrl: string,
  options: KubeconfigOptions = {},
): Promise<WrittenKubeconfig> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-kube-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kubeconfigYaml(serverUrl, options), { mode: 0o600 });
  return { path, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
