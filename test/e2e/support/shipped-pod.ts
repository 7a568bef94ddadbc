// Runs `atomsync run` the way a pod of the shipped Deployment would, from what the API server holds after
// `kubectl apply -k`: the container's args, and exactly the container's environment (values as written,
// fieldRefs resolved for the pod) — nothing from the test's own environment. What a container has that a
// child process cannot is emulated and nothing else: the ConfigMap is "mounted" as a file, the image's
// /app is the repository, the state emptyDir is a fresh folder, the service account is a kubeconfig
// (KUBECONFIG) with that account's token — so the API server holds the pod to the shipped Role — and the
// pod's network is a free loopback port (--listen, since two pods share one host).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { KubeReplica } from './kube-replica.js';
import { REPO_ROOT } from './repo.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}

interface VolumeMount {
  name: string;
  mountPath: string;
}

interface DeploymentObject {
  metadata: { name: string; namespace: string };
  spec: {
    template: {
      spec: {
        serviceAccountName?: string;
        containers: { args?: string[]; env?: EnvVar[]; volumeMounts?: VolumeMount[] }[];
        volumes?: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}

export interface ShippedPodOptions {
  podName: string;
  /** The pod's own folder (its "filesystem"). */
  home: string;
  /** Replaces the shared platform's URL in the ConfigMap (the simulator stands in for it). */
  platformUrl?: string;
}

/** The image's folder with the compiled app and the examples. */
const IMAGE_APP_DIR = '/app';
const SHARED_PLATFORM_URL = 'https://api.boomi.com';

export async function startShippedPod(kube: FakeKube, options: ShippedPodOptions): Promise<KubeReplica> {
  const deployment = kube.store.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'atomsync',
    namespace: 'atomsync',
  }) as unknown as DeploymentObject | undefined;
  if (!deployment) throw new Error('the Deployment atomsync/atomsync was not applied');
  const container = deployment.spec.template.spec.containers[0];
  if (!container) throw new Error('the Deployment has no container');
  const paths = await mountVolumes(kube, deployment, options);
  const args = (container.args ?? []).map((arg) => paths.rewrite(arg));
  const namespace = deployment.metadata.namespace;
  const serviceAccount = deployment.spec.template.spec.serviceAccountName ?? 'default';
  return KubeReplica.spawnProcess(options.podName, [...args, '--listen', '127.0.0.1:0'], {
    cwd: options.home,
    env: {
      PATH: process.env.PATH,
      HOME: options.home,
      KUBECONFIG: await kube.serviceAccountKubeconfig(namespace, serviceAccount),
      ...containerEnv(container.env ?? [], options.podName, namespace),
    },
  });
}

/** The container's env: literal values, and the downward-API fields the shipped Deployment uses. */
function containerEnv(env: EnvVar[], podName: string, namespace: string): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': podName, 'metadata.namespace': namespace };
  const resolved: Record<string, string> = {};
  for (const variable of env) {
    const fieldPath = variable.valueFrom?.fieldRef?.fieldPath;
    const value = fieldPath !== undefined ? fields[fieldPath] : variable.value;
    if (value === undefined)
      throw new Error(`env ${variable.name}: cannot resolve ${JSON.stringify(variable)}`);
    resolved[variable.name] = value;
  }
  return resolved;
}

/** Writes each mounted ConfigMap into the pod's folder; returns how container paths map to the pod's. */
async function mountVolumes(kube: FakeKube, deployment: DeploymentObject, options: ShippedPodOptions) {
  const mounts = new Map<string, string>([[IMAGE_APP_DIR, REPO_ROOT]]);
  const podSpec = deployment.spec.template.spec;
  const volumeMounts = podSpec.containers[0]?.volumeMounts ?? [];
  for (const mount of volumeMounts) {
    const local = join(options.home, mount.mountPath);
    await mkdir(local, { recursive: true });
    mounts.set(mount.mountPath, local);
  }
  for (const mount of volumeMounts) {
    const configMapName = podSpec.volumes?.find((volume) => volume.name === mount.name)?.configMap?.name;
    if (configMapName === undefined) continue;
    const configMap = kube.store.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: configMapName,
      namespace: deployment.metadata.namespace,
    }) as { data?: Record<string, string> } | undefined;
    for (const [file, content] of Object.entries(configMap?.data ?? {})) {
      await writeFile(
        join(options.home, mount.mountPath, file),
        rewriteText(content, mounts, options.platformUrl),
      );
    }
  }
  return { rewrite: (text: string) => rewriteText(text, mounts, undefined) };
}

/** Container paths → the pod folder's, in one pass (a pod folder under /tmp is not rewritten again). */
function rewriteText(text: string, mounts: Map<string, string>, platformUrl: string | undefined): string {
  const containerPaths = [...mounts.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<=^|[\\s:'"=])(${containerPaths.join('|')})(?=/|$|[\\s'",}])`, 'gm');
  const rewritten = text.replace(pattern, (path) => mounts.get(path) ?? path);
  return platformUrl ? rewritten.split(SHARED_PLATFORM_URL).join(platformUrl) : rewritten;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
