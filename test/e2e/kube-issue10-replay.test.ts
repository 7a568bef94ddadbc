// Issue 10's observations ("Why"), replayed as a platform engineer would: the real kubectl against the
// fake API server, one `atomsync run` replica (the built CLI) leading, the simulator as the platform
// behind a proxy that can refuse update requests with a 400. One world for the whole file: each test
// works on its own AtomVersions and runtimes, so they do not disturb each other.
// Why 1 and 5 (the shipped manifests, the embedded demo) are replayed in kube-shipped-manifests.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_DEV, ACME_PROD, eventually } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { KubeControllerWorld, type AtomVersionStatusFields } from './support/kube-controller-world.js';
import type { KubeReplica } from './support/kube-replica.js';
import { RefusingPlatform } from './support/refusing-platform.js';

const PATIENCE_MS = 45_000;
const TEST_TIMEOUT_MS = 90_000;

interface ConditionFields {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

let world: KubeControllerWorld;
let platform: RefusingPlatform;
let replica: KubeReplica;

beforeAll(async () => {
  await ensureBuilt();
  world = await KubeControllerWorld.start();
  await world.installCrdAndNamespaces();
  platform = await RefusingPlatform.start(world.sim.url);
  replica = await world.startReplica('atomsync-0', {
    platformUrl: platform.url,
    args: ['--resync', '2s'],
    // A repeat bumps its Event's series at most once a second here (60 s by default).
    env: { ATOMSYNC_EVENT_SERIES_INTERVAL: '1s' },
  });
  await eventually(
    async () => world.leaseHolder() === 'atomsync-0',
    () => `atomsync-0 to take the Lease; its output:\n${replica.text()}`,
    PATIENCE_MS,
  );
  world.runClock();
}, 240_000);

afterAll(async () => {
  await world?.close();
  await platform?.close();
});

describe('issue 10 replayed with kubectl', () => {
  it(
    'Why 2: an edit that needs no platform action moves observedGeneration, so kubectl wait sees it; a status overwritten through /status is put back',
    async () => {
      await apply(avYaml('dev', 'Dev Atom', 'version: "26.12.0"', undefined, 'acme-dev'));
      await world.kubectl(...inNs('wait', '--for=condition=Ready', 'av/dev', '--timeout=30s'));

      await world.kubectl(
        ...inNs('patch', 'av', 'dev', '--type', 'merge', '-p', '{"spec":{"policy":{"mode":"observe"}}}'),
      );
      expect(world.generationOf('dev')).toBe(2);
      await world.kubectl(...inNs('wait', '--for=condition=Ready', 'av/dev', '--timeout=30s'));
      expect(
        await world.kubectl(
          ...inNs('get', 'av', 'dev', '-o', 'jsonpath={.metadata.generation} {.status.observedGeneration}'),
        ),
      ).toBe('2 2');

      const tampered = {
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'Tampered',
              message: 'edited by hand',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
          ],
        },
      };
      await world.kubectl(
        ...inNs('patch', 'av', 'dev', '--subresource=status', '--type=merge', '-p', JSON.stringify(tampered)),
      );
      await eventually(
        async () =>
          (await world.kubectl(
            ...inNs('get', 'av', 'dev', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}'),
          )) === 'InSync',
        () => `the Ready condition to be put back: ${JSON.stringify(world.statusOf('dev'))}`,
        PATIENCE_MS,
      );
      expect(condition(world.statusOf('dev'), 'Ready')).toMatchObject({ status: 'True' });
      expect(await world.kubectl(...inNs('get', 'av', 'dev', '-o', 'wide'))).toMatch(
        /dev\s+Dev Atom\s+acme-dev\s+26\.12\.0\s+True\s+True\s+InSync\s+1 pin in sync/,
      );
      const described = await world.kubectl(...inNs('describe', 'av', 'dev'));
      expect(described).toMatch(/Generation:\s+2\n/);
      expect(described).toMatch(/Observed Generation:\s+2\n/);
      expect(described).not.toContain('Tampered');
      // The status put back is atomsync's again (fieldManager atomsync, not "node-fetch").
      const managed = await world.kubectl(
        ...inNs(
          'get',
          'av',
          'dev',
          '--show-managed-fields',
          '-o',
          'jsonpath={range .metadata.managedFields[*]}{.manager}/{.subresource}={.fieldsV1.f:status.f:conditions}{"\\n"}{end}',
        ),
      );
      expect(managed).toMatch(/^atomsync\/status=.*"k:\{\\"type\\":\\"Ready\\"\}"/m);
      expect(managed).not.toContain('node-fetch');
      expect(await world.platformRequests()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Why 3: an AtomVersion with a bad cron or time zone is Stalled InvalidSpec on itself and blocks nobody else; one listing a connector twice is refused by the API server',
    async () => {
      await apply(
        avYaml('healthy', 'Staging Atom', 'version: "26.11.0"'),
        avYaml(
          'bad-cron',
          'Prod West Atom',
          'version: "26.11.0"',
          "policy: { windows: [{ kind: allow, schedule: 'every saturday night', duration: 4h }] }",
        ),
        avYaml(
          'bad-zone',
          'Acme Private Cloud',
          'version: "26.11.0"',
          "policy: { windows: [{ kind: allow, schedule: '0 22 * * SAT', duration: 4h, timeZone: Mars/Olympus }] }",
        ),
      );
      await waitForCondition('healthy', 'Ready', 'True');
      const cron = await waitForCondition('bad-cron', 'Stalled', 'True');
      expect(cron.reason).toBe('InvalidSpec');
      expect(cron.message).toMatch(
        /^spec\.policy\.windows\[0\]\.schedule: must be a five-field cron expression .*What to do: fix the spec \(kubectl edit atomversion bad-cron -n integration\)/,
      );
      const zone = await waitForCondition('bad-zone', 'Stalled', 'True');
      expect(zone.message).toContain("spec.policy.windows[0].timeZone: unknown time zone 'Mars/Olympus'");

      // The healthy one is not touched by its neighbours' problems (it used to read Stalled=InvalidPins).
      expect(condition(world.statusOf('healthy'), 'Stalled')).toMatchObject({
        status: 'False',
        reason: 'SourceReady',
      });
      expect(world.statusOf('bad-cron')?.observedGeneration).toBe(1);

      // kubectl shows it: wait for Stalled works, Ready never comes, the Warning is an Event.
      await world.kubectl(...inNs('wait', '--for=condition=Stalled', 'av/bad-cron', '--timeout=10s'));
      const table = await world.kubectl(...inNs('get', 'av'));
      expect(table).toMatch(
        /bad-cron\s+Prod West Atom\s+False\s+spec\.policy\.windows\[0\]\.schedule: must be a five-field cron/,
      );
      expect(table).toMatch(/healthy\s+Staging Atom\s+True\s+1 pin in sync/);
      expect(await world.kubectl(...inNs('get', 'av', 'bad-zone', '-o', 'wide'))).toMatch(
        /bad-zone\s+Acme Private Cloud\s+acme-prod\s+Unknown\s+False\s+InvalidSpec\s+spec\.policy\.windows\[0\]\.timeZone/,
      );
      const notReady = await world.kubectlResult(
        inNs('wait', '--for=condition=Ready', 'av/bad-cron', '--timeout=2s'),
      );
      expect(notReady.code).not.toBe(0);
      const events = await eventually(
        async () => {
          const text = await world.kubectl(...inNs('get', 'events'));
          return text.includes('atomversion/bad-zone') && text.includes('atomversion/bad-cron')
            ? text
            : undefined;
        },
        'the InvalidSpec warnings in kubectl get events',
        PATIENCE_MS,
      );
      expect(events).toMatch(/Warning\s+InvalidSpec\s+atomversion\/bad-cron/);
      const described = await world.kubectl(...inNs('describe', 'av', 'bad-zone'));
      expect(described).toMatch(
        /Warning\s+InvalidSpec\s+\S+\s+atomsync\.io\/controller\s+spec\.policy\.windows\[0\]\.timeZone: unknown time zone/,
      );
      // A connector listed twice no longer gets in at all: the CRD's list is a map keyed by name.
      const twice = await world.kubectlResult(
        ['apply', '-f', '-'],
        avYaml(
          'twice',
          'Acme Private Cloud',
          'version: "26.11.0"',
          'connectors: [{ name: HTTP Client, version: 26.12.0 }, { name: HTTP Client, version: 26.11.0 }]',
        ),
      );
      expect(twice.code).not.toBe(0);
      expect(twice.stderr).toContain(
        'spec.connectors[1]: Duplicate value: map[string]interface {}{"name":"HTTP Client"}',
      );
      expect(await world.platformRequests()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Why 4: spec.credentialsRef is refused by kubectl apply: the field left the CRD',
    async () => {
      const refused = await world.kubectlResult(
        ['apply', '-f', '-'],
        avYaml(
          'with-ref',
          'EU Atom',
          'channel: pending',
          'credentialsRef: { name: boomi-eu, namespace: team-eu }',
        ),
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('unknown field "spec.credentialsRef"');
      expect(world.atomVersion('with-ref')).toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Why 3: two AtomVersions on one runtime are both Stalled DuplicateRuntime, the first keeps following its spec, and deleting one frees the other',
    async () => {
      await apply(avYaml('qa', 'QA Molecule', 'version: "26.11.0"', undefined, 'acme-dev'));
      await waitForCondition('qa', 'Ready', 'True');

      await apply(avYaml('qa-copy', 'QA Molecule', 'version: "26.12.0"', undefined, 'acme-dev'));
      for (const name of ['qa', 'qa-copy']) {
        const stalled = await waitForCondition(name, 'Stalled', 'True');
        expect(stalled.reason).toBe('DuplicateRuntime');
      }
      expect(condition(world.statusOf('qa'), 'Stalled')?.message).toContain(
        "runtime 'QA Molecule' of account acme-dev is also pinned by AtomVersion integration/qa-copy",
      );
      expect(condition(world.statusOf('qa'), 'Ready')).toMatchObject({
        status: 'False',
        reason: 'DuplicateRuntime',
      });
      const table = await world.kubectl(...inNs('get', 'av', '-o', 'wide'));
      for (const name of ['qa', 'qa-copy']) {
        expect(table).toMatch(
          new RegExp(
            `${name}\\s+QA Molecule\\s+acme-dev\\s+Unknown\\s+False\\s+DuplicateRuntime\\s+runtime 'QA Molecule'`,
          ),
        );
      }
      expect(await world.kubectl(...inNs('describe', 'av', 'qa-copy'))).toMatch(
        /Warning\s+DuplicateRuntime\s+\S+\s+atomsync\.io\/controller\s+runtime 'QA Molecule' of account acme-dev is also pinned by AtomVersion integration\/qa/,
      );
      const notReady = await world.kubectlResult(
        inNs('wait', '--for=condition=Ready', 'av/qa', '--timeout=1s'),
      );
      expect(notReady.code).not.toBe(0);

      // An edit of the first one is not frozen silently: its status observes the new generation.
      await world.kubectl(
        ...inNs('patch', 'av', 'qa', '--type', 'merge', '-p', '{"spec":{"policy":{"mode":"observe"}}}'),
      );
      await eventually(
        async () => world.statusOf('qa')?.observedGeneration === 2,
        () => `qa's status to observe generation 2: ${JSON.stringify(world.statusOf('qa'))}`,
        PATIENCE_MS,
      );
      expect(await world.platformVersion(ACME_DEV, 'QA Molecule')).toBe('26.11.0');

      await world.kubectl(...inNs('delete', 'av', 'qa-copy'));
      await world.kubectl(...inNs('wait', '--for=condition=Ready', 'av/qa', '--timeout=30s'));
      expect(condition(world.statusOf('qa'), 'Stalled')).toMatchObject({ status: 'False' });
      expect(world.statusOf('qa')?.observedGeneration).toBe(2);
      expect(await world.platformRequests()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Why 6: a request the platform refuses with 400 is Stalled PlatformRefused and not sent again',
    async () => {
      const atomId = await world.sim.atomId(ACME_PROD, 'Prod East Molecule');
      platform.refuseUpdatesOf(atomId);
      await apply(avYaml('prod-east', 'Prod East Molecule', 'version: "26.12.0"'));
      const stalled = await waitForCondition('prod-east', 'Stalled', 'True');
      expect(stalled.reason).toBe('PlatformRefused');
      expect(stalled.message).toContain('is locked for updates');
      expect(condition(world.statusOf('prod-east'), 'Reconciling')).toMatchObject({ status: 'False' });

      // Several resyncs (every 2 s here) later, the refused request was still sent only once.
      const passes = async () => reconcileCount(await metricsText());
      const before = await passes();
      await eventually(async () => (await passes()) >= before + 20, 'twenty more passes', PATIENCE_MS);
      expect(platform.refused).toHaveLength(1);
      expect(condition(world.statusOf('prod-east'), 'Stalled')).toMatchObject({ reason: 'PlatformRefused' });
      const wide = await world.kubectl(...inNs('get', 'av', 'prod-east', '-o', 'wide'));
      expect(wide).toMatch(
        /prod-east\s+Prod East Molecule\s+acme-prod\s+26\.11\.0\s+False\s+False\s+PlatformRefused\s+the platform refused the request: /,
      );
      expect(await world.kubectl(...inNs('get', 'events'))).toMatch(
        /Warning\s+PlatformRefused\s+atomversion\/prod-east\s+the platform refused the request/,
      );
      expect(await world.kubectl(...inNs('describe', 'av', 'prod-east'))).toMatch(
        /Reason:\s+PlatformRefused\s+Status:\s+True\s+Type:\s+Stalled/,
      );
      const notReady = await world.kubectlResult(
        inNs('wait', '--for=condition=Ready', 'av/prod-east', '--timeout=1s'),
      );
      expect(notReady.code).not.toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Why 6: a tenancy-refused AtomVersion does not claim the runtime runs what the pins ask; Event notes keep the advice apart; Why 2: a repeated warning bumps one Event series; the leader is a metric',
    async () => {
      await apply(
        avYaml('eu', 'EU Atom', 'channel: pending', undefined, 'acme-eu'),
        avYaml(
          'prod-west',
          'Prod West Atom',
          'channel: released',
          'integrationPacks: [{ name: Salesforce to NetSuite, version: 8 }]',
        ),
      );
      const drifted = await waitForCondition('eu', 'Drifted', 'Unknown');
      expect(drifted.reason).toBe('AccountNotAllowed');
      expect(drifted.message).not.toContain('the runtime runs what the pins ask');
      expect(condition(world.statusOf('eu'), 'Stalled')).toMatchObject({
        status: 'True',
        reason: 'AccountNotAllowed',
      });
      expect(world.statusOf('eu')?.synced).toBe('Unknown');
      const described = await world.kubectl(...inNs('describe', 'av', 'eu'));
      expect(described).toMatch(/Reason:\s+AccountNotAllowed\s+Status:\s+Unknown\s+Type:\s+Drifted/);
      expect(described).not.toContain('the runtime runs what the pins ask');
      expect(await world.kubectl(...inNs('get', 'av', 'eu', '-o', 'wide'))).toMatch(
        /eu\s+EU Atom\s+acme-eu\s+\S*\s*Unknown\s+False\s+AccountNotAllowed\s+/,
      );

      await waitForCondition('prod-west', 'Ready', 'False');
      const note = await eventually(
        async () => {
          const text = await world.kubectl(
            ...inNs('get', 'events', '-o', 'jsonpath={range .items[*]}{.reason}={.message}{"\\n"}{end}'),
          );
          return text.split('\n').find((line) => line.startsWith('InstallBaseLock='));
        },
        'the InstallBaseLock warning',
        PATIENCE_MS,
      );
      expect(note).toContain('(R13). What to do: the update arrives by itself on its release date');

      // Why 2 ("no Event series was ever bumped"): the block repeats on every resync, and stays one Event
      // whose series count grows — kubectl get events -o wide shows the count, describe "(xN over …)".
      const series = await eventually(
        async () => {
          const lines = (
            await world.kubectl(
              ...inNs(
                'get',
                'events',
                '--field-selector=involvedObject.name=prod-west,reason=InstallBaseLock',
                '-o',
                'jsonpath={range .items[*]}{.series.count}{"\\n"}{end}',
              ),
            )
          ).trim();
          return Number(lines.split('\n').at(-1)) >= 2 ? lines.split('\n') : undefined;
        },
        'the InstallBaseLock Event series to be bumped',
        PATIENCE_MS,
      );
      expect(series).toHaveLength(1);
      const wide = await world.kubectl(...inNs('get', 'events', '-o', 'wide'));
      const row = wide.split('\n').find((line) => /InstallBaseLock\s+atomversion\/prod-west/.test(line));
      expect(Number(/(\d+)\s*$/.exec(row ?? '')?.[1])).toBeGreaterThanOrEqual(2);
      expect(wide.split('\n')[0]).toMatch(/\sCOUNT\s*$/);
      expect(await world.kubectl(...inNs('describe', 'av', 'prod-west'))).toMatch(
        /Warning\s+InstallBaseLock\s+\S+ \(x\d+ over \S+\)\s+atomsync\.io\/controller/,
      );

      expect(await metricsText()).toMatch(/^atomsync_leader 1$/m);
    },
    TEST_TIMEOUT_MS,
  );
});

async function apply(...documents: string[]): Promise<void> {
  const result = await world.kubectlResult(['apply', '-f', '-'], documents.join('---\n'));
  if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
}

function inNs(...args: string[]): string[] {
  return [...args, '-n', 'integration'];
}

function avYaml(name: string, runtime: string, pin: string, extra?: string, account = 'acme-prod'): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    `metadata: { name: ${name}, namespace: integration }`,
    'spec:',
    `  account: ${account}`,
    `  runtime: { name: ${runtime} }`,
    `  ${pin}`,
    ...(extra ? [`  ${extra}`] : []),
    '',
  ].join('\n');
}

function condition(status: AtomVersionStatusFields | undefined, type: string): ConditionFields | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Waits until the AtomVersion's condition has this status at its current generation. */
async function waitForCondition(name: string, type: string, status: string): Promise<ConditionFields> {
  return eventually(
    async () => {
      const current = world.statusOf(name);
      if (current?.observedGeneration !== world.generationOf(name)) return undefined;
      const found = condition(current, type);
      return found?.status === status ? found : undefined;
    },
    () =>
      `${name} to have ${type}=${status}; status: ${JSON.stringify(world.statusOf(name))}\n${replica.text().slice(-4000)}`,
    PATIENCE_MS,
  );
}

async function metricsText(): Promise<string> {
  const url = replica.url();
  if (!url) throw new Error(`the replica did not log its URL:\n${replica.text()}`);
  return (await fetch(`${url}/metrics`)).text();
}

function reconcileCount(metrics: string): number {
  return [...metrics.matchAll(/^atomsync_reconcile_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}
