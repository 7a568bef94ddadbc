// Issue 11, "a reviewed plan is what is applied": `atomsync plan --out plan.json` saves a plan, and
// `atomsync apply plan.json` applies exactly it — or, when the platform or the pins moved since, says
// "the saved plan is stale", names what moved, sends nothing and exits 1. Replays the observation
// "`apply` always plans again …: a request carries an intent (APPLY_PENDING) but no expected version, so
// it applies whatever is pending at that moment, reviewed or not". The CLI as a user runs it, against
// simulators over HTTP on loopback (one each, so the cases run side by side), moved through /_sim/ and
// the platform's own API between plan and apply.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_DEV, ACME_PROD, SimHandle } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { REPO_ROOT } from './support/repo.js';
import { runCli, type CliResult } from './support/run-cli.js';
import { copyExamples, type Workspace } from './support/workspace.js';
import { editPinDocuments, pinName } from './support/yaml-edit.js';

const PUBLISHER = 'acme-publisher-A1B2C3';
const SOMEONE_IN_THE_UI = 'jane.doe@acme.example';

type Case = 'unchanged' | 'new-pending-release' | 'ui-click' | 'pins-edited';
const CASES: Case[] = ['unchanged', 'new-pending-release', 'ui-click', 'pins-edited'];

let ws: Workspace;
const sims = new Map<Case, SimHandle>();
const plans = new Map<Case, CliResult>();
const applies = new Map<Case, CliResult>();

function config(url: string, name: Case): string {
  const account = (alias: string, id: string) => [
    `  ${alias}:`,
    `    accountId: ${id}`,
    '    username: BOOMI_TOKEN.admin@demo.atomsync',
    '    tokenFile: sim/demo-admin.token',
  ];
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: Config',
    `platform: { url: "${url}", requestsPerSecond: 100, timeoutSeconds: 30 }`,
    'accounts:',
    ...account('acme-prod', ACME_PROD),
    ...account('acme-dev', ACME_DEV),
    ...account('acme-eu', 'acme-eu-J1K2L3'),
    'sources:',
    `  - { kind: directory, path: ${name === 'pins-edited' ? 'pins-edited' : 'pins'}, namespace: integration }`,
    `stateDir: .state-${name}`,
    '',
  ].join('\n');
}

const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });

/** The requests the platform accepted (any user). */
async function requestsOn(sim: SimHandle): Promise<{ atomId: string; kind: string; createdBy: string }[]> {
  const state = (await sim.call('GET', '/_sim/state')) as {
    requests: Record<string, { atomId: string; kind: string; createdBy: string }>;
  };
  return Object.values(state.requests);
}

async function releaseWorkdaySyncOnADate(sim: SimHandle): Promise<void> {
  const packs = (await sim.call('POST', `/api/rest/v1/${PUBLISHER}/IntegrationPack/query`, {
    QueryFilter: { expression: { property: 'name', operator: 'EQUALS', argument: ['Workday Sync'] } },
  })) as { result: { id: string }[] };
  await sim.call('POST', `/api/rest/v1/${PUBLISHER}/ReleaseIntegrationPack`, {
    id: packs.result[0]?.id,
    releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
    releaseOnDate: '2026-12-20T00:00:00.000Z',
  });
}

async function rollBackInTheUi(sim: SimHandle): Promise<void> {
  await sim.call('POST', '/_sim/ui', {
    accountId: ACME_DEV,
    atomId: await sim.atomId(ACME_DEV, 'Dev Atom'),
    action: 'ROLLBACK',
    components: ['HTTP Client'],
    userId: SOMEONE_IN_THE_UI,
  });
}

async function editDevAtomPin(): Promise<void> {
  await editPinDocuments(ws.path('pins-edited'), (doc) => {
    if (pinName(doc) === 'qa-molecule') doc.setIn(['spec', 'version'], '26.11.0');
    return true;
  });
}

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await cp(ws.path('pins'), ws.path('pins-edited'), { recursive: true });
  for (const name of CASES) {
    const sim = await SimHandle.start({ clock: 'manual' });
    sims.set(name, sim);
    await writeFile(ws.path(`${name}.yaml`), config(sim.url, name));
  }
  // Each case: plan (saved), the world moves (or not), apply the saved plan. The cases run side by side.
  await Promise.all(
    CASES.map(async (name) => {
      plans.set(
        name,
        await cli('plan', '-c', `${name}.yaml`, '--target', 'acme-dev', '--out', `${name}.json`),
      );
    }),
  );
  const sim = (name: Case) => sims.get(name)!;
  await Promise.all([
    releaseWorkdaySyncOnADate(sim('new-pending-release')),
    rollBackInTheUi(sim('ui-click')),
    editDevAtomPin(),
  ]);
  await Promise.all(
    CASES.map(async (name) => {
      applies.set(name, await cli('apply', '-c', `${name}.yaml`, `${name}.json`));
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([...sims.values()].map((sim) => sim.close()));
  await ws?.remove();
});

async function savedPlan(name: Case): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(ws.path(`${name}.json`), 'utf8')) as Record<string, unknown>;
}

