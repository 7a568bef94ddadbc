// Server-side apply and managedFields in the fake API server, through the real kubectl and client-node:
// `kubectl apply --server-side` owns the fields it applied, a status write as field manager atomsync
// shows up in `kubectl get av --show-managed-fields`, and taking a field another manager set is a 409
// conflict unless forced.
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { startFakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';

const CRD_FILE = fileURLToPath(new URL('../../../crds/atomversion.yaml', import.meta.url));

let kube: FakeKube;

beforeAll(async () => {
  kube = await startFakeKube({ crdFiles: [CRD_FILE], namespaces: ['integration'] });
});

afterAll(async () => {
  await kube?.close();
});

function manifest(version: string): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    'metadata: { name: prod-east, namespace: integration }',
    'spec:',
    '  account: acme-prod',
    '  runtime: { name: Prod East Molecule }',
    `  version: "${version}"`,
    '',
  ].join('\n');
}

interface Entry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1: Record<string, Record<string, unknown>>;
}

async function managedFields(): Promise<Entry[]> {
  const shown = await runKubectl(kube, [
    'get',
    'av',
    'prod-east',
    '-n',
    'integration',
    '--show-managed-fields',
    '-o',
    'yaml',
  ]);
  return (parse(shown.stdout) as { metadata: { managedFields: Entry[] } }).metadata.managedFields;
}

describe('server-side apply and managedFields', () => {
  it('kubectl apply --server-side and atomsync status writes each own their fields', async () => {
    const applied = await runKubectl(kube, ['apply', '--server-side', '-f', '-'], manifest('26.11.0'));
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim()).toBe('atomversion.atomsync.io/prod-east serverside-applied');

    const kc = new KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObjectStatus(
      {
        group: 'atomsync.io',
        version: 'v1alpha1',
        namespace: 'integration',
        plural: 'atomversions',
        name: 'prod-east',
        body: { status: { observedGeneration: 1, synced: 'True' } },
        fieldManager: 'atomsync',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    const entries = await managedFields();
    expect(entries.map((e) => [e.manager, e.operation, e.subresource])).toEqual([
      ['kubectl', 'Apply', undefined],
      ['atomsync', 'Update', 'status'],
    ]);
    expect(entries[0]?.fieldsV1['f:spec']).toMatchObject({ 'f:account': {}, 'f:version': {} });
    expect(entries[1]?.fieldsV1).toEqual({ 'f:status': { 'f:observedGeneration': {}, 'f:synced': {} } });
    const plain = await runKubectl(kube, ['get', 'av', 'prod-east', '-n', 'integration', '-o', 'yaml']);
    expect(plain.stdout).not.toContain('managedFields');
  });

  it('a field another manager changed is a conflict for the next apply, unless forced', async () => {
    const patched = await runKubectl(kube, [
      'patch',
      'av',
      'prod-east',
      '-n',
      'integration',
      '--type',
      'merge',
      '-p',
      '{"spec":{"version":"26.12.0"}}',
    ]);
    expect(patched.code).toBe(0);
    const entries = await managedFields();
    expect(entries.find((e) => e.manager === 'kubectl-patch')?.fieldsV1).toEqual({
      'f:spec': { 'f:version': {} },
    });
    expect(entries.find((e) => e.manager === 'kubectl')?.fieldsV1['f:spec']).not.toHaveProperty('f:version');

    const conflict = await runKubectl(kube, ['apply', '--server-side', '-f', '-'], manifest('26.10.0'));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl-patch" using atomsync.io/v1alpha1: .spec.version',
    );

    const forced = await runKubectl(
      kube,
      ['apply', '--server-side', '--force-conflicts', '-f', '-'],
      manifest('26.10.0'),
    );
    expect(forced.code).toBe(0);
    const version = await runKubectl(kube, [
      'get',
      'av',
      'prod-east',
      '-n',
      'integration',
      '-o',
      'jsonpath={.spec.version}',
    ]);
    expect(version.stdout).toBe('26.10.0');
    expect((await managedFields()).map((e) => e.manager)).toEqual(['atomsync', 'kubectl']);
  });
});
