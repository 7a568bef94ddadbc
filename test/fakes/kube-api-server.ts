// A fake Kubernetes API server on 127.0.0.1 that the real kubectl and @kubernetes/client-node both
// work against: discovery, CRDs with schema validation, CRUD/patch/watch, status subresource,
// Tables for `kubectl get`, core/v1 and events.k8s.io/v1 Events in one storage (validated, expiring),
// RBAC per ServiceAccount token, bookmarks, expiring continue tokens, plus controls for tests
// (compaction, dropped watches, request log). docs/kubernetes.md lists the subset it implements.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeKubeStore } from './kube/fake-kube-store.js';
import { ObjectStore } from './kube/object-store.js';
import { ResourceApi } from './kube/resource-api.js';
import { ResourceHandler } from './kube/resource-handler.js';
import { ResourceRegistry } from './kube/resource-registry.js';
import type { RecordedRequest } from './kube/request-router.js';
import { createRouter } from './kube/request-router.js';
import { WatchHub } from './kube/watch-stream.js';
import { Authenticator, Authorizer } from './kube/rbac.js';
import { DEFAULT_FAKE_TOKEN, writeKubeconfig } from './kubeconfig.js';

export type { RecordedRequest } from './kube/request-router.js';
export type { KubeObject } from './kube/kube-types.js';
export type { ObjectRef } from './kube/fake-kube-store.js';
export { FakeKubeStore } from './kube/fake-kube-store.js';
export { KubeStatusError } from './kube/status-errors.js';

export interface FakeKubeOptions {
  /** CRD YAML files registered before the server answers (e.g. crds/atomversion.yaml). */
  crdFiles?: string[];
  /** Keep only the newest N changes for watches; older resourceVersions then get 410 Gone. */
  compactAfter?: number;
  /**
   * How often watches with allowWatchBookmarks=true get a BOOKMARK (default 60 s, kube-apiserver's
   * bookmark frequency; tests make it short). One more comes as a watch reaches its timeoutSeconds.
   */
  bookmarkIntervalMs?: number;
  /** Namespaces to create besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: string[];
  /** The admin's bearer token (the kubeconfig carries it); the admin is not judged by RBAC. */
  token?: string;
  /** Clock for creationTimestamp and ages (default: real time). */
  clock?: () => Date;
  /** Events expire this long after their last write (default 1 h, as the API server's --event-ttl). */
  eventTtlMs?: number;
}

export interface FakeKube {
  url: string;
  kubeconfigPath: string;
  store: FakeKubeStore;
  requests: RecordedRequest[];
  /**
   * A token for a ServiceAccount, and a kubeconfig carrying it (for client-node; kubectl sends no token over
   * http://, so it acts as the account with `--as=system:serviceaccount:<namespace>:<name>`). Its requests
   * are judged by the Roles and RoleBindings stored in the fake, and refused with 403 Forbidden.
   */
  serviceAccountKubeconfig(namespace: string, name: string): Promise<string>;
  /** Makes every resourceVersion handed out so far too old: watches resuming from one get 410. */
  compact(): void;
  /** Ends every open watch stream abruptly (connection reset). */
  dropWatches(): void;
  close(): Promise<void>;
}

const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const clock = options.clock ?? (() => new Date());
  const token = options.token ?? DEFAULT_FAKE_TOKEN;
  const objects = new ObjectStore(options.compactAfter);
  const registry = new ResourceRegistry(
    options.eventTtlMs !== undefined ? { eventTtlMs: options.eventTtlMs } : {},
  );
  const api = new ResourceApi(objects, registry, clock);
  const watches = new WatchHub(objects, options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS, clock);
  const store = new FakeKubeStore(api, registry, objects);
  await seed(store, options);
  const requests: RecordedRequest[] = [];
  const authenticator = new Authenticator(token);
  const authorizer = new Authorizer((kind, namespace) =>
    store.list('rbac.authorization.k8s.io/v1', kind, namespace),
  );
  const extraKubeconfigs: { remove(): Promise<void> }[] = [];
  let address = '';
  const server = createServer(
    createRouter({
      registry,
      resources: new ResourceHandler(registry, api, watches, clock),
      authenticator,
      authorizer,
      serverAddress: () => address,
      requests,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const kubeconfig = await writeKubeconfig(url, { token });
  return {
    url,
    kubeconfigPath: kubeconfig.path,
    store,
    requests,
    serviceAccountKubeconfig: async (namespace, name) => {
      const issued = authenticator.issueServiceAccountToken(namespace, name);
      const written = await writeKubeconfig(url, { token: issued, namespace });
      extraKubeconfigs.push(written);
      return written.path;
    },
    compact: () => objects.compact(),
    dropWatches: () => watches.dropAll(),
    close: async () => {
      watches.endAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kubeconfig.remove();
      await Promise.all(extraKubeconfigs.map((written) => written.remove()));
    },
  };
}

async function seed(store: FakeKubeStore, options: FakeKubeOptions): Promise<void> {
  for (const name of [...SYSTEM_NAMESPACES, ...(options.namespaces ?? [])]) {
    if (!store.get({ apiVersion: 'v1', kind: 'Namespace', name })) {
      store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }
  for (const file of options.crdFiles ?? []) await store.loadCrdFile(file);
}
