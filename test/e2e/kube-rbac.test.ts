// The example RBAC (examples/kubernetes/install/rbac.yaml) is the least that works: every request atomsync's
// Kubernetes parts make — watching AtomVersions, writing their status, recording events, leader
// election, reading account Secrets — is allowed by it, judged request by request as the API server's
// RBAC authorizer would.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
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
import { KubeStatusWriter } from '../../controller/kube/status-writer.js';
import type { FakeKube, RecordedRequest } from '../fakes/kube-api-server.js';
import { startFakeKube } from '../fakes/kube-api-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVICE_ACCOUNT = { name: 'atomsync', namespace: 'atomsync' };

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

interface RbacDocument {
  kind: string;
  metadata: { name: string; namespace: string };
  rules?: Rule[];
  roleRef?: { name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

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
  let rules: Map<string, Rule[]>;

  beforeEach(async () => {
    kube = await startFakeKube({
      crdFiles: [join(root, 'crds/atomversion.yaml')],
      namespaces: ['atomsync', 'integration'],
      bookmarkIntervalMs: 50,
    });
    kc = new KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    rules = await rolesBoundToServiceAccount();
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
    const source = new KubeSource({ kubeConfig: kc, namespaces: ['integration'], coalesceMs: 5 });
    await source.start(() => undefined);
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
    }

    const made = kube.requests.map(attributesOf).filter((a): a is Attributes => a !== undefined);
    const verbs = new Set(made.map((a) => `${a.verb} ${a.group}/${a.resource}`));
    expect([...verbs].sort()).toEqual([
      'create coordination.k8s.io/leases',
      'create events.k8s.io/events',
      'get /secrets',
      'get coordination.k8s.io/leases',
      'list atomsync.io/atomversions',
      'patch atomsync.io/atomversions/status',
      'patch events.k8s.io/events',
      'update coordination.k8s.io/leases',
      'watch atomsync.io/atomversions',
    ]);
    expect(made.filter((a) => !allowed(rules, a))).toEqual([]);
  });

  it('denies what atomsync must not do: other Secrets, AtomVersion specs, other namespaces', () => {
    const denied: Attributes[] = [
      { namespace: 'atomsync', group: '', resource: 'secrets', name: 'someone-elses', verb: 'get' },
      { namespace: 'atomsync', group: '', resource: 'secrets', verb: 'list' },
      {
        namespace: 'integration',
        group: 'atomsync.io',
        resource: 'atomversions',
        name: 'prod-east',
        verb: 'patch',
      },
      {
        namespace: 'integration',
        group: 'atomsync.io',
        resource: 'atomversions',
        name: 'prod-east',
        verb: 'delete',
      },
      { namespace: 'team-b', group: 'atomsync.io', resource: 'atomversions', verb: 'list' },
      {
        namespace: 'atomsync',
        group: 'coordination.k8s.io',
        resource: 'leases',
        name: 'other-lease',
        verb: 'update',
      },
    ];
    for (const attributes of denied)
      expect(allowed(rules, attributes), JSON.stringify(attributes)).toBe(false);
  });
});

/** namespace → the rules of every Role bound to atomsync's service account there. */
async function rolesBoundToServiceAccount(): Promise<Map<string, Rule[]>> {
  const text = await readFile(join(root, 'examples/kubernetes/install/rbac.yaml'), 'utf8');
  const docs = parseAllDocuments(text).map((d) => d.toJS() as RbacDocument);
  const roles = new Map(
    docs
      .filter((d) => d.kind === 'Role')
      .map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d.rules ?? []]),
  );
  const byNamespace = new Map<string, Rule[]>();
  for (const binding of docs.filter((d) => d.kind === 'RoleBinding')) {
    const bound = (binding.subjects ?? []).some(
      (s) =>
        s.kind === 'ServiceAccount' &&
        s.name === SERVICE_ACCOUNT.name &&
        s.namespace === SERVICE_ACCOUNT.namespace,
    );
    const namespace = binding.metadata.namespace;
    const roleRules = roles.get(`${namespace}/${binding.roleRef?.name ?? ''}`) ?? [];
    if (bound) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), ...roleRules]);
  }
  return byNamespace;
}

async function accountSecretsFromDeployment(): Promise<string> {
  const text = await readFile(join(root, 'examples/kubernetes/install/deployment.yaml'), 'utf8');
  const deployment = parseAllDocuments(text)[0]?.toJS() as DeploymentDocument;
  const env = deployment.spec.template.spec.containers[0]?.env ?? [];
  return env.find((e) => e.name === 'ATOMSYNC_ACCOUNT_SECRETS')?.value ?? '';
}

function allowed(rules: Map<string, Rule[]>, a: Attributes): boolean {
  if (a.namespace === undefined) return false; // the example grants nothing cluster-wide
  return (rules.get(a.namespace) ?? []).some(
    (rule) =>
      rule.apiGroups.includes(a.group) &&
      rule.resources.includes(a.resource) &&
      rule.verbs.includes(a.verb) &&
      (rule.resourceNames === undefined || (a.name !== undefined && rule.resourceNames.includes(a.name))),
  );
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
