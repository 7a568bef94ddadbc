// Issue 12, "Done when": on Boomi's public API alone (examples/boomi-api, `extensions: false`) the demo
// plans real requests — a release-schedule slot for pending versions, a NEVER hold, a force-restart time —
// and only the rollback no documented lever reaches is Manual; `apply --wait` converges them on the
// embedded platform's clock (its own release calendar gives the exact slot, the clock is moved to it, the
// versions are verified, the schedule is put back); the manual task reaches the sink, and is closed once a
// person makes the change in the UI (/_sim/ui writes the AuditLog entry under their name), which the task
// and the plan then name. The real CLI on a copy of the example, one embedded world for the whole file.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotifySink, type NotifySink } from '../../controller/notify/sink.js';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, type PinJson, type PlanJson } from './support/plan-json.js';
import { CLI_BIN } from './support/repo.js';
import { runCli, stderrWithoutRetries, type CliResult } from './support/run-cli.js';
import { simulatorStateFile } from './support/simulator-state.js';
import { copyExamples, type Workspace } from './support/workspace.js';
import { editYamlFile } from './support/yaml-edit.js';

const ACCOUNT = 'acme-A7B8C9';
const ADMIN = `Basic ${Buffer.from('BOOMI_TOKEN.admin@demo.atomsync:demo-admin-token').toString('base64')}`;
// Monday 18:00 in Berlin, the first hour of the Test Atom's allow window inside the FIRST week of the
// scenario's Runtime Release window (opens 2026-11-21): the simulator's own calendar, not the config's.
const SLOT = '2026-11-23T17:00:00.000Z';

let ws: Workspace;
let cwd: string;
let sink: NotifySink;
let before: PlanJson;
let applied: CliResult;
let converged: PlanJson;
let afterUi: CliResult;

const cli = (...args: string[]) => runCli([...args, '--config', 'atomsync.yaml'], { cwd });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  cwd = ws.path('boomi-api');
  sink = await startNotifySink();
  await editYamlFile(ws.path('boomi-api', 'atomsync.yaml'), (doc) => {
    doc.setIn(['notify', 'receivers', 0, 'url'], `${sink.url}/webhook`);
    doc.setIn(['notify', 'receivers', 1, 'url'], `${sink.url}/slack`);
  });
  before = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  applied = await cli('apply', '--yes', '--wait');
  converged = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  await rollBackInTheUi('Production Molecule', 'Salesforce', 'jane@acme.example');
  afterUi = await cli('apply', '--yes', '--verbose');
}, 240_000);

afterAll(async () => {
  await sink?.close();
  await ws?.remove();
});

const pin = (plan: PlanJson, runtime: string, name: string): PinJson | undefined =>
  plan.pins.find((p) => p.runtimeName === runtime && p.name === name);

describe('examples/boomi-api: the documented levers on Boomi’s own API', () => {
  it('plans a schedule slot, a NEVER hold and a force-restart time; only the rollback is Manual', () => {
    expect(before.changes.map((change) => `${change.runtimeName}: ${change.kind}`)).toEqual([
      'Test Atom: RuntimeReleaseSchedule',
      'Test Atom: AtomForceRestartTime',
      'Production Molecule: RuntimeReleaseSchedule',
    ]);
    const scheduled = before.pins.filter((p) => p.outcome === 'Scheduled');
    expect(scheduled.map((p) => [p.runtimeName, p.name, (p as { eta?: string }).eta])).toEqual([
      ['Test Atom', 'Atom', SLOT],
      ['Test Atom', 'HTTP Client', SLOT],
    ]);
    expect([pin(before, 'Production Molecule', 'Release schedule')?.target]).toEqual(['NEVER']);
    expect(pin(before, 'Production Molecule', 'Release schedule')?.wanted).toBe('never (hold)');
    expect(pin(before, 'Test Atom', 'Force restart')?.target).toBe('15m');
    expect(before.manual.map((p) => `${p.runtimeName} ${p.name} ${p.current} → ${p.target}`)).toEqual([
      'Production Molecule Salesforce 26.11.2 → 26.11.1',
    ]);
    expect(applied.stdout).toContain(
      'Plan: 3 requests (5 pins to change, 2 through the release schedule), 0 blocked, 1 manual, 1 in sync.',
    );
  });
});

