import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FakeKube, KubeObject } from '../../fakes/kube-api-server.js';
import { startFakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';

const CRD_FILE = fileURLToPath(new URL('../../../crds/atomversion.yaml', import.meta.url));
const GROUP = 'atomsync.io';
const VERSION = 'v1alpha1';
const PLURAL = 'atomversions';
const NAMESPACE = 'integration';
const COLLECTION_PATH = `/apis/${GROUP}/${VERSION}/namespaces/${NAMESPACE}/${PLURAL}`;

function atomVersion(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'AtomVersion',
    metadata: { name, namespace: NAMESPACE },
    spec: { account: 'acme-prod', runtime: { name: 'Prod East Molecule' }, version: '26.11.0', ...spec },
  };
}

const ref = (name: string) => ({
  apiVersion: `${GROUP}/${VERSION}`,
  kind: 'AtomVersion',
  name,
  namespace: NAMESPACE,
});

/** Collects watch events and lets a test wait for the one it expects. */
class WatchRecorder {
  readonly events: { type: string; object: KubeObject }[] = [];
  private waiters: (() => void)[] = [];
  ended: unknown = undefined;
  private endWaiters: (() => void)[] = [];

  onEvent = (type: string, object: KubeObject): void => {
    this.events.push({ type, object });
    for (const wake of this.waiters) wake();
  };

  onDone = (err: unknown): void => {
    this.ended = err ?? 'closed';
    for (const wake of this.endWaiters) wake();
  };

  async waitFor(predicate: (e: { type: string; object: KubeObject }) => boolean): Promise<KubeObject> {
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found.object;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async waitForEnd(): Promise<unknown> {
    while (this.ended === undefined) await new Promise<void>((resolve) => this.endWaiters.push(resolve));
    return this.ended;
  }

  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);
  }
}

