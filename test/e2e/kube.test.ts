// End to end against the fake API server with the real kubectl and the real client-node: the example
// manifests install, AtomVersions applied with kubectl reach atomsync's source, a stand-in reconcile
// writes status and events through atomsync's writers, and `kubectl get av` shows the result.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../controller/config/load-config.js';
import type { DesiredAtomVersion } from '../../controller/domain/types.js';
import { KubeEventRecorder, blockedPinEvent } from '../../controller/kube/events.js';
import { KubeSource } from '../../controller/kube/kube-source.js';
import { KubeStatusWriter } from '../../controller/kube/status-writer.js';
import { accountBookOf } from '../../controller/config/account-book.js';
import type { AtomsyncConfig } from '../../controller/config/types.js';
import { plan } from '../../controller/domain/plan.js';
import { tenancyDenial } from '../../controller/domain/tenancy.js';
import { buildStatus, toPinStatus } from '../../controller/reconciler/status-builder.js';
import type { AtomVersionStatus } from '../../controller/domain/status.js';
import type { SourceSnapshot } from '../../controller/sources/source.js';
import type { FakeKube, KubeObject } from '../fakes/kube-api-server.js';
import { startFakeKube } from '../fakes/kube-api-server.js';
import { runKubectl } from '../fakes/kube/run-kubectl.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CRD = join(root, 'crds/atomversion.yaml');
const EXAMPLES = join(root, 'examples/kubernetes');
const example = (file: string): string => join(EXAMPLES, file);

