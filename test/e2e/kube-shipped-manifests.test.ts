// The shipped manifests start as shipped (issue 10, Why 1 and 5): the kustomizations in
// examples/kubernetes are applied unchanged with the real kubectl, and `atomsync run` starts with exactly
// the Deployment's args and environment (test/e2e/support/shipped-pod.ts) — no ACME_* variables, no
// token files — and with the ServiceAccount's token, so the fake API server holds it to the shipped Role.
// It used to die with "environment variable ACME_PROD_USERNAME (usernameEnv) is not set".
// A Secret rotated with kubectl is used by the next platform call of the same process.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import {
  EXAMPLES_DIR,
  EXAMPLE_READY,
  KubeControllerWorld,
  type AtomVersionStatusFields,
} from './support/kube-controller-world.js';
import type { KubeReplica } from './support/kube-replica.js';
import { startShippedPod } from './support/shipped-pod.js';
import { setTimeout as delay } from 'node:timers/promises';

const PATIENCE_MS = 60_000;
/** How long atomsync reuses a Secret read (controller/kube/credentials.ts, docs/kubernetes.md). */
const SECRET_REUSE_MS = 5_000;
const TEST_TIMEOUT_MS = 150_000;

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

function condition(status: AtomVersionStatusFields | undefined, type: string) {
  return status?.conditions?.find((c) => c.type === type);
}

describe('the shipped manifests, applied unchanged', () => {
  let world: KubeControllerWorld;

  beforeEach(async () => {
    world = await KubeControllerWorld.start();
  });
  afterEach(async () => {
    await world?.close();
  });

  async function install(kustomization: 'demo' | 'install'): Promise<void> {
    await world.kubectl('apply', '-k', join(EXAMPLES_DIR, kustomization));
    await world.kubectl('wait', '--for', 'condition=established', 'crd/atomversions.atomsync.io');
    await world.kubectl('apply', '-f', join(EXAMPLES_DIR, 'atomversions.yaml'));
  }

  async function startPod(podName: string, platformUrl?: string): Promise<KubeReplica> {
    const pod = await startShippedPod(world.kube, {
      podName,
      home: join(world.dir, podName),
      ...(platformUrl ? { platformUrl } : {}),
    });
    world.replicas.push(pod);
    return pod;
  }

  async function waitForExamples(pod: KubeReplica): Promise<void> {
    await eventually(
      async () =>
        Object.entries(EXAMPLE_READY).every(([name, ready]) => {
          const status = world.statusOf(name);
          return (
            condition(status, 'Ready')?.status === ready &&
            condition(status, 'Reconciling')?.status !== 'True' &&
            status?.observedGeneration === world.generationOf(name)
          );
        }),
      () =>
        `the example AtomVersions to settle; statuses: ${JSON.stringify(
          Object.keys(EXAMPLE_READY).map((name) => [name, world.statusOf(name)?.conditions]),
        )}\n${pod.text()}`,
      PATIENCE_MS,
    );
  }

  /** The pod ran as the Deployment's ServiceAccount, and the shipped Role allowed all it asked. */
  function expectHeldToShippedRole(): void {
    const asPod = world.kube.requests.filter((r) => r.user === 'system:serviceaccount:atomsync:atomsync');
    expect(asPod.length).toBeGreaterThan(0);
    expect(asPod.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  }

  it(
    'demo overlay: one pod with the embedded simulator starts from the Deployment alone and reconciles the examples',
    async () => {
      await install('demo');
      const pod = await startPod('atomsync-5c7d9-demo1');

      await waitForExamples(pod);

      expect(world.leaseHolder()).toBe('atomsync-5c7d9-demo1');
      expect(pod.text()).not.toContain('is not set');
      expect(condition(world.statusOf('eu-atom'), 'Stalled')).toMatchObject({
        status: 'True',
        reason: 'AccountNotAllowed',
      });
      const table = await world.kubectl('get', 'av', '-n', 'integration', '-o', 'wide');
      expect(table).toMatch(
        /prod-east-molecule\s+Prod East Molecule\s+acme-prod\s+26\.12\.0\s+True\s+True\s+InSync/,
      );
      await world.kubectl(
        'wait',
        '--for=condition=Ready',
        'av/prod-east-molecule',
        '-n',
        'integration',
        '--timeout=10s',
      );
      expectHeldToShippedRole();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shared-platform install: a Secret rotated with kubectl is used by the next call, without a restart',
    async () => {
      world.runClock();
      await install('install');
      const pod = await startPod('atomsync-5c7d9-shared1', world.sim.url);
      await waitForExamples(pod);

      await rotateSecret('boomi-acme-dev', 'revoked-token-0000');
      // A Secret read is reused for at most 5 s (docs/kubernetes.md): the first call after that reads
      // the rotated one. Without the wait, the pass the edit below causes may still use the old token.
      await delay(SECRET_REUSE_MS + 500);
      await setAllowPackReattach(true);
      const refused = await eventually(
        async () => {
          const ready = condition(world.statusOf('dev-atom'), 'Ready');
          return ready?.status === 'False' && /401|Unauthorized|credential/i.test(ready.message ?? '')
            ? ready
            : undefined;
        },
        () =>
          `dev-atom to report the refused credential: ${JSON.stringify(world.statusOf('dev-atom'))}\n${pod.text()}`,
        PATIENCE_MS,
      );
      expect(refused.message).not.toContain('revoked-token-0000');

      await rotateSecret('boomi-acme-dev', 'demo-admin-token');
      await setAllowPackReattach(false);
      await eventually(
        async () => {
          const status = world.statusOf('dev-atom');
          return (
            condition(status, 'Ready')?.status === 'True' &&
            status?.observedGeneration === world.generationOf('dev-atom')
          );
        },
        () =>
          `dev-atom to be Ready again with the rotated Secret: ${JSON.stringify(world.statusOf('dev-atom'))}`,
        PATIENCE_MS,
      );
      expect(pod.logLines().filter((line) => line.msg === 'leading: this replica reconciles')).toHaveLength(
        1,
      );
      expect(pod.text()).not.toContain('revoked-token-0000');
      expectHeldToShippedRole();
    },
    TEST_TIMEOUT_MS,
  );

  /** A spec edit (a new generation) that starts a pass. */
  async function setAllowPackReattach(value: boolean): Promise<void> {
    const patch = JSON.stringify({ spec: { policy: { allowPackReattach: value } } });
    await world.kubectl('patch', 'av', 'dev-atom', '-n', 'integration', '--type', 'merge', '-p', patch);
  }

  /** How an operator rotates a token: regenerate the Secret and apply it. */
  async function rotateSecret(name: string, token: string): Promise<void> {
    const manifest = await world.kubectl(
      'create',
      'secret',
      'generic',
      name,
      '-n',
      'atomsync',
      '--from-literal=username=BOOMI_TOKEN.admin@demo.atomsync',
      `--from-literal=token=${token}`,
      '--dry-run=client',
      '-o',
      'yaml',
    );
    const result = await world.kubectlResult(['apply', '-f', '-'], manifest);
    if (result.code !== 0) throw new Error(`kubectl apply of the rotated Secret failed: ${result.stderr}`);
  }
});
