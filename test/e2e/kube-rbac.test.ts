// The example RBAC (examples/kubernetes/install/rbac.yaml) is the least that works: every request atomsync's
// Kubernetes parts make — watching AtomVersions, writing their status, recording events, leader
// election, reading account Secrets — is allowed by it. The parts run with the service account's own
// token, and the fake API server judges each request by the applied Role and RoleBinding
// (test/fakes/kube/rbac.ts), refusing anything else with 403 as kube-apiserver does.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  KubeCredentials,
  kubeSecretReader,
  parseAccountSecretRefs,
} from '../../controller/kube/credentials.js';
import { KubeEventRecorder, blockedPinEvent } from '../../controller/kube/events.js';
import { KubeSource } from '../../controller/kube/kube-source.js';
import { LeaderElector } from '../../controller/kube/leader-election.js';
import { KubeReleaseSource } from '../../controller/kube/packrelease-source.js';
import { KubeReleaseStatusWriter } from '../../controller/kube/packrelease-status.js';
import { KubeStatusWriter } from '../../controller/kube/status-writer.js';
import type { FakeKube, RecordedRequest } from '../fakes/kube-api-server.js';
import { startFakeKube } from '../fakes/kube-api-server.js';
import { runKubectl } from '../fakes/kube/run-kubectl.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
interface DeploymentDocument {
  spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
}

interface Attributes {
  namespace?: string;
  group: string;
  resource: string;
  name?: string;
  verb: string;
}