describe('atomsync on Kubernetes (fake API server, real kubectl)', () => {
  let kube: FakeKube;
  let kc: KubeConfig;
  let work: string;

  beforeEach(async () => {
    kube = await startFakeKube();
    kc = new KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    work = await mkdtemp(join(tmpdir(), 'atomsync-kube-e2e-'));
  });

  afterEach(async () => {
    await kube.close();
    await rm(work, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]): Promise<string> {
    const result = await runKubectl(kube, args);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  async function installCrdAndNamespaces(): Promise<void> {
    await kubectl('apply', '-f', CRD);
    await kubectl('apply', '-f', example('install/namespace.yaml'));
  }

  it('kubectl apply of the CRD, the namespaces and the example AtomVersions is accepted', async () => {
    await installCrdAndNamespaces();
    const applied = await kubectl('apply', '-f', example('atomversions.yaml'));
    expect(applied.trim().split('\n')).toEqual([
      'atomversion.atomsync.io/prod-east-molecule created',
      'atomversion.atomsync.io/staging-atom created',
      'atomversion.atomsync.io/prod-west-atom created',
      'atomversion.atomsync.io/dev-atom created',
      'atomversion.atomsync.io/qa-molecule created',
      'atomversion.atomsync.io/eu-atom created',
    ]);
    const listed = await kubectl('get', 'av', '-n', 'integration', '-o', 'name');
    expect(listed.trim().split('\n')).toHaveLength(6);
  });

  it('the API server refuses an AtomVersion with a bad version string, with the schema message', async () => {
    await installCrdAndNamespaces();
    const bad = join(work, 'bad.yaml');
    await writeFile(
      bad,
      [
        'apiVersion: atomsync.io/v1alpha1',
        'kind: AtomVersion',
        'metadata: { name: bad-version, namespace: integration }',
        'spec: { account: acme-prod, runtime: { name: Prod West Atom }, version: "v26.12.0" }',
      ].join('\n'),
    );
    const result = await runKubectl(kube, ['apply', '-f', bad]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'The AtomVersion "bad-version" is invalid: spec.version: Invalid value: "v26.12.0": ' +
        "spec.version in body should match '^[0-9]+(\\.[0-9]+){1,3}$'",
    );
  });

  it('installs the shared-platform kustomization with kubectl apply -k: two replicas, a platform URL, Secrets', async () => {
    const applied = await kubectl('apply', '-k', example('install'));
    expect(applied).toContain(
      'customresourcedefinition.apiextensions.k8s.io/atomversions.atomsync.io created',
    );
    expect(applied).toContain('deployment.apps/atomsync created');
    const deployment = kube.store.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'atomsync',
      namespace: 'atomsync',
    });
    expect(deployment?.spec).toMatchObject({ replicas: 2 });
    const secret = kube.store.get({
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'boomi-acme-prod',
      namespace: 'atomsync',
    });
    expect(Object.keys((secret?.data ?? {}) as object).sort()).toEqual(['token', 'username']);
    const config = await loadExampleConfig(work, 'install');
    expect(config.platform).toMatchObject({ url: 'https://api.boomi.com' });
  });

  it('renders the demo overlay offline: one replica, Recreate, the embedded simulator', async () => {
    const rendered = await kubectl('kustomize', example('demo'));
    const documents = parseAllDocuments(rendered).map((d) => d.toJS() as KubeObject);
    const deployment = documents.find((d) => d.kind === 'Deployment') as
      { spec: { replicas: number; strategy: { type: string } } } | undefined;
    expect(deployment?.spec.replicas).toBe(1);
    expect(deployment?.spec.strategy).toEqual({ type: 'Recreate' });
    const config = await loadExampleConfig(work, 'demo');
    expect(config.platform).toMatchObject({ embedded: { scenario: '/app/examples/sim/demo.yaml' } });
    await kubectl('apply', '-k', example('demo'));
    expect(
      kube.store.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'atomsync', namespace: 'atomsync' })
        ?.spec,
    ).toMatchObject({ replicas: 1 });
  });

  it('the config in the example ConfigMap is a valid atomsync config with a kubernetes source and tenancy', async () => {
    const config = await loadExampleConfig(work, 'install');
    expect(config.sources).toEqual([{ kind: 'kubernetes', namespaces: ['integration'] }]);
    expect(config.tenancy).toEqual({ namespaces: { integration: ['acme-prod', 'acme-dev'] } });
    expect(config.server.listen).toBe('0.0.0.0:8080');
  });

  it('from kubectl apply to status and events: kubectl get av -o wide shows Runtime, Account, Version, Synced, Ready and its reason', async () => {
    await installCrdAndNamespaces();
    const config = await loadExampleConfig(work);
    const source = new KubeSource({ kubeConfig: kc, namespaces: ['integration'], coalesceMs: 10 });
    const snapshots: SourceSnapshot[] = [];
    await source.start((snapshot) => snapshots.push(snapshot));
    try {
      await kubectl('apply', '-f', example('atomversions.yaml'));
      await waitUntil(() => (snapshots.at(-1)?.desired.length ?? 0) === 6);

      const writer = new KubeStatusWriter({ kubeConfig: kc, observe: (key) => source.getObject(key) });
      const events = new KubeEventRecorder({ kubeConfig: kc, reportingInstance: 'atomsync-0' });
      const desiredNow = snapshots.at(-1)?.desired ?? [];
      const book = accountBookOf(config);
      const isRefused = (d: DesiredAtomVersion) =>
        tenancyDenial(config.tenancy, book, d.namespace, d.spec.account) !== undefined;
      const allowed = desiredNow.filter((d) => !isRefused(d));
      const refused = desiredNow.filter(isRefused);
      expect(refused.map((d) => d.name)).toEqual(['eu-atom']);
      const now = '2026-11-23T08:00:00.000Z';
      for (const desired of allowed) {
        expect(await writer.write(standInReconcile(desired, now))).toBe('written');
      }
      for (const desired of refused) {
        expect(await writer.write(refusedStatus(desired, config, now))).toBe('written');
      }
      const prodWest = allowed.find((d) => d.name === 'prod-west-atom');
      if (!prodWest) throw new Error('prod-west-atom missing');
      await events.record(
        blockedPinEvent(
          { namespace: 'integration', name: 'prod-west-atom' },
          {
            kind: 'pack',
            name: 'Salesforce to NetSuite',
            wanted: '8',
            outcome: 'Blocked',
            reason: 'InstallBaseLock',
            message: 'held by the install-base lock until 2026-12-10',
          },
        ),
      );

      // A second pass with the same outcome writes nothing.
      const writesBefore = writer.stats().writes;
      for (const desired of allowed) await writer.write(standInReconcile(desired, now));
      expect(writer.stats().writes).toBe(writesBefore);

      const table = await kubectl('get', 'av', '-n', 'integration', '-o', 'wide');
      expect(tableColumns(table, 7)).toEqual([
        ['NAME', 'RUNTIME', 'ACCOUNT', 'VERSION', 'SYNCED', 'READY', 'REASON'],
        ['dev-atom', 'Dev Atom', 'acme-dev', '26.11.0', 'True', 'True', 'InSync'],
        ['eu-atom', 'EU Atom', 'acme-eu', '', 'Unknown', 'False', 'AccountNotAllowed'],
        ['prod-east-molecule', 'Prod East Molecule', 'acme-prod', '26.12.0', 'True', 'True', 'InSync'],
        ['prod-west-atom', 'Prod West Atom', 'acme-prod', '', 'True', 'True', 'InSync'],
        ['qa-molecule', 'QA Molecule', 'acme-dev', '26.12.0', 'True', 'True', 'InSync'],
        ['staging-atom', 'Staging Atom', 'acme-prod', '26.12.0', 'True', 'True', 'InSync'],
      ]);
      const eu = await kubectl(
        'get',
        'av',
        'eu-atom',
        '-n',
        'integration',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Stalled")].reason}',
      );
      expect(eu).toBe('AccountNotAllowed');
      const eventList = await kubectl('get', 'events.events.k8s.io', '-n', 'integration');
      expect(eventList).toContain('InstallBaseLock');
    } finally {
      await source.stop();
    }
  });
});