describe('apply --wait on the embedded platform’s clock', () => {
  it('moves the clock to the slot, verifies the versions and puts the release schedule back', () => {
    expect(applied.code).toBe(0);
    expect(stderrWithoutRetries(applied)).toBe('');
    expect(applied.stdout).toContain(
      'Release-schedule slot at 2026-11-23T17:00:00Z: Test Atom takes Atom 26.12.0',
    );
    expect(applied.stdout).toContain("The embedded platform's clock moved to 2026-11-23T18:00:00Z");
    expect(applied.stdout).toContain('Verified: Test Atom runs Atom 26.12.0.');
    expect(applied.stdout).toContain('Verified: Test Atom runs connector HTTP Client 26.12.0.');
    expect(applied.stdout).toContain('set release schedule NEVER');
    expect(applied.stdout).toContain(
      'After waiting: Plan: 0 requests (0 pins to change), 0 blocked, 1 manual, 5 in sync.',
    );
  });

  it('leaves a converged plan: versions in sync, the Test Atom’s schedule back to NEVER, the hold kept', () => {
    expect(converged.changes).toEqual([]);
    expect(converged.pins.filter((p) => p.outcome !== 'InSync').map((p) => p.name)).toEqual(['Salesforce']);
    expect(pin(converged, 'Test Atom', 'Atom')?.current).toBe('26.12.0');
    expect(pin(converged, 'Test Atom', 'HTTP Client')?.current).toBe('26.12.0');
    expect(pin(converged, 'Test Atom', 'Force restart')?.current).toBe('15m');
    expect(pin(converged, 'Production Molecule', 'Release schedule')?.current).toBe('NEVER');
  });

  it('wrote the schedules on the platform in that order: the slot, the hold, then NEVER back', async () => {
    const world = await savedWorld();
    const names = new Map(Object.values(world.runtimes).map((r) => [r.id, r.name]));
    const saves = world.auditLog
      .filter((entry) => entry.type === 'as.atom.rc_schedule' && entry.action === 'SAVE')
      .map((entry) => `${names.get(entry.containerId ?? '')}: ${entry.message}`);
    expect(saves).toEqual([
      'Test Atom: Runtime "Test Atom" release schedule is now FIRST week, MONDAY 18:00 Europe/Berlin.',
      'Production Molecule: Runtime "Production Molecule" release schedule is now NEVER (updates come with the Platform Release).',
      'Test Atom: Runtime "Test Atom" release schedule is now NEVER (updates come with the Platform Release).',
    ]);
    expect(Object.values(world.schedules).map((s) => s.scheduleType)).toEqual(['NEVER', 'NEVER']);
  });
});

describe('the manual task, from the sink to the person’s click in the UI', () => {
  it('reaches the sink once, with its UI steps, as a webhook and as Slack', () => {
    const tasks = sink.messages.filter((m) => m.event === 'Manual' && m.change === 'opened');
    expect(tasks.map((m) => `${m.via} ${m.title}`)).toEqual([
      'webhook Production Molecule: move Salesforce from 26.11.2 to 26.11.1 in the UI',
    ]);
    expect(tasks[0]?.steps).toContain('Click Apply Selected Rollbacks.');
    const slack = sink.messages.filter((m) => m.via === 'slack').map((m) => m.title);
    expect(slack[0]).toContain('Production Molecule: move Salesforce from 26.11.2 to 26.11.1 in the UI');
  });

  it('is resolved once the person rolled back in the UI: the next apply verifies it', () => {
    expect(afterUi.code).toBe(0);
    const resolved = sink.messages.filter((m) => m.event === 'Manual' && m.change === 'resolved');
    expect(resolved.map((m) => m.title)).toEqual([
      expect.stringContaining('Production Molecule: move Salesforce from 26.11.2 to 26.11.1 in the UI'),
    ]);
    expect(resolved[0]?.text).toMatch(
      /^Verified: Salesforce now runs 26\.11\.1 \(connector Salesforce 26\.11\.1 rolled back in the UI by jane@acme\.example at 2026-11-23 18:\d\d UTC \(AuditLog as\.connector ROLLBACK\)\)\.$/,
    );
    expect(afterUi.stdout).toContain('No changes. 6 pins in sync.');
    expect(afterUi.stdout).toContain('Nothing to apply.');
  });

  it('asks the AuditLog once for the account in that apply, for the last days only', () => {
    const queries = afterUi.stderr.split('\n').filter((line) => line.includes('AuditLog'));
    expect(queries).toEqual([expect.stringMatching(/^atomsync: POST AuditLog\/query acme → HTTP 200/)]);
  });
});

interface SavedWorld {
  runtimes: Record<string, { id: string; name: string }>;
  schedules: Record<string, { scheduleType: string }>;
  auditLog: { type: string; action: string; containerId?: string; message?: string; userId?: string }[];
}

async function savedWorld(): Promise<SavedWorld> {
  const file = simulatorStateFile(ws.path('boomi-api', '.atomsync'));
  return (JSON.parse(await readFile(file, 'utf8')) as { state: SavedWorld }).state;
}

/** A person in the platform's UI: the world saved by the last command, served on its own for the click. */
async function rollBackInTheUi(runtime: string, connector: string, userId: string): Promise<void> {
  const sim = spawn(
    process.execPath,
    [CLI_BIN, 'sim', '--child', '--listen', '127.0.0.1:0', '--scenario', 'boomi-api.yaml'].concat([
      '--state',
      '.atomsync/simulator-state.json',
    ]),
    { cwd, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  try {
    const url = await announcedUrl(sim);
    const call = async (method: string, path: string, body?: object) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: ADMIN, accept: 'application/json', 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const atoms = await call('POST', `/api/rest/v1/${ACCOUNT}/Atom/query`, {
      QueryFilter: { expression: { property: 'name', operator: 'EQUALS', argument: [runtime] } },
    });
    const atomId = (atoms['result'] as { id: string }[])[0]?.id;
    await call('POST', '/_sim/ui', {
      accountId: ACCOUNT,
      atomId,
      action: 'ROLLBACK',
      components: [connector],
      userId,
    });
    await call('POST', '/_sim/clock', { advance: '10m' }); // inactivity, then the restart of each node
  } finally {
    await stopped(sim);
  }
}

function announcedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the simulator stopped (exit ${code})`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin?.end();
  });
}