describe('the example RBAC', () => {
  let kube: FakeKube;
  let kc: KubeConfig;

  beforeEach(async () => {
    kube = await startFakeKube({
      crdFiles: [join(root, 'crds/atomversion.yaml'), join(root, 'crds/integrationpackrelease.yaml')],
      namespaces: ['atomsync', 'integration', 'team-b'],
      bookmarkIntervalMs: 50,
    });
    const applied = await runKubectl(kube, [
      'apply',
      '-f',
      join(root, 'examples/kubernetes/install/rbac.yaml'),
    ]);
    if (applied.code !== 0) throw new Error(`kubectl apply of rbac.yaml failed: ${applied.stderr}`);
    kc = new KubeConfig();
    kc.loadFromFile(await kube.serviceAccountKubeconfig('atomsync', 'atomsync'));
  });

  afterEach(async () => {
    await kube.close();
  });

  it('allows every request atomsync makes', async () => {
    kube.store.create({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      metadata: { name: 'prod-east', namespace: 'integration' },
      spec: { account: 'acme-prod', runtime: { name: 'Prod East Molecule' }, version: '26.12.0' },
    });
    kube.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'boomi-acme-prod', namespace: 'atomsync' },
      stringData: { username: 'BOOMI_TOKEN.admin@demo.atomsync', token: 'demo-admin-token' },
    });
    kube.store.create({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'IntegrationPackRelease',
      metadata: { name: 'workday', namespace: 'integration' },
      spec: {
        account: 'acme-publisher',
        pack: 'Workday Sync',
        components: [{ componentId: 'c-workers', version: '2.0' }],
        release: 'immediately',
      },
    });
    const source = new KubeSource({ kubeConfig: kc, namespaces: ['integration'], coalesceMs: 5 });
    await source.start(() => undefined);
    const releases = new KubeReleaseSource({ kubeConfig: kc, namespaces: ['integration'] });
    await releases.start(() => undefined);
    const elector = new LeaderElector({
      kubeConfig: kc,
      namespace: 'atomsync',
      identity: 'pod-a',
      leaseDurationMs: 1_500,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 200,
    });
    try {
      elector.start();
      await waitUntil(() => elector.isLeader());
      await waitUntil(() => kube.requests.filter((r) => r.method === 'PUT').length > 0);

      const writer = new KubeStatusWriter({ kubeConfig: kc, observe: (key) => source.getObject(key) });
      await writer.write({
        key: 'integration/prod-east',
        observedGeneration: '1',
        conditions: [],
        pins: [],
        runtimeName: 'Prod East Molecule',
        history: [],
      });
      const releaseWriter = new KubeReleaseStatusWriter(kc, (key) => releases.getObject(key));
      expect(
        await releaseWriter.write({
          key: 'integration/workday',
          observedGeneration: '1',
          conditions: [],
          pack: 'Workday Sync',
          lastReconciled: '2026-12-01T00:00:00.000Z',
        }),
      ).toBe(true);
      const events = new KubeEventRecorder({
        kubeConfig: kc,
        reportingInstance: 'pod-a',
        seriesIntervalMs: 0,
      });
      const spec = blockedPinEvent(
        { namespace: 'integration', name: 'prod-east' },
        {
          kind: 'runtime',
          name: 'Atom',
          wanted: '26.12.0',
          outcome: 'Blocked',
          reason: 'OutsideWindow',
          message: 'outside its window',
        },
      );
      expect(await events.record(spec)).toBe('created');
      expect(await events.record(spec)).toBe('updated');
      const deploymentEnv = await accountSecretsFromDeployment();
      const credentials = new KubeCredentials({
        reader: kubeSecretReader(kc),
        accounts: {},
        secretRefs: parseAccountSecretRefs(deploymentEnv).refs,
        defaultNamespace: 'atomsync',
      });
      expect((await credentials.resolve('acme-prod')).username).toBe('BOOMI_TOKEN.admin@demo.atomsync');
    } finally {
      await elector.stop();
      await source.stop();
      await releases.stop();
    }

    const asServiceAccount = kube.requests.filter(
      (r) => r.user === 'system:serviceaccount:atomsync:atomsync',
    );
    const made = asServiceAccount.map(attributesOf).filter((a): a is Attributes => a !== undefined);
    const verbs = new Set(made.map((a) => `${a.verb} ${a.group}/${a.resource}`));
    expect([...verbs].sort()).toEqual([
      'create coordination.k8s.io/leases',
      'create events.k8s.io/events',
      'get /secrets',
      'get coordination.k8s.io/leases',
      'list atomsync.io/atomversions',
      'list atomsync.io/integrationpackreleases',
      'patch atomsync.io/atomversions/status',
      'patch atomsync.io/integrationpackreleases/status',
      'patch events.k8s.io/events',
      'update coordination.k8s.io/leases',
      'watch atomsync.io/atomversions',
      'watch atomsync.io/integrationpackreleases',
    ]);
    expect(asServiceAccount.filter((r) => r.status === 403)).toEqual([]);
  });

  it('denies what atomsync must not do: other Secrets, AtomVersion specs, other namespaces', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const avs = kc.makeApiClient(CustomObjectsApi);
    const leases = kc.makeApiClient(CoordinationV1Api);
    const av = { group: 'atomsync.io', version: 'v1alpha1', plural: 'atomversions' };
    const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const attempts: [string, () => Promise<unknown>][] = [
      ['get secret', () => core.readNamespacedSecret({ name: 'someone-elses', namespace: 'atomsync' })],
      ['list secrets', () => core.listNamespacedSecret({ namespace: 'atomsync' })],
      [
        'patch spec',
        () =>
          avs.patchNamespacedCustomObject(
            { ...av, namespace: 'integration', name: 'prod-east', body: { spec: { version: '1' } } },
            mergePatch,
          ),
      ],
      [
        'delete',
        () => avs.deleteNamespacedCustomObject({ ...av, namespace: 'integration', name: 'prod-east' }),
      ],
      ['other namespace', () => avs.listNamespacedCustomObject({ ...av, namespace: 'team-b' })],
      [
        'other lease',
        () =>
          leases.replaceNamespacedLease({
            name: 'other-lease',
            namespace: 'atomsync',
            body: { metadata: { name: 'other-lease' } },
          }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const code = await attempt().then(
        () => 200,
        (error: { code?: number }) => error.code,
      );
      expect(code, what).toBe(403);
    }
  });
});

async function accountSecretsFromDeployment(): Promise<string> {
  const text = await readFile(join(root, 'examples/kubernetes/install/deployment.yaml'), 'utf8');
  const deployment = parseAllDocuments(text)[0]?.toJS() as DeploymentDocument;
  const env = deployment.spec.template.spec.containers[0]?.env ?? [];
  return env.find((e) => e.name === 'ATOMSYNC_ACCOUNT_SECRETS')?.value ?? '';
}

/** The RBAC attributes of a request to a resource path; undefined for discovery and the like. */
function attributesOf(request: RecordedRequest): Attributes | undefined {
  const match =
    /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
      request.path,
    );
  if (!match) return undefined;
  const [, group = '', namespace, resource = '', name, subresource] = match;
  const verbByMethod: Record<string, string> = {
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
  };
  const verb =
    request.method === 'GET'
      ? request.query.watch === 'true'
        ? 'watch'
        : name === undefined
          ? 'list'
          : 'get'
      : (verbByMethod[request.method] ?? request.method);
  return {
    ...(namespace !== undefined ? { namespace } : {}),
    group,
    resource: subresource ? `${resource}/${subresource}` : resource,
    ...(name !== undefined ? { name } : {}),
    verb,
  };
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