/** The atomsync.yaml of an example kustomization (install or demo), as `kubectl kustomize` renders it. */
async function loadExampleConfig(work: string, kustomization = 'install') {
  const rendered = await runKubectl({ kubeconfigPath: join(work, 'kubeconfig') }, [
    'kustomize',
    example(kustomization),
  ]);
  if (rendered.code !== 0) throw new Error(`kubectl kustomize failed: ${rendered.stderr}`);
  const configMap = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS() as { kind?: string; data?: Record<string, string> })
    .find((d) => d.kind === 'ConfigMap');
  const file = join(work, `${kustomization}-atomsync.yaml`);
  await writeFile(file, configMap?.data?.['atomsync.yaml'] ?? '');
  return loadConfig(file);
}

/** What a reconcile that found everything in sync would record. */
/** What the controller's pass writes for an AtomVersion tenancy refuses: planned without reading the platform. */
function refusedStatus(desired: DesiredAtomVersion, config: AtomsyncConfig, now: string): AtomVersionStatus {
  const at = new Date(now);
  const planned = plan(
    [desired],
    { takenAt: now, accounts: {} },
    {
      now: at,
      maxConcurrentRestarts: 2,
      defaultWindows: [],
      accounts: accountBookOf(config),
      ...(config.tenancy ? { tenancy: config.tenancy } : {}),
    },
  );
  return buildStatus(undefined, {
    kind: 'plan',
    doc: desired,
    revision: desired.generation,
    trigger: 'change',
    startedAt: at,
    finishedAt: at,
    pins: planned.pins.map(toPinStatus),
    drift: planned.drift,
    sent: [],
    inFlight: [],
    finished: [],
  });
}

function standInReconcile(desired: DesiredAtomVersion, now: string): AtomVersionStatus {
  const conditions = [
    {
      type: 'Ready' as const,
      status: 'True' as const,
      reason: 'InSync',
      message: 'every pin is met',
      lastTransitionTime: now,
    },
    {
      type: 'Drifted' as const,
      status: 'False' as const,
      reason: 'InSync',
      message: 'no drift',
      lastTransitionTime: now,
    },
  ];
  return {
    key: desired.key,
    observedGeneration: desired.generation,
    conditions,
    pins: desired.spec.version
      ? [
          {
            kind: 'runtime',
            name: 'Atom',
            wanted: desired.spec.version,
            current: desired.spec.version,
            outcome: 'InSync',
            message: 'in sync',
          },
        ]
      : [],
    runtimeName: desired.spec.runtime.name ?? '',
    history: [],
  };
}

/** The first `count` columns of kubectl's table, cut at the header's column starts (empty cells stay empty). */
function tableColumns(table: string, count: number): string[][] {
  const [header = '', ...lines] = table.replace(/\n$/, '').split('\n');
  const starts = [...header.matchAll(/\S+/g)].map((m) => m.index ?? 0);
  const cut = (line: string) =>
    starts.slice(0, count).map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim());
  return [header, ...lines].map(cut);
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
