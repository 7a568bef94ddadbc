// RBAC in the fake API server: a ServiceAccount's requests are judged by the shipped Role and RoleBinding
// (examples/kubernetes/install/rbac.yaml, applied with kubectl), for client-node (the account's token)
// and kubectl (`--as`, since kubectl sends no token over http://). What the Role does not grant is a 403
// worded as kube-apiserver words it.
import { fileURLToPath } from 'node:url';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { startFakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';

const CRD_FILE = fileURLToPath(new URL('../../../crds/atomversion.yaml', import.meta.url));
const RBAC_FILE = fileURLToPath(new URL('../../../examples/kubernetes/install/rbac.yaml', import.meta.url));
const AS_CONTROLLER = '--as=system:serviceaccount:atomsync:atomsync';
const USER = 'User "system:serviceaccount:atomsync:atomsync"';

let kube: FakeKube;
let avs: CustomObjectsApi;
let core: CoreV1Api;

beforeAll(async () => {
  kube = await startFakeKube({ crdFiles: [CRD_FILE], namespaces: ['atomsync', 'integration', 'team-b'] });
  const applied = await runKubectl(kube, ['apply', '-f', RBAC_FILE]);
  expect(applied.stderr).toBe('');
  kube.store.create({
    apiVersion: 'atomsync.io/v1alpha1',
    kind: 'AtomVersion',
    metadata: { name: 'prod-east', namespace: 'integration' },
    spec: { account: 'acme-prod', runtime: { name: 'Prod East Molecule' }, version: '26.12.0' },
  });
  for (const name of ['boomi-acme-prod', 'someone-elses']) {
    kube.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'atomsync' },
      stringData: { token: 'secret-value' },
    });
  }
  const kc = new KubeConfig();
  kc.loadFromFile(await kube.serviceAccountKubeconfig('atomsync', 'atomsync'));
  avs = kc.makeApiClient(CustomObjectsApi);
  core = kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await kube?.close();
});

const av = { group: 'atomsync.io', version: 'v1alpha1', namespace: 'integration', plural: 'atomversions' };

async function statusOf(call: Promise<unknown>): Promise<{ code: number; body: unknown }> {
  try {
    await call;
    return { code: 200, body: undefined };
  } catch (error) {
    const e = error as { code?: number; body?: unknown };
    return { code: e.code ?? 0, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
}

describe('RBAC for a ServiceAccount token (client-node)', () => {
  it('allows what the Role grants: list AtomVersions, patch their status, get a Secret named in it', async () => {
    const list = await avs.listNamespacedCustomObject(av);
    expect((list as { items: unknown[] }).items).toHaveLength(1);
    await avs.patchNamespacedCustomObjectStatus(
      { ...av, name: 'prod-east', body: { status: { synced: 'Unknown' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const secret = await core.readNamespacedSecret({ name: 'boomi-acme-prod', namespace: 'atomsync' });
    expect(secret.metadata?.name).toBe('boomi-acme-prod');
    expect(kube.requests.at(-1)?.user).toBe('system:serviceaccount:atomsync:atomsync');
  });

  it('refuses a verb the Role does not grant with 403 Forbidden and the API server message', async () => {
    const patched = await statusOf(
      avs.patchNamespacedCustomObject(
        { ...av, name: 'prod-east', body: { spec: { version: '26.11.0' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(patched).toEqual({
      code: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `atomversions.atomsync.io "prod-east" is forbidden: ${USER} cannot patch resource "atomversions" in API group "atomsync.io" in the namespace "integration"`,
        reason: 'Forbidden',
        details: { name: 'prod-east', group: 'atomsync.io', kind: 'atomversions' },
        code: 403,
      },
    });
    expect(
      kube.store.get({
        apiVersion: 'atomsync.io/v1alpha1',
        kind: 'AtomVersion',
        name: 'prod-east',
        namespace: 'integration',
      }),
    ).toMatchObject({ spec: { version: '26.12.0' } });

    const otherSecret = await statusOf(
      core.readNamespacedSecret({ name: 'someone-elses', namespace: 'atomsync' }),
    );
    expect(otherSecret.code).toBe(403);
    expect((otherSecret.body as { message: string }).message).toBe(
      `secrets "someone-elses" is forbidden: ${USER} cannot get resource "secrets" in API group "" in the namespace "atomsync"`,
    );
    const otherNamespace = await statusOf(avs.listNamespacedCustomObject({ ...av, namespace: 'team-b' }));
    expect((otherNamespace.body as { message: string }).message).toBe(
      `atomversions.atomsync.io is forbidden: ${USER} cannot list resource "atomversions" in API group "atomsync.io" in the namespace "team-b"`,
    );
    const clusterWide = await statusOf(core.listNamespace());
    expect((clusterWide.body as { message: string }).message).toBe(
      `namespaces is forbidden: ${USER} cannot list resource "namespaces" in API group "" at the cluster scope`,
    );
  });

  it('refuses a token it never issued with 401', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: kube.url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'forged-token' }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
    const refused = await statusOf(kc.makeApiClient(CoreV1Api).listNamespace());
    expect(refused.code).toBe(401);
  });
});

describe('RBAC for kubectl acting as the ServiceAccount', () => {
  it('reads AtomVersions but may not delete one, nor read other Secrets', async () => {
    const read = await runKubectl(kube, ['get', 'av', '-n', 'integration', AS_CONTROLLER]);
    expect(read.stdout).toMatch(/^prod-east\s/m);

    const deleted = await runKubectl(kube, ['delete', 'av', 'prod-east', '-n', 'integration', AS_CONTROLLER]);
    expect(deleted.code).not.toBe(0);
    expect(deleted.stderr.trim()).toBe(
      `Error from server (Forbidden): atomversions.atomsync.io "prod-east" is forbidden: ${USER} cannot delete resource "atomversions" in API group "atomsync.io" in the namespace "integration"`,
    );
    const secret = await runKubectl(kube, [
      'get',
      'secret',
      'someone-elses',
      '-n',
      'atomsync',
      AS_CONTROLLER,
    ]);
    expect(secret.stderr).toContain(
      `cannot get resource "secrets" in API group "" in the namespace "atomsync"`,
    );

    const asAdmin = await runKubectl(kube, ['get', 'secret', 'someone-elses', '-n', 'atomsync']);
    expect(asAdmin.code).toBe(0);
  });
});