describe('plan --out plan.json', () => {
  it('saves the plan with what it was made from: formatVersion, atomsync version, times, inputs, observed versions, diagnostics', async () => {
    expect(plans.get('unchanged')?.code).toBe(0);
    const plan = await savedPlan('unchanged');
    expect(plan).toMatchObject({
      formatVersion: '2',
      atomsync: { version: '0.1.0' },
      platformTime: expect.stringMatching(/^2026-11-23T08:00:/) as string,
      inputs: { config: { file: 'unchanged.yaml' }, target: ['acme-dev'] },
      diagnostics: [],
    });
    // generatedAt is the wall time, not the platform's (which the manual clock holds in 2026-11-23).
    expect(Math.abs(Date.parse(plan['generatedAt'] as string) - Date.now())).toBeLessThan(120_000);
    expect((plan['inputs'] as { pins: { key: string; file: string }[] }).pins).toContainEqual(
      expect.objectContaining({ key: 'integration/dev-atom', file: 'pins/acme-dev.yaml' }),
    );
    const observed = plan['observed'] as { runtimeName: string; components: unknown[]; packs: unknown[] }[];
    expect(observed.map((r) => r.runtimeName)).toEqual(['Dev Atom', 'QA Molecule']);
    expect(observed[0]?.components).toContainEqual({
      name: 'HTTP Client',
      version: '26.12.0',
      rollbackVersion: '26.11.0',
    });
    expect(observed[0]?.packs).toContainEqual(expect.objectContaining({ name: 'Workday Sync', version: 5 }));
  });

  it('is valid against the documented JSON Schema (docs/plan.schema.json)', async () => {
    const schema = JSON.parse(await readFile(`${REPO_ROOT}/docs/plan.schema.json`, 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    for (const name of CASES) {
      const valid = validate(await savedPlan(name));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });
});

describe('apply plan.json', () => {
  it('applies a saved plan unchanged: exactly its requests, without asking', async () => {
    const apply = applies.get('unchanged')!;
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply: 3 request(s) sent');
    const sent = await requestsOn(sims.get('unchanged')!);
    const plan = await savedPlan('unchanged');
    expect(sent.map((r) => r.kind).sort()).toEqual(
      (plan['changes'] as { kind: string }[]).map((c) => c.kind).sort(),
    );
  });

  it('refuses as stale, naming what moved, when a new pending release appeared on the platform since the plan', async () => {
    const apply = applies.get('new-pending-release')!;
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('atomsync: the saved plan is stale: new-pending-release.json');
    expect(apply.stderr).toContain('nothing was sent');
    expect(apply.stderr).toContain('  - Dev Atom (acme-dev-G7H8I9): Workday Sync was 5, now 5, pending 6');
    expect(apply.stderr).not.toContain('    at ');
    expect(await requestsOn(sims.get('new-pending-release')!)).toEqual([]);
  });

  it('refuses as stale, naming what moved, when someone changed a runtime in the UI since the plan', async () => {
    const apply = applies.get('ui-click')!;
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('the saved plan is stale');
    expect(apply.stderr).toMatch(
      /- Dev Atom \(acme-dev-G7H8I9\): HTTP Client was 26\.12\.0, rollback 26\.11\.0, now 26\.12\.0, request \S+ in progress/,
    );
    // Only the person's request in the UI reached the platform.
    expect((await requestsOn(sims.get('ui-click')!)).map((r) => r.createdBy)).toEqual([SOMEONE_IN_THE_UI]);
  });

  it('refuses as stale when the pins were edited after the plan, naming the pin and its file', async () => {
    const apply = applies.get('pins-edited')!;
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('the saved plan is stale');
    expect(apply.stderr).toContain('  - pin integration/qa-molecule changed (pins-edited/acme-dev.yaml)');
    expect(await requestsOn(sims.get('pins-edited')!)).toEqual([]);
  });

  it('refuses a file that is not a saved plan of this atomsync, naming the field', async () => {
    await writeFile(
      ws.path('old.json'),
      JSON.stringify({ formatVersion: '1', generatedAt: 'x', changes: [] }),
    );
    const result = await cli('apply', '-c', 'unchanged.yaml', 'old.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'old.json is not a plan atomsync can apply: formatVersion is "1", apply reads 2; make the plan again with this atomsync',
    );
  });
});
