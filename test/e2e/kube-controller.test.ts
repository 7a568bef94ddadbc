// atomsync's controller in Kubernetes, end to end: the real kubectl against the fake API server, the built
// CLI (`atomsync run`) as child processes with a kubernetes source, and the simulator as the platform.
// What a user sees: AtomVersions applied with kubectl are reconciled and report back in `kubectl get av`;
// edits are followed (also across a dropped watch and a 410); of two replicas only the Lease holder acts,
// and when it dies the other takes over within the lease duration plus two retries without sending any request twice; an invalid
// AtomVersion never reaches the controller.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACME_EU, ACME_PROD, eventually } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import {
  EXAMPLES_DIR,
  EXAMPLE_READY,
  FAST_LEASE_ENV,
  KubeControllerWorld,
  requestIdentity,
  type AtomVersionStatusFields,
  type PlatformRequest,
} from './support/kube-controller-world.js';
import type { KubeReplica } from './support/kube-replica.js';

const PATIENCE_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;
/**
 * A standby leads within the lease duration plus two jittered retry periods (up to 2.2 × the period
 * each) of the leader's death. The replicas here run about half the default timings (FAST_LEASE_ENV:
 * 8 s / 5 s / 1 s), so the bound is 8 s + 2 × 2.2 s, rounded up to 13 s (the defaults' 15 s + 2 × 2 s is
 * the issue's 20 s).
 */
const FAILOVER_BOUND_MS = 13_000;

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

