// What the AtomVersion CRD says (issue 10, Deliver 3), as the real kubectl sees it against the fake API
// server: CEL rules (x-kubernetes-validations, evaluated by the fake's CEL subset) refuse with human
// messages; list-type map keys refuse a connector listed twice; `kubectl explain` reads the descriptions;
// the printer columns are Flux's (READY, STATUS, AGE) with RUNTIME, and `-o wide` adds the rest.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { startFakeKube } from '../../fakes/kube-api-server.js';
import { runKubectl } from '../../fakes/kube/run-kubectl.js';
import { CelError, evaluateCel } from '../../fakes/kube/cel.js';

const CRD_FILE = fileURLToPath(new URL('../../../crds/atomversion.yaml', import.meta.url));
const NAMESPACE = 'integration';

function avYaml(name: string, spec: string): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    `metadata: { name: ${name}, namespace: ${NAMESPACE} }`,
    'spec:',
    '  account: acme-prod',
    '  runtime: { name: Staging Atom }',
    ...spec.split('\n').map((line) => `  ${line}`),
    '',
  ].join('\n');
}

describe('the AtomVersion CRD through kubectl', () => {
  let kube: FakeKube;
  beforeAll(async () => {
    kube = await startFakeKube({ crdFiles: [CRD_FILE], namespaces: [NAMESPACE] });
  });
  afterAll(async () => {
    await kube.close();
  });

  async function applyRefused(yaml: string): Promise<string> {
    const result = await runKubectl(kube, ['apply', '-f', '-'], yaml);
    expect(result.code).not.toBe(0);
    return result.stderr.trim();
  }

  it('refuses version and channel together with the rule message', async () => {
    const stderr = await applyRefused(avYaml('both', 'version: "26.12.0"\nchannel: released'));
    expect(stderr).toContain(
      'spec: Invalid value: "object": set either version (an exact version) or channel (released or pending), not both',
    );
  });

  it('refuses a connector listed twice (list-type map keyed by name)', async () => {
    const stderr = await applyRefused(
      avYaml(
        'twice',
        'connectors:\n  - { name: HTTP Client, version: 26.12.0 }\n  - { name: HTTP Client, version: 26.11.0 }',
      ),
    );
    expect(stderr).toContain(
      'spec.connectors[1]: Duplicate value: map[string]interface {}{"name":"HTTP Client"}',
    );
  });

  it('refuses an integration pack version below 1 and a zero or week-long window with the rule messages', async () => {
    const pack = await applyRefused(
      avYaml('pack', 'integrationPacks: [{ name: Salesforce to NetSuite, version: 0 }]'),
    );
    expect(pack).toContain("an integration pack's version is its release count in this account (1, 2, …)");
    const zero = await applyRefused(
      avYaml('zero', "policy: { windows: [{ kind: allow, schedule: '0 22 * * SAT', duration: 0h }] }"),
    );
    expect(zero).toContain(
      `spec.policy.windows[0].duration: Invalid value: "object": a window's duration must be longer than zero, e.g. 4h`,
    );
    const long = await applyRefused(
      avYaml('long', "policy: { windows: [{ kind: allow, schedule: '0 22 * * SAT', duration: 200h }] }"),
    );
    expect(long).toContain('a window lasts at most a week (168h)');
  });

  it('accepts a valid AtomVersion; get shows RUNTIME READY STATUS AGE, -o wide adds ACCOUNT VERSION SYNCED REASON', async () => {
    const ok = await runKubectl(
      kube,
      ['apply', '-f', '-'],
      avYaml(
        'good',
        'version: "26.12.0"\npolicy: { windows: [{ kind: allow, schedule: \'0 22 * * SAT\', duration: 4h }] }',
      ),
    );
    expect(ok.stderr).toBe('');
    kube.store.patchStatus(
      { apiVersion: 'atomsync.io/v1alpha1', kind: 'AtomVersion', name: 'good', namespace: NAMESPACE },
      {
        status: {
          runtimeVersion: '26.11.0',
          synced: 'False',
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'ApplyingPending',
              message: 'sent apply pending Atom on Staging Atom',
              lastTransitionTime: '2026-11-23T08:00:00Z',
            },
          ],
        },
      },
    );
    const table = (await runKubectl(kube, ['get', 'av', '-n', NAMESPACE])).stdout.split('\n');
    expect(table[0]?.split(/\s{2,}/)).toEqual(['NAME', 'RUNTIME', 'READY', 'STATUS', 'AGE']);
    expect(table[1]).toMatch(
      /^good\s+Staging Atom\s+False\s+sent apply pending Atom on Staging Atom\s+\d+s$/,
    );
    const wide = (await runKubectl(kube, ['get', 'av', '-n', NAMESPACE, '-o', 'wide'])).stdout.split('\n');
    expect(wide[0]?.split(/\s{2,}/)).toEqual([
      'NAME',
      'RUNTIME',
      'ACCOUNT',
      'VERSION',
      'SYNCED',
      'READY',
      'REASON',
      'STATUS',
      'AGE',
    ]);
    expect(wide[1]).toMatch(
      /^good\s+Staging Atom\s+acme-prod\s+26\.11\.0\s+False\s+False\s+ApplyingPending\s+sent/,
    );
  });

  it('refuses a sync state outside its enum and a condition type listed twice', async () => {
    const ref = {
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      name: 'good',
      namespace: NAMESPACE,
    };
    expect(() => kube.store.patchStatus(ref, { status: { synced: 'Tampered' } })).toThrow(/supported values/);
    const ready = { type: 'Ready', status: 'True', lastTransitionTime: '2026-11-23T08:00:00Z' };
    expect(() => kube.store.patchStatus(ref, { status: { conditions: [ready, ready] } })).toThrow(
      /status.conditions\[1\]: Duplicate value/,
    );
  });

  it('kubectl explain av.spec shows the descriptions', async () => {
    const explained = await runKubectl(kube, ['explain', 'av.spec']);
    expect(explained.stderr).toBe('');
    expect(explained.stdout).toContain('What the runtime should run.');
    expect(explained.stdout).toMatch(/channel\s+<string>/);
    expect(explained.stdout).toContain('Follow the released version, or take the pending one');
    const windows = await runKubectl(kube, ['explain', 'av.spec.policy.windows.duration']);
    expect(windows.stdout).toContain('How long the window stays open, e.g. 4h or 1h30m.');
  });
});

describe('the CEL subset of the fake API server', () => {
  it('evaluates has(), logic, comparisons, size(), matches() and durations', () => {
    const self = { version: '26.12.0', connectors: [{ name: 'a' }], duration: '1h30m' };
    expect(evaluateCel('!(has(self.version) && has(self.channel))', self)).toBe(true);
    expect(evaluateCel('size(self.connectors) == 1 && self.connectors.size() < 2', self)).toBe(true);
    expect(evaluateCel("self.version.matches('^26\\\\.') ? 'x' : 'y'", self)).toBe('x');
    expect(evaluateCel("duration(self.duration) > duration('90m')", self)).toBe(false);
    expect(evaluateCel("duration(self.duration) >= duration('90m')", self)).toBe(true);
    expect(evaluateCel('-1 + 3 >= 2 || false', self)).toBe(true);
  });

  it('reports what it does not know as an error, not as a pass', () => {
    expect(() => evaluateCel('self.all(x, x > 1)', [1])).toThrow(CelError);
    expect(() => evaluateCel('self.missing == 1', {})).toThrow('no such key: missing');
    expect(() => evaluateCel("duration('soon') > duration('0s')", {})).toThrow("invalid duration 'soon'");
  });
});
