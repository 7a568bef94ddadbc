// Issue 12, Deliver 5 on Kubernetes: "a second document kind, IntegrationPackRelease (… as a second
// CRD)" — before, crds/integrationpackrelease.yaml shipped but the controller watched only AtomVersions,
// so a release applied with kubectl was never sent. The real kubectl against the fake API server, the
// built `atomsync run` with a kubernetes source, the simulator as the platform: an applied release is
// sent and shows Ready with the request's status in `kubectl get integrationpackreleases`; an edit bumps
// the generation and observedGeneration follows; a release from an account that does not publish the
// pack, one the config does not have, or one with a date the CRD cannot check (Feb 30), is Stalled with its reason and a Warning Event, and the other
// release stays Ready; a replica that takes over the Lease, with a state folder of its own, reads from
// the status what the previous leader was sending and does not send it again.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { FAST_LEASE_ENV, KubeControllerWorld } from './support/kube-controller-world.js';
import { REPO_ROOT } from './support/repo.js';

const PUBLISHER = 'acme-publisher-A1B2C3';
const PATIENCE_MS = 30_000;

interface ReleaseStatus {
  observedGeneration?: number;
  lastRequestId?: string;
  releaseStatus?: string;
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

let world: KubeControllerWorld;

function config(platformUrl: string): string {
  const admin = 'username: BOOMI_TOKEN.admin@demo.atomsync, tokenFile: admin.token';
  return `apiVersion: atomsync.io/v1alpha1
kind: Config
platform: { url: ${platformUrl}, requestsPerSecond: 100, timeoutSeconds: 5 }
accounts:
  acme-publisher: { accountId: ${PUBLISHER}, ${admin} }
  acme-dev: { accountId: acme-dev-G7H8I9, ${admin} }
sources:
  - { kind: kubernetes, namespaces: [publishing] }
tenancy: { namespaces: { publishing: [acme-publisher, acme-dev] } }
stateDir: state
server: { listen: 127.0.0.1:0 }
`;
}

function release(name: string, account: string, timing: string, version: string): string {
  return `apiVersion: atomsync.io/v1alpha1
kind: IntegrationPackRelease
metadata: { name: ${name}, namespace: publishing }
spec:
  account: ${account}
  pack: Workday Sync
  components:
    - { componentId: c-workers, version: "${version}" }
  ${timing}
`;
}

function statusOf(name: string): ReleaseStatus | undefined {
  const object = world.kube.store.get({
    apiVersion: 'atomsync.io/v1alpha1',
    kind: 'IntegrationPackRelease',
    name,
    namespace: 'publishing',
  }) as { status?: ReleaseStatus } | undefined;
  return object?.status;
}

function statusWhere(name: string, accept: (status: ReleaseStatus) => boolean): Promise<ReleaseStatus> {
  return eventually(
    async () => {
      const status = statusOf(name);
      return status && accept(status) ? status : undefined;
    },
    () => `${name}: ${JSON.stringify(statusOf(name))}\n${world.replicas[0]?.text()}`,
    PATIENCE_MS,
  );
}

const condition = (status: ReleaseStatus | undefined, type: string) =>
  status?.conditions?.find((c) => c.type === type);

const releasesSent = () => world.sim.packReleasesSent(PUBLISHER);

beforeAll(async () => {
  await ensureBuilt();
  world = await KubeControllerWorld.start();
  await world.kubectl('apply', '-f', join(REPO_ROOT, 'crds', 'integrationpackrelease.yaml'));
  await world.kubectl('wait', '--for', 'condition=established', 'crd/integrationpackreleases.atomsync.io');
  await world.applyManifest(
    'namespaces.yaml',
    ['atomsync', 'publishing']
      .map((name) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`)
      .join('---\n'),
  );
  await world.startReplica('atomsync-0', { config, env: FAST_LEASE_ENV });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('atomsync run on Kubernetes reconciles IntegrationPackReleases', () => {
  it('sends an applied release and shows it Ready with the request status in kubectl get', async () => {
    await world.applyManifest(
      'workday.yaml',
      release('workday', 'acme-publisher', 'release: immediately', '2.0'),
    );
    const done = await statusWhere('workday', (s) => condition(s, 'Ready')?.status === 'True');
    expect(done).toMatchObject({ observedGeneration: 1, releaseStatus: 'SUCCESS' });
    expect(done.lastRequestId).toMatch(/\S+/);
    const table = await world.kubectl('get', 'integrationpackreleases', '-n', 'publishing');
    expect(table).toMatch(/workday\s+Workday Sync\s+(<none>)?\s*SUCCESS\s+(\S+\s+)?True/);
    expect(await releasesSent()).toBe(1);
  });

  it('follows an edit: the new generation is sent once and observedGeneration follows', async () => {
    await world.applyManifest(
      'workday.yaml',
      release('workday', 'acme-publisher', 'releaseOn: 2026-12-20', '3.0'),
    );
    const scheduled = await statusWhere('workday', (s) => s.observedGeneration === 2);
    expect(scheduled.releaseStatus).toBe('SCHEDULED');
    expect(condition(scheduled, 'Ready')).toMatchObject({ status: 'True', reason: 'Scheduled' });
    const wide = await world.kubectl('get', 'ipr', 'workday', '-n', 'publishing', '-o', 'wide');
    expect(wide).toMatch(/2026-12-20\s+SCHEDULED/);
    expect(await releasesSent()).toBe(2);
  });

  it('stalls a release from an account that does not publish the pack, that the config lacks, or with an impossible date, with a Warning Event', async () => {
    await world.applyManifest('wrong.yaml', release('wrong', 'acme-dev', 'release: immediately', '4.0'));
    await world.applyManifest('ghost.yaml', release('ghost', 'acme-nobody', 'release: immediately', '4.0'));
    const wrong = await statusWhere('wrong', (s) => condition(s, 'Stalled')?.status === 'True');
    expect(condition(wrong, 'Stalled')?.reason).toBe('NotPublisher');
    expect(condition(wrong, 'Ready')).toMatchObject({ status: 'False', reason: 'NotPublisher' });
    const ghost = await statusWhere('ghost', (s) => condition(s, 'Stalled')?.status === 'True');
    expect(condition(ghost, 'Stalled')?.reason).toBe('UnknownAccount');
    const events = await eventually(
      async () => {
        const text = await world.kubectl('get', 'events', '-n', 'publishing');
        return text.includes('integrationpackrelease/ghost') ? text : undefined;
      },
      'the Warning events',
      PATIENCE_MS,
    );
    expect(events).toMatch(/Warning\s+NotPublisher\s+integrationpackrelease\/wrong/);
    expect(events).toMatch(/Warning\s+UnknownAccount\s+integrationpackrelease\/ghost/);
    await world.applyManifest(
      'feb30.yaml',
      release('feb30', 'acme-publisher', 'releaseOn: 2026-02-30', '4.0'),
    );
    const invalid = await statusWhere('feb30', (s) => condition(s, 'Stalled')?.status === 'True');
    expect(condition(invalid, 'Stalled')).toMatchObject({ reason: 'InvalidSpec' });
    expect(condition(invalid, 'Stalled')?.message).toContain(
      "spec.releaseOn: '2026-02-30' is not a date of the calendar",
    );
    expect(condition(statusOf('workday'), 'Ready')?.status).toBe('True');
    expect(await releasesSent()).toBe(2);
  });

  it('a replica taking over the Lease reads from the status what the old leader was sending, and does not send it again', async () => {
    await world.replicas[0]!.kill('SIGKILL');
    // Not waiting out the dead leader's Lease (docs/kubernetes.md, "Leader election"): it is released here.
    await world.kubectl('delete', 'lease', 'atomsync-leader', '-n', 'atomsync');
    await world.applyManifest(
      'workday.yaml',
      release('workday', 'acme-publisher', 'release: immediately', '5.0'),
    );
    // The old leader died between marking generation 3 as being sent and the platform's answer.
    const marked = JSON.stringify({ status: { sendingGeneration: 3 } });
    await world.kubectl(
      'patch',
      'ipr',
      'workday',
      '-n',
      'publishing',
      '--subresource=status',
      '--type=merge',
      '-p',
      marked,
    );
    await world.startReplica('atomsync-1', { config, env: FAST_LEASE_ENV });
    const stalled = await statusWhere('workday', (s) => s.observedGeneration === 3);
    expect(condition(stalled, 'Stalled')).toMatchObject({ status: 'True', reason: 'SendOutcomeUnknown' });
    expect(world.leaseHolder()).toBe('atomsync-1');
    expect(await releasesSent()).toBe(2);
  });
});
