// IntegrationPackRelease custom resources, watched in the namespaces of the `kind: kubernetes` source
// (the same tenancy rules as AtomVersions apply in the release reconciler). Each change of the desired
// state (a new, changed or deleted object; a status-only update emits nothing) hands every release to
// the listener; what an object's status records of earlier sends is read live, so a replica that takes
// over the Lease knows what the previous leader sent (controller/reconciler/release-reconciler.ts).
import type { KubeConfig } from '@kubernetes/client-node';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { RecordedRelease, RefusedRelease } from '../reconciler/release-reconciler.js';
import { validatePackRelease } from '../schema/packrelease-schema.js';
import { scheduleProblems } from '../sources/release-document.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import { objectKey, type KubeObject } from './kube-object.js';
import { ListWatch, type ListWatchError } from './list-watch.js';
import { customCollectionPath, customObjectLister } from './custom-objects.js';
import { PACK_RELEASE_API_VERSION, PACK_RELEASE_KIND, PACK_RELEASES } from './packrelease-api.js';
import { recordedOf } from './packrelease-status.js';

export type ReleasesListener = (releases: DesiredPackRelease[], refused: RefusedRelease[]) => void;

export interface KubeReleaseSourceOptions {
  kubeConfig: KubeConfig;
  /** Namespaces to watch; empty, undefined or ['*']: every namespace. */
  namespaces?: readonly string[];
  onError?: (message: string) => void;
  timers?: Timers;
}

const COALESCE_MS = 100;

export class KubeReleaseSource {
  readonly name: string;
  private readonly timers: Timers;
  private readonly watches: ListWatch<KubeObject>[];
  private listener?: ReleasesListener;
  private pending?: TimerHandle;
  private stopped = false;

  constructor(private readonly options: KubeReleaseSourceOptions) {
    this.timers = options.timers ?? realTimers;
    const namespaces = watched(options.namespaces);
    this.name = `kubernetes-releases:${namespaces.map((n) => n ?? '*').join(',')}`;
    this.watches = namespaces.map((namespace) => this.listWatch(namespace));
  }

  async start(listener: ReleasesListener): Promise<void> {
    this.listener = listener;
    await Promise.all(this.watches.map((watch) => watch.start()));
    this.emit();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    await Promise.all(this.watches.map((watch) => watch.stop()));
  }

  getObject(key: string): KubeObject | undefined {
    for (const watch of this.watches) {
      const found = watch.get(key);
      if (found) return found;
    }
    return undefined;
  }

  /** What the object's status says atomsync sent (read live: another replica may have written it). */
  recorded(key: string): RecordedRelease | undefined {
    const object = this.getObject(key);
    return object && recordedOf(object);
  }

  private listWatch(namespace: string | undefined): ListWatch<KubeObject> {
    const where = namespace === undefined ? 'any namespace' : `namespace ${namespace}`;
    return new ListWatch<KubeObject>({
      kubeConfig: this.options.kubeConfig,
      path: customCollectionPath(PACK_RELEASES, namespace),
      list: customObjectLister(this.options.kubeConfig, PACK_RELEASES, namespace),
      ...(this.options.timers ? { timers: this.options.timers } : {}),
      onEvent: (event) => {
        if (event.type !== 'modified' || stamp(event.previous) !== stamp(event.object)) this.schedule();
      },
      onSync: () => this.schedule(),
      onError: (error: ListWatchError) =>
        this.options.onError?.(
          `kubernetes source: IntegrationPackReleases in ${where}: ${error.message}${hint(error)} (retrying in ${error.retryInMs} ms)`,
        ),
    });
  }

  private schedule(): void {
    if (this.stopped || this.pending !== undefined || !this.listener) return;
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      this.emit();
    }, COALESCE_MS);
  }

  private emit(): void {
    if (this.stopped) return;
    const objects = this.watches.flatMap((watch) => watch.objects());
    const releases: DesiredPackRelease[] = [];
    const refused: RefusedRelease[] = [];
    for (const object of objects) {
      const release = releaseOf(object);
      if ('message' in release) refused.push(release);
      else releases.push(release);
    }
    releases.sort((a, b) => (a.key < b.key ? -1 : 1));
    this.listener?.(releases, refused);
  }
}

/** The desired release, or why the object is not one. */
function releaseOf(object: KubeObject): DesiredPackRelease | RefusedRelease {
  const key = objectKey(object);
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace ?? 'default';
  const generation = String(object.metadata?.generation ?? object.metadata?.resourceVersion ?? '');
  const validation = validatePackRelease({
    apiVersion: PACK_RELEASE_API_VERSION,
    kind: PACK_RELEASE_KIND,
    metadata: { name, namespace },
    spec: object['spec'],
  });
  const issues = validation.ok
    ? scheduleProblems(validation.value.spec, () => ({ line: 1, col: 1 }))
    : validation.errors;
  if (!validation.ok || issues.length > 0) {
    const spec = object['spec'] as { pack?: unknown } | undefined;
    const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return { key, generation, pack: typeof spec?.pack === 'string' ? spec.pack : '', message };
  }
  const spec = validation.value.spec;
  return { key, name, namespace, generation, spec, origin: { source: 'kubernetes' } };
}

function hint(error: ListWatchError): string {
  if (error.statusCode === 404)
    return ' — is the CRD installed? (kubectl apply -f crds/integrationpackrelease.yaml)';
  if (error.statusCode === 401 || error.statusCode === 403)
    return ' — the service account needs get/list/watch on integrationpackreleases.atomsync.io (examples/kubernetes/install/rbac.yaml)';
  return '';
}

function stamp(object: KubeObject | undefined): string {
  const meta = object?.metadata;
  return `${meta?.uid ?? ''}\u0000${meta?.generation ?? ''}\u0000${meta?.deletionTimestamp ?? ''}`;
}

function watched(namespaces: readonly string[] | undefined): (string | undefined)[] {
  if (!namespaces || namespaces.length === 0 || namespaces.includes('*')) return [undefined];
  return [...new Set(namespaces)].sort();
}