describe('atomsync run in Kubernetes (fake API server, real kubectl, simulator)', () => {
  let world: KubeControllerWorld;

  beforeEach(async () => {
    world = await KubeControllerWorld.start();
    await world.installCrdAndNamespaces();
  });
  afterEach(async () => {
    await world?.close();
  });

  /** Starts a replica and waits until it holds the Lease. */
  async function startLeader(podName = 'atomsync-0', env?: Record<string, string>): Promise<KubeReplica> {
    const replica = await world.startReplica(podName, env ? { env } : {});
    await eventually(
      async () => world.leaseHolder() === podName,
      () => `${podName} to take the Lease; its output:\n${replica.text()}`,
      PATIENCE_MS,
    );
    return replica;
  }

  async function waitForExamplesConverged(replica: KubeReplica): Promise<void> {
    await eventually(
      async () =>
        Object.entries(EXAMPLE_READY).every(([name, expected]) => {
          const status = world.statusOf(name);
          return ready(status) === expected && !reconciling(status);
        }),
      () => `every example AtomVersion to settle; statuses: ${statusSummary(world)}\n${replica.text()}`,
      PATIENCE_MS,
    );
  }

  /** Waits until the AtomVersion's status observed its current generation and is Ready. */
  async function waitForReadyAtGeneration(
    name: string,
    replica: KubeReplica,
  ): Promise<AtomVersionStatusFields> {
    return eventually(
      async () => {
        const status = world.statusOf(name);
        const current = status?.observedGeneration === world.generationOf(name);
        return current && ready(status) === 'True' && !reconciling(status) ? status : undefined;
      },
      () =>
        `${name} to be Ready at generation ${world.generationOf(name)}; status: ${JSON.stringify(world.statusOf(name))}\n${replica.text()}`,
      PATIENCE_MS,
    );
  }

  it(
    'reconciles the example AtomVersions applied with kubectl, and kubectl get av shows Synced and Ready',
    async () => {
      const replica = await startLeader();
      world.runClock();
      const applied = await world.kubectl('apply', '-f', join(EXAMPLES_DIR, 'atomversions.yaml'));
      expect(applied).toContain('atomversion.atomsync.io/prod-east-molecule created');
      await waitForExamplesConverged(replica);

      const rows = parseGetAv(await world.kubectl('get', 'av', '-n', 'integration', '-o', 'wide'));
      for (const [name, expected] of Object.entries(EXAMPLE_READY)) {
        // eu-atom's account is refused by tenancy: the platform was never asked, so SYNCED is Unknown.
        const synced = name === 'eu-atom' ? 'Unknown' : expected;
        expect(rows.get(name), name).toMatchObject({ SYNCED: synced, READY: expected });
      }
      expect(rows.get('prod-east-molecule')).toMatchObject({
        RUNTIME: 'Prod East Molecule',
        VERSION: '26.12.0',
      });
      expect(rows.get('dev-atom')).toMatchObject({ RUNTIME: 'Dev Atom', VERSION: '26.11.0' });
      expect(readyReason(world.statusOf('prod-west-atom'))).toBe('InstallBaseLock');
      expect(readyReason(world.statusOf('eu-atom'))).toBe('AccountNotAllowed');

      expect(await world.platformVersion(ACME_PROD, 'Prod East Molecule')).toBe('26.12.0');
      expect(await world.platformVersion(ACME_PROD, 'Prod East Molecule', 'HTTP Client')).toBe('26.12.0');
      expect(await world.platformVersion(ACME_PROD, 'Staging Atom', 'Salesforce')).toBe('26.11.1');
      const requests = await world.platformRequests();
      const runtimes = new Set(requests.map((request) => `${request.accountId}/${request.atomId}`));
      expect(runtimes.size).toBe(4); // prod-east, staging, dev, qa; nothing for prod-west or eu-atom
      expect(requests.filter((request) => request.accountId === ACME_EU)).toEqual([]);
      expect(new Set(requests.map((request) => request.id))).toEqual(new Set(replica.sentRequestIds()));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an edit made with kubectl patch is reconciled: a new request for the new version, and the status observes the new generation',
    async () => {
      const replica = await startLeader();
      world.runClock();
      await world.applyManifest('staging.yaml', atomVersionYaml('staging-atom', 'Staging Atom', '26.11.0'));
      const before = await waitForReadyAtGeneration('staging-atom', replica);
      expect(before).toMatchObject({ observedGeneration: 1, runtimeVersion: '26.11.0', synced: 'True' });
      expect(await world.platformRequests()).toEqual([]);

      await world.kubectl(
        'patch',
        'av',
        'staging-atom',
        '-n',
        'integration',
        '--type',
        'merge',
        '-p',
        '{"spec":{"version":"26.12.0"}}',
      );
      expect(world.generationOf('staging-atom')).toBe(2);
      const after = await waitForReadyAtGeneration('staging-atom', replica);
      expect(after).toMatchObject({ observedGeneration: 2, runtimeVersion: '26.12.0', synced: 'True' });
      const requests = await world.platformRequests();
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        action: 'APPLY_PENDING',
        components: ['Atom'],
        status: 'COMPLETE',
      });
      expect(await world.platformVersion(ACME_PROD, 'Staging Atom')).toBe('26.12.0');
      const jsonpath = await world.kubectl(
        'get',
        'av',
        'staging-atom',
        '-n',
        'integration',
        '-o',
        'jsonpath={.metadata.generation} {.status.observedGeneration}',
      );
      expect(jsonpath).toBe('2 2');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a change made while the watch is down (dropped, or expired with 410 Gone) is still reconciled',
    async () => {
      const replica = await startLeader();
      world.runClock();
      await world.applyManifest(
        'pins.yaml',
        [
          atomVersionYaml('staging-atom', 'Staging Atom', '26.11.0'),
          atomVersionYaml('qa-molecule', 'QA Molecule', '26.11.0', 'acme-dev'),
        ].join('---\n'),
      );
      await waitForReadyAtGeneration('staging-atom', replica);
      await waitForReadyAtGeneration('qa-molecule', replica);

      // Dropped: the change lands before the watch is back, which must resume from where it was.
      world.kube.dropWatches();
      world.kube.store.patch(avRef('staging-atom'), { spec: { version: '26.12.0' } });
      const dropped = await waitForReadyAtGeneration('staging-atom', replica);
      expect(dropped).toMatchObject({ observedGeneration: 2, runtimeVersion: '26.12.0' });

      // Expired: every resourceVersion the controller knows is now too old, so resuming gets 410 Gone.
      const requestsBefore = world.kube.requests.length;
      world.kube.compact();
      world.kube.dropWatches();
      world.kube.store.patch(avRef('qa-molecule'), { spec: { version: '26.12.0' } });
      const expired = await waitForReadyAtGeneration('qa-molecule', replica);
      expect(expired).toMatchObject({ observedGeneration: 2, runtimeVersion: '26.12.0' });
      const relisted = world.kube.requests
        .slice(requestsBefore)
        .some((request) => request.path.endsWith('/atomversions') && request.query.watch !== 'true');
      expect(relisted, 'the controller listed AtomVersions again after the 410').toBe(true);

      const requests = await world.platformRequests();
      expect(requests.map(requestIdentity).sort()).toEqual(
        [...new Set(requests.map(requestIdentity))].sort(),
      );
      expect(requests.filter((request) => request.components?.includes('Atom'))).toHaveLength(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'of two replicas only the Lease holder acts; when it is killed the other takes over within the lease duration plus two retries and sends no request twice',
    async () => {
      const first = await startLeader('atomsync-0', FAST_LEASE_ENV);
      const second = await world.startReplica('atomsync-1', { env: FAST_LEASE_ENV });
      await eventually(
        async () => second.logLines().some((line) => line.msg === 'listening'),
        () => `atomsync-1 to start; output:\n${second.text()}`,
        PATIENCE_MS,
      );
      // The simulator's clock stands still: the first requests stay in flight while the leader dies.
      await world.kubectl('apply', '-f', join(EXAMPLES_DIR, 'atomversions.yaml'));
      await eventually(
        async () => first.sentRequestIds().length >= 2 && (await world.platformRequests()).length >= 2,
        () => `atomsync-0 to send its first requests; output:\n${first.text()}`,
        PATIENCE_MS,
      );
      expect(world.leaseHolder()).toBe('atomsync-0');
      expect(second.leads()).toBe(false);
      expect(second.sentRequestIds()).toEqual([]);

      const killedAt = Date.now();
      await first.kill('SIGKILL');
      // Everything on the platform now is the old leader's (it may have died before logging the last ones).
      const sentBeforeDeath = new Set((await world.platformRequests()).map((request) => request.id));
      const failoverMs = await eventually(
        async () => (world.leaseHolder() === 'atomsync-1' ? Date.now() - killedAt : undefined),
        () => `atomsync-1 to take the Lease; output:\n${second.text()}`,
        PATIENCE_MS,
      );
      console.info(`failover: atomsync-1 took the Lease ${failoverMs} ms after atomsync-0 was killed`);
      expect(failoverMs).toBeLessThan(FAILOVER_BOUND_MS);

      // Work that only the new leader can do: an AtomVersion that arrives after the old leader died.
      await world.applyManifest(
        'private-cloud.yaml',
        atomVersionYaml('private-cloud', 'Acme Private Cloud', '26.12.0'),
      );
      world.runClock();
      await waitForExamplesConverged(second);
      await waitForReadyAtGeneration('private-cloud', second);
      const requests = await world.platformRequests();
      expectNoRequestTwice(requests);
      const sentByFirst = first.sentRequestIds();
      const sentBySecond = second.sentRequestIds();
      const privateCloud = await world.sim.atomId(ACME_PROD, 'Acme Private Cloud');
      const privateCloudRequests = requests.filter((request) => request.atomId === privateCloud);
      expect(privateCloudRequests).toHaveLength(1);
      expect(sentBySecond).toContain(privateCloudRequests[0]?.id);
      expect(sentByFirst.every((id) => sentBeforeDeath.has(id))).toBe(true);
      expect(sentBySecond.filter((id) => sentBeforeDeath.has(id))).toEqual([]);
      expect(new Set(requests.map((request) => request.id))).toEqual(
        new Set([...sentBeforeDeath, ...sentBySecond]),
      );
      expect(await world.platformVersion(ACME_PROD, 'Prod East Molecule')).toBe('26.12.0');
      expect(await world.platformVersion(ACME_PROD, 'Acme Private Cloud')).toBe('26.12.0');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an invalid AtomVersion is refused by kubectl apply with the schema message and the controller never acts on it',
    async () => {
      const replica = await startLeader();
      world.runClock();
      const bad = await world.kubectlResult(
        ['apply', '-f', '-'],
        atomVersionYaml('bad-version', 'Staging Atom', 'v26.12.0'),
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr.trim()).toBe(
        'The AtomVersion "bad-version" is invalid: spec.version: Invalid value: "v26.12.0": ' +
          "spec.version in body should match '^[0-9]+(\\.[0-9]+){1,3}$'",
      );

      // A valid AtomVersion applied afterwards is reconciled: the controller was watching all along.
      await world.applyManifest('good.yaml', atomVersionYaml('staging-atom', 'Staging Atom', '26.11.0'));
      await waitForReadyAtGeneration('staging-atom', replica);
      expect(world.atomVersion('bad-version')).toBeUndefined();
      expect(await world.platformRequests()).toEqual([]);
      expect(await world.platformVersion(ACME_PROD, 'Staging Atom')).toBe('26.11.0');
      expect(replica.text()).not.toContain('bad-version');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'kubectl shows who changed a runtime in the platform UI: status.changedBy and the Drifted message name the AuditLog entry (issue 12, Deliver 4)',
    async () => {
      const replica = await world.startReplica('atomsync-0', { args: ['--resync', '2s'] });
      world.runClock();
      const observed = atomVersionYaml('staging-atom', 'Staging Atom', '26.11.0').replace(
        'version: "26.11.0" }',
        'version: "26.11.0", policy: { mode: observe } }',
      );
      await world.applyManifest('staging.yaml', observed);
      await waitForReadyAtGeneration('staging-atom', replica);
      expect(world.statusOf('staging-atom')?.changedBy).toBeUndefined();

      await world.sim.call('POST', '/_sim/ui', {
        accountId: ACME_PROD,
        atomId: await world.sim.atomId(ACME_PROD, 'Staging Atom'),
        action: 'APPLY_PENDING',
        components: ['Atom'],
        userId: 'jane@acme.example',
      });
      const changedBy = await eventually(
        async () => world.statusOf('staging-atom')?.changedBy,
        () =>
          `status.changedBy; status: ${JSON.stringify(world.statusOf('staging-atom'))}\n${replica.text()}`,
        PATIENCE_MS,
      );
      expect(changedBy).toMatch(
        /^Atom 26\.12\.0 applied in the UI by jane@acme\.example at \S+ \d\d:\d\d UTC/,
      );
      const shown = await world.kubectl(
        'get',
        'av',
        'staging-atom',
        '-n',
        'integration',
        '-o',
        'jsonpath={.status.changedBy}|{.status.conditions[?(@.type=="Drifted")].message}',
      );
      expect(shown).toBe(
        `${changedBy}|Atom runs 26.12.0, pinned 26.11.0 (ObserveOnly: set policy.mode: enforce to reconcile) — ${changedBy}`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});

function expectNoRequestTwice(requests: PlatformRequest[]): void {
  const counts = new Map<string, number>();
  for (const request of requests)
    counts.set(requestIdentity(request), (counts.get(requestIdentity(request)) ?? 0) + 1);
  expect([...counts].filter(([, count]) => count > 1)).toEqual([]);
}

function atomVersionYaml(name: string, runtime: string, version: string, account = 'acme-prod'): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    `metadata: { name: ${name}, namespace: integration }`,
    `spec: { account: ${account}, runtime: { name: ${runtime} }, version: "${version}" }`,
    '',
  ].join('\n');
}

function avRef(name: string) {
  return { apiVersion: 'atomsync.io/v1alpha1', kind: 'AtomVersion', name, namespace: 'integration' };
}

function ready(status: AtomVersionStatusFields | undefined): string | undefined {
  return status?.conditions?.find((condition) => condition.type === 'Ready')?.status;
}

function readyReason(status: AtomVersionStatusFields | undefined): string | undefined {
  return status?.conditions?.find((condition) => condition.type === 'Ready')?.reason;
}

function reconciling(status: AtomVersionStatusFields | undefined): boolean {
  return status?.conditions?.find((condition) => condition.type === 'Reconciling')?.status === 'True';
}

function statusSummary(world: KubeControllerWorld): string {
  return Object.keys(EXAMPLE_READY)
    .map((name) => `${name}: Ready ${ready(world.statusOf(name))} (${readyReason(world.statusOf(name))})`)
    .join(', ');
}

/** `kubectl get av -o wide` as rows of NAME → {RUNTIME, ACCOUNT, VERSION, SYNCED, READY, REASON, STATUS, AGE}. */
function parseGetAv(table: string): Map<string, Record<string, string>> {
  const [header = '', ...rows] = table.trimEnd().split('\n');
  const columns = [...header.matchAll(/\S+/g)].map((match) => ({ name: match[0], at: match.index }));
  const result = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const cells: Record<string, string> = {};
    columns.forEach((column, index) => {
      const end = columns[index + 1]?.at ?? row.length;
      cells[column.name] = row.slice(column.at, end).trim();
    });
    result.set(cells.NAME ?? '', cells);
  }
  return result;
}