describe('fake kube-apiserver with the real kubectl', () => {
  let kube: FakeKube;
  let work: string;

  beforeEach(async () => {
    kube = await startFakeKube({ namespaces: [NAMESPACE] });
    work = await mkdtemp(join(tmpdir(), 'fake-kube-test-'));
  });

  afterEach(async () => {
    await kube.close();
    await rm(work, { recursive: true, force: true });
  });

  async function writeManifest(name: string, obj: unknown): Promise<string> {
    const path = join(work, name);
    await writeFile(path, stringify(obj));
    return path;
  }

  async function applyCrd(): Promise<void> {
    const result = await runKubectl(kube, ['apply', '-f', CRD_FILE]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/atomversions.atomsync.io created',
    );
  }

  it('kubectl apply registers the CRD and then creates and updates an AtomVersion from a file', async () => {
    await applyCrd();
    const file = await writeManifest('pin.yaml', atomVersion('prod-east'));

    const created = await runKubectl(kube, ['apply', '-f', file]);
    expect(created.stdout.trim()).toBe('atomversion.atomsync.io/prod-east created');

    await writeManifest('pin.yaml', atomVersion('prod-east', { version: '26.12.0' }));
    const configured = await runKubectl(kube, ['apply', '-f', file]);
    expect(configured.stdout.trim()).toBe('atomversion.atomsync.io/prod-east configured');

    const stored = kube.store.get(ref('prod-east'));
    expect(stored?.spec).toMatchObject({ version: '26.12.0' });
    expect(stored?.metadata?.generation).toBe(2);
    const patch = kube.requests.find(
      (r) => r.method === 'PATCH' && r.path.endsWith('/atomversions/prod-east'),
    );
    expect(patch?.contentType).toBe('application/merge-patch+json');
  });

  it('kubectl apply --validate=false also creates the AtomVersion', async () => {
    await applyCrd();
    const file = await writeManifest('pin.yaml', atomVersion('prod-west'));
    const result = await runKubectl(kube, ['apply', '--validate=false', '-f', file]);
    expect(result.stdout.trim()).toBe('atomversion.atomsync.io/prod-west created');
  });

  it('kubectl apply refuses an invalid AtomVersion with the schema message', async () => {
    await applyCrd();
    const file = await writeManifest('bad.yaml', atomVersion('bad-pin', { version: 'abc' }));
    const result = await runKubectl(kube, ['apply', '-f', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'The AtomVersion "bad-pin" is invalid: spec.version: Invalid value: "abc": ' +
        "spec.version in body should match '^[0-9]+(\\.[0-9]+){1,3}$'",
    );
    expect(kube.store.get(ref('bad-pin'))).toBeUndefined();
  });

  it('kubectl apply refuses unknown fields because it asks for strict field validation', async () => {
    await applyCrd();
    const file = await writeManifest('typo.yaml', atomVersion('typo', { verison: '1.0' }));
    const result = await runKubectl(kube, ['apply', '-f', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('strict decoding error: unknown field "spec.verison"');
  });

  it('kubectl get av shows the printer columns, including the Ready condition', async () => {
    await kube.store.loadCrdFile(CRD_FILE);
    kube.store.create(atomVersion('prod-east'));
    kube.store.patchStatus(ref('prod-east'), {
      status: {
        runtimeName: 'Prod East Molecule',
        runtimeVersion: '26.11.0',
        synced: 'True',
        conditions: [
          { type: 'Reconciling', status: 'False' },
          { type: 'Ready', status: 'True', message: '1 pin in sync' },
        ],
      },
    });

    const result = await runKubectl(kube, ['get', 'av', '-n', NAMESPACE]);
    const [header, row] = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(header).toEqual(['NAME', 'RUNTIME', 'READY', 'STATUS', 'AGE']);
    expect(row?.slice(0, 4)).toEqual(['prod-east', 'Prod East Molecule', 'True', '1 pin in sync']);
    expect(row?.[4]).toMatch(/^\d+s$/);
  });

  it('kubectl get av -o yaml shows the stored object with schema defaults', async () => {
    await kube.store.loadCrdFile(CRD_FILE);
    kube.store.create(atomVersion('prod-east'));
    const result = await runKubectl(kube, ['get', 'av', 'prod-east', '-n', NAMESPACE, '-o', 'yaml']);
    expect(result.stdout).toContain('kind: AtomVersion');
    expect(result.stdout).toContain('resourceVersion:');
    expect(result.stdout).toMatch(
      /policy:\n\s+allowPackReattach: false\n\s+allowRollback: true\n\s+mode: enforce/,
    );
  });

  it('kubectl patch --type merge changes the spec and bumps the generation', async () => {
    await kube.store.loadCrdFile(CRD_FILE);
    kube.store.create(atomVersion('prod-east'));
    const result = await runKubectl(kube, [
      'patch',
      'av',
      'prod-east',
      '-n',
      NAMESPACE,
      '--type',
      'merge',
      '-p',
      '{"spec":{"version":null,"channel":"pending"}}',
    ]);
    expect(result.stdout.trim()).toBe('atomversion.atomsync.io/prod-east patched');
    const stored = kube.store.get(ref('prod-east'));
    expect(stored?.spec).toMatchObject({ channel: 'pending' });
    expect(stored?.spec).not.toHaveProperty('version');
    expect(stored?.metadata?.generation).toBe(2);
  });

  it('kubectl delete removes the AtomVersion', async () => {
    await kube.store.loadCrdFile(CRD_FILE);
    kube.store.create(atomVersion('prod-east'));
    const result = await runKubectl(kube, ['delete', 'av', 'prod-east', '-n', NAMESPACE]);
    expect(result.stdout.trim()).toBe('atomversion.atomsync.io "prod-east" deleted');
    expect(kube.store.get(ref('prod-east'))).toBeUndefined();
  });

  it('kubectl get on a missing AtomVersion reports NotFound', async () => {
    await kube.store.loadCrdFile(CRD_FILE);
    const result = await runKubectl(kube, ['get', 'av', 'nope', '-n', NAMESPACE]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'Error from server (NotFound): atomversions.atomsync.io "nope" not found',
    );
  });

  it('kubectl discovers the API through the legacy documents after asking for aggregated discovery', async () => {
    await kube.store.loadCrdFile(CRD_FILE);
    await runKubectl(kube, ['get', 'av', '-n', NAMESPACE]);
    const apis = kube.requests.find((r) => r.path === '/apis');
    expect(apis?.accept).toContain('as=APIGroupDiscoveryList');
    expect(kube.requests.some((r) => r.path === '/apis/atomsync.io/v1alpha1')).toBe(true);
  });
});

describe('fake kube-apiserver with @kubernetes/client-node', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let customObjects: CustomObjectsApi;
  const aborts: AbortController[] = [];

  beforeEach(async () => {
    kube = await startFakeKube({ crdFiles: [CRD_FILE], namespaces: [NAMESPACE], bookmarkIntervalMs: 20 });
    kc = new KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    customObjects = kc.makeApiClient(CustomObjectsApi);
  });

  afterEach(async () => {
    for (const abort of aborts.splice(0)) abort.abort();
    await kube.close();
  });

  const coordinates = { group: GROUP, version: VERSION, namespace: NAMESPACE, plural: PLURAL };

  async function startWatch(query: Record<string, string | number | boolean>): Promise<WatchRecorder> {
    const recorder = new WatchRecorder();
    const abort = await new Watch(kc).watch(COLLECTION_PATH, query, recorder.onEvent, recorder.onDone);
    aborts.push(abort);
    return recorder;
  }

  async function createPin(name: string, spec: Record<string, unknown> = {}): Promise<KubeObject> {
    return (await customObjects.createNamespacedCustomObject({
      ...coordinates,
      body: atomVersion(name, spec),
    })) as KubeObject;
  }

  async function failureOf(
    action: Promise<unknown>,
  ): Promise<{ code: number; body: Record<string, unknown> }> {
    const error = await action.then(
      () => undefined,
      (err: unknown) => err as { code: number; body: unknown },
    );
    if (!error) throw new Error('expected the request to fail');
    const body = typeof error.body === 'string' ? (JSON.parse(error.body) as Record<string, unknown>) : {};
    return { code: error.code, body };
  }

  it('list then watch from the list resourceVersion sees ADDED, MODIFIED and DELETED', async () => {
    await createPin('existing');
    const list = (await customObjects.listNamespacedCustomObject(coordinates)) as {
      metadata: { resourceVersion: string };
      items: KubeObject[];
    };
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['existing']);

    const watch = await startWatch({ resourceVersion: list.metadata.resourceVersion });
    await createPin('prod-east');
    await customObjects.patchNamespacedCustomObject(
      { ...coordinates, name: 'prod-east', body: { spec: { version: '26.12.0' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await customObjects.deleteNamespacedCustomObject({ ...coordinates, name: 'prod-east' });

    await watch.waitFor((e) => e.type === 'DELETED');
    expect(watch.summary()).toEqual(['ADDED prod-east', 'MODIFIED prod-east', 'DELETED prod-east']);
    const versions = watch.events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('a watch without resourceVersion starts with the current objects', async () => {
    await createPin('existing');
    const watch = await startWatch({});
    await watch.waitFor((e) => e.type === 'ADDED');
    expect(watch.summary()).toEqual(['ADDED existing']);
  });

  it('a watch with allowWatchBookmarks gets BOOKMARK events with the current resourceVersion', async () => {
    await createPin('prod-east');
    const current = kube.store.resourceVersion();
    const watch = await startWatch({ resourceVersion: current, allowWatchBookmarks: true });
    const bookmark = await watch.waitFor((e) => e.type === 'BOOKMARK');
    expect(bookmark.metadata?.resourceVersion).toBe(current);
    expect(bookmark.kind).toBe('AtomVersion');
  });

  it('by default bookmarks come at a realistic interval (a minute), and once more at the watch deadline', async () => {
    const quiet = await startFakeKube({ crdFiles: [CRD_FILE], namespaces: [NAMESPACE] });
    try {
      const client = new KubeConfig();
      client.loadFromFile(quiet.kubeconfigPath);
      const recorder = new WatchRecorder();
      const query = {
        resourceVersion: quiet.store.resourceVersion(),
        allowWatchBookmarks: true,
        timeoutSeconds: 1,
      };
      await new Watch(client).watch(COLLECTION_PATH, query, recorder.onEvent, recorder.onDone);
      await recorder.waitForEnd();
      expect(recorder.summary()).toEqual(['BOOKMARK ']);
    } finally {
      await quiet.close();
    }
  });

  it('a continue token expires with the list snapshot: 410 Expired, and a fresh list works', async () => {
    for (const name of ['a', 'b', 'c']) await createPin(name);
    const first = (await customObjects.listNamespacedCustomObject({ ...coordinates, limit: 2 })) as {
      metadata: { continue: string; resourceVersion: string };
    };
    const second = (await customObjects.listNamespacedCustomObject({
      ...coordinates,
      limit: 2,
      _continue: first.metadata.continue,
    })) as { metadata: { resourceVersion: string }; items: KubeObject[] };
    expect(second.items.map((i) => i.metadata?.name)).toEqual(['c']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);

    kube.compact();
    const failure = await failureOf(
      customObjects.listNamespacedCustomObject({
        ...coordinates,
        limit: 2,
        _continue: first.metadata.continue,
      }),
    );
    expect(failure.code).toBe(410);
    expect(failure.body).toMatchObject({ reason: 'Expired', code: 410 });
    expect(String(failure.body.message)).toMatch(
      /^The provided continue parameter is too old to display a consistent list result\./,
    );
    const fresh = (await customObjects.listNamespacedCustomObject(coordinates)) as { items: KubeObject[] };
    expect(fresh.items).toHaveLength(3);
  });

  it('after compact() a watch resuming from an old resourceVersion gets a 410 Expired ERROR event', async () => {
    const created = await createPin('prod-east');
    kube.compact();
    const watch = await startWatch({ resourceVersion: created.metadata?.resourceVersion ?? '' });
    const status = await watch.waitFor((e) => e.type === 'ERROR');
    expect(status).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(String(status.message)).toContain('too old resource version');
    await watch.waitForEnd();

    const relisted = (await customObjects.listNamespacedCustomObject(coordinates)) as {
      metadata: { resourceVersion: string };
    };
    const resumed = await startWatch({ resourceVersion: relisted.metadata.resourceVersion });
    await createPin('prod-west');
    await resumed.waitFor((e) => e.type === 'ADDED');
    expect(resumed.summary()).toEqual(['ADDED prod-west']);
  });

  it('compactAfter keeps only the newest changes for watches', async () => {
    await kube.close();
    kube = await startFakeKube({ crdFiles: [CRD_FILE], namespaces: [NAMESPACE], compactAfter: 1 });
    kc.loadFromFile(kube.kubeconfigPath);
    customObjects = kc.makeApiClient(CustomObjectsApi);
    const first = await createPin('one');
    await createPin('two');
    const latest = await createPin('three');
    const tooOld = await startWatch({ resourceVersion: first.metadata?.resourceVersion ?? '' });
    expect(await tooOld.waitFor((e) => e.type === 'ERROR')).toMatchObject({ code: 410 });

    const recent = await startWatch({
      resourceVersion: String(Number(latest.metadata?.resourceVersion) - 1),
    });
    await recent.waitFor((e) => e.type === 'ADDED');
    expect(recent.summary()).toEqual(['ADDED three']);
  });

  it('dropWatches() cuts open watch streams the way a lost connection does', async () => {
    const watch = await startWatch({ resourceVersion: kube.store.resourceVersion() });
    await waitUntil(() => kube.requests.some((r) => r.query.watch === 'true'));
    kube.dropWatches();
    expect(String(await watch.waitForEnd())).toContain('Premature close');
  });

  it('a dropped watch stops a client-node informer; restarted after compaction it relists', async () => {
    const informer = makeInformer(
      kc,
      COLLECTION_PATH,
      () => customObjects.listNamespacedCustomObject(coordinates) as never,
    );
    const added: string[] = [];
    let failures = 0;
    informer.on('add', (obj) => added.push(obj.metadata?.name ?? ''));
    informer.on('error', () => (failures += 1));
    await informer.start();
    await createPin('before');
    await waitUntil(() => added.includes('before'));

    kube.compact();
    kube.dropWatches();
    await waitUntil(() => failures === 1);
    kube.store.create(atomVersion('while-down'));

    await informer.start();
    await waitUntil(() => added.includes('while-down'));
    await informer.stop();
    expect(kube.requests.filter((r) => r.method === 'GET' && !r.query.watch)).toHaveLength(2);
  });

  it('timeoutSeconds closes the watch stream from the server side', async () => {
    const watch = await startWatch({ resourceVersion: kube.store.resourceVersion(), timeoutSeconds: 1 });
    expect(await watch.waitForEnd()).toBe('closed');
  });

  it('a watch with a label selector sees an object leave the selection as DELETED', async () => {
    await customObjects.createNamespacedCustomObject({
      ...coordinates,
      body: { ...atomVersion('prod-east'), metadata: { name: 'prod-east', labels: { tier: 'prod' } } },
    });
    const watch = await startWatch({ labelSelector: 'tier=prod' });
    await watch.waitFor((e) => e.type === 'ADDED');
    await customObjects.patchNamespacedCustomObject(
      { ...coordinates, name: 'prod-east', body: { metadata: { labels: { tier: null } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await watch.waitFor((e) => e.type === 'DELETED');
    expect(watch.summary()).toEqual(['ADDED prod-east', 'DELETED prod-east']);
  });

  it('deleting an object with finalizers marks it; removing the last finalizer deletes it', async () => {
    await customObjects.createNamespacedCustomObject({
      ...coordinates,
      body: {
        ...atomVersion('prod-east'),
        metadata: { name: 'prod-east', finalizers: ['atomsync.io/cleanup'] },
      },
    });
    await customObjects.deleteNamespacedCustomObject({ ...coordinates, name: 'prod-east' });
    expect(kube.store.get(ref('prod-east'))?.metadata?.deletionTimestamp).toBeTruthy();

    await customObjects.patchNamespacedCustomObject(
      { ...coordinates, name: 'prod-east', body: [{ op: 'remove', path: '/metadata/finalizers' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(kube.store.get(ref('prod-east'))).toBeUndefined();
  });

  it('a status merge patch does not bump the generation; a spec change does', async () => {
    const created = await createPin('prod-east');
    expect(created.metadata?.generation).toBe(1);
    const statusPatched = (await customObjects.patchNamespacedCustomObjectStatus(
      { ...coordinates, name: 'prod-east', body: { status: { observedGeneration: 1, synced: 'True' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubeObject;
    expect(statusPatched.metadata?.generation).toBe(1);
    expect(statusPatched.status).toEqual({ observedGeneration: 1, synced: 'True' });

    const specPatched = (await customObjects.patchNamespacedCustomObject(
      { ...coordinates, name: 'prod-east', body: { spec: { version: '26.12.0' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubeObject;
    expect(specPatched.metadata?.generation).toBe(2);
  });

  it('an update with a stale resourceVersion is a 409 Conflict', async () => {
    const created = await createPin('prod-east');
    await customObjects.replaceNamespacedCustomObject({
      ...coordinates,
      name: 'prod-east',
      body: { ...created, spec: { ...(created.spec as object), version: '26.12.0' } },
    });
    const failure = await failureOf(
      customObjects.replaceNamespacedCustomObject({
        ...coordinates,
        name: 'prod-east',
        body: { ...created, spec: { ...(created.spec as object), version: '26.10.0' } },
      }),
    );
    expect(failure.code).toBe(409);
    expect(failure.body).toMatchObject({ reason: 'Conflict' });
    expect(String(failure.body.message)).toContain('the object has been modified');
  });

  it('creating an existing AtomVersion is 409 AlreadyExists and reading a missing one is 404', async () => {
    await createPin('prod-east');
    const exists = await failureOf(createPin('prod-east'));
    expect(exists.code).toBe(409);
    expect(exists.body).toMatchObject({ reason: 'AlreadyExists' });
    const missing = await failureOf(
      customObjects.getNamespacedCustomObject({ ...coordinates, name: 'nope' }),
    );
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'atomversions.atomsync.io "nope" not found',
    });
  });

  it('the status subresource changes only status, and the main endpoint ignores status', async () => {
    await createPin('prod-east');
    await customObjects.patchNamespacedCustomObjectStatus(
      {
        ...coordinates,
        name: 'prod-east',
        body: { spec: { version: '1.0.0' }, metadata: { labels: { a: 'b' } }, status: { synced: 'True' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    let stored = kube.store.get(ref('prod-east'));
    expect(stored?.spec).toMatchObject({ version: '26.11.0' });
    expect(stored?.metadata?.labels).toBeUndefined();
    expect(stored?.status).toEqual({ synced: 'True' });

    await customObjects.patchNamespacedCustomObject(
      {
        ...coordinates,
        name: 'prod-east',
        body: { spec: { version: '26.12.0' }, status: { synced: 'False' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    stored = kube.store.get(ref('prod-east'));
    expect(stored?.spec).toMatchObject({ version: '26.12.0' });
    expect(stored?.status).toEqual({ synced: 'True' });
  });

  it('a JSON patch works on custom resources; strategic merge is 415, an apply needs a fieldManager', async () => {
    await createPin('prod-east');
    const patched = (await customObjects.patchNamespacedCustomObject({
      ...coordinates,
      name: 'prod-east',
      body: [{ op: 'replace', path: '/spec/version', value: '26.12.0' }],
    })) as KubeObject;
    expect(patched.spec).toMatchObject({ version: '26.12.0' });

    const strategic = await failureOf(
      customObjects.patchNamespacedCustomObject(
        { ...coordinates, name: 'prod-east', body: { spec: { version: '1.0' } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(strategic.code).toBe(415);
    const applyWithoutManager = await failureOf(
      customObjects.patchNamespacedCustomObject(
        { ...coordinates, name: 'prod-east', body: { spec: { version: '1.0' } } },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
    expect(applyWithoutManager.code).toBe(400);
    expect(String(applyWithoutManager.body.message)).toContain('fieldManager is required');
  });

  it('an invalid custom resource is a 422 Invalid Status with the schema field causes', async () => {
    const failure = await failureOf(createPin('prod-east', { channel: 'nightly', version: undefined }));
    expect(failure.code).toBe(422);
    expect(failure.body).toMatchObject({
      reason: 'Invalid',
      message:
        'AtomVersion.atomsync.io "prod-east" is invalid: spec.channel: Unsupported value: "nightly": ' +
        'supported values: "released", "pending"',
      details: { name: 'prod-east', group: GROUP, kind: 'AtomVersion' },
    });
  });

  it('unknown fields are pruned for clients that do not ask for strict validation; status keeps its own', async () => {
    const created = (await customObjects.createNamespacedCustomObject({
      ...coordinates,
      body: { ...atomVersion('prod-east', { surprise: true }), extra: 1 },
    })) as KubeObject;
    expect(created.spec).not.toHaveProperty('surprise');
    expect(created).not.toHaveProperty('extra');
    expect(created.spec).toMatchObject({ connectors: [], policy: { mode: 'enforce', windows: [] } });

    const patched = (await customObjects.patchNamespacedCustomObjectStatus(
      { ...coordinates, name: 'prod-east', body: { status: { pins: [{ name: 'Atom' }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubeObject;
    expect(patched.status).toEqual({ pins: [{ name: 'Atom' }] });
  });

  it('list filters by label selector and by metadata.name field selector', async () => {
    await customObjects.createNamespacedCustomObject({
      ...coordinates,
      body: { ...atomVersion('labelled'), metadata: { name: 'labelled', labels: { tier: 'prod' } } },
    });
    await createPin('plain');
    const byLabel = (await customObjects.listNamespacedCustomObject({
      ...coordinates,
      labelSelector: 'tier=prod',
    })) as { items: KubeObject[] };
    expect(byLabel.items.map((i) => i.metadata?.name)).toEqual(['labelled']);
    const byName = (await customObjects.listNamespacedCustomObject({
      ...coordinates,
      fieldSelector: 'metadata.name=plain',
    })) as { items: KubeObject[] };
    expect(byName.items.map((i) => i.metadata?.name)).toEqual(['plain']);
  });

  // client-node 1.4.0 types MicroTime fields as V1MicroTime (a Date) but hands back the wire string.
  it('leases are created and replaced with MicroTime timestamps', async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    const acquired = new Date('2026-11-23T08:00:00.123Z');
    const lease = await leases.createNamespacedLease({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'atomsync-leader' },
        spec: {
          holderIdentity: 'pod-a',
          leaseDurationSeconds: 15,
          acquireTime: acquired,
          renewTime: acquired,
        },
      },
    });
    expect(lease.spec?.acquireTime as unknown).toBe('2026-11-23T08:00:00.123000Z');
    const stored = kube.store.get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      name: 'atomsync-leader',
      namespace: NAMESPACE,
    });
    expect((stored?.spec as { renewTime: string }).renewTime).toBe('2026-11-23T08:00:00.123000Z');

    const renewed = new Date('2026-11-23T08:00:05.000Z');
    const replaced = await leases.replaceNamespacedLease({
      name: 'atomsync-leader',
      namespace: NAMESPACE,
      body: { ...lease, spec: { ...lease.spec, renewTime: renewed } },
    });
    expect(replaced.spec?.renewTime as unknown).toBe('2026-11-23T08:00:05.000000Z');
    const stale = await failureOf(
      leases.replaceNamespacedLease({ name: 'atomsync-leader', namespace: NAMESPACE, body: lease }),
    );
    expect(stale.code).toBe(409);
  });

  it('events can be created through events.k8s.io/v1 and core v1', async () => {
    const events = kc.makeApiClient(EventsV1Api);
    const created = await events.createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { generateName: 'prod-east.' },
        eventTime: new Date('2026-11-23T08:00:00Z'),
        reportingController: 'atomsync.io/controller',
        reportingInstance: 'pod-a',
        action: 'Reconcile',
        reason: 'Drifted',
        type: 'Normal',
        note: 'runtime is on 26.11.0, pinned 26.12.0',
        regarding: {
          apiVersion: `${GROUP}/${VERSION}`,
          kind: 'AtomVersion',
          name: 'prod-east',
          namespace: NAMESPACE,
        },
      },
    });
    expect(created.metadata?.name).toMatch(/^prod-east\.[a-z0-9]{5}$/);
    expect(kube.store.list('events.k8s.io/v1', 'Event', NAMESPACE)).toHaveLength(1);

    const coreEvent = await kc.makeApiClient(CoreV1Api).createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'prod-east.1' },
        involvedObject: { kind: 'AtomVersion', name: 'prod-east', namespace: NAMESPACE },
        reason: 'Applied',
        message: 'applied 26.12.0',
        type: 'Normal',
      },
    });
    expect(coreEvent.metadata?.uid).toBeTruthy();
  });

  it('secrets written with stringData are read back as base64 data', async () => {
    kube.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'boomi-credentials', namespace: NAMESPACE },
      stringData: { username: 'BOOMI_TOKEN.admin@demo.atomsync', token: 'demo-admin-token' },
    });
    const secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({
      name: 'boomi-credentials',
      namespace: NAMESPACE,
    });
    expect(Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8')).toBe('demo-admin-token');
    expect(secret.type).toBe('Opaque');
  });

  it('creating in a namespace that does not exist is 404', async () => {
    const failure = await failureOf(
      customObjects.createNamespacedCustomObject({
        ...coordinates,
        namespace: 'ghost',
        body: { ...atomVersion('x'), metadata: { name: 'x' } },
      }),
    );
    expect(failure.code).toBe(404);
    expect(failure.body).toMatchObject({ message: 'namespaces "ghost" not found' });
  });

  it('records each request with method, path, query and content type', async () => {
    await customObjects
      .patchNamespacedCustomObject(
        { ...coordinates, name: 'missing', body: {} },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch(() => undefined);
    expect(kube.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `${COLLECTION_PATH}/missing`,
      contentType: 'application/merge-patch+json',
    });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
