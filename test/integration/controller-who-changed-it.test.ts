// Issue 12, Deliver 4 under `atomsync run`: "When a runtime drifts from its pin or a manual task is done,
// the status, the plan and the task name the AuditLog entry behind it ('Atom 26.12.0 applied in the UI by
// jane@acme.example at …'). One AuditLog query per account per cycle at most, filtered by date."
//
// Replayed as a user sees it, on Boomi's own API (`extensions: false`): the controller runs against the
// simulator over HTTP; a person applies the pending Atom in the UI (/_sim/ui writes the AuditLog entry
// under their name); the status, the drift message at the notify sink and the GitHub task name her; a
// second person rolls the runtime back in the UI, and the task is closed with a comment naming him.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../controller/notify/notifier.js';
import { startNotifySink, type NotifySink } from '../../controller/notify/sink.js';
import type { RequestEvent } from '../../controller/platform/request-counter.js';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import { describeRuntime } from '../../controller/ui/fleet-tables.js';
import { observeFleet } from '../../controller/ui/observe-fleet.js';
import { runtimePage } from '../../controller/ui/pages.js';
import { FakeGithubApi } from '../fakes/github-api.js';
import {
  ACME_DEV,
  ACME_EU,
  ACME_PROD,
  ControllerUnderTest,
  GITHUB_ENV,
  GITHUB_TOKEN,
  SimHandle,
  boomiApiScenario,
  githubTasks,
  condition,
  demoClock,
  demoTargets,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const KEY = 'integration/staging-atom';
const APPLIED_BY_JANE =
  /^Atom 26\.12\.0 applied in the UI by jane@acme\.example at 2026-11-23 \d\d:\d\d UTC \(AuditLog as\.atom UPDATE\)$/;
const ROLLED_BACK_BY_BOB =
  /^Atom 26\.11\.0 rolled back in the UI by bob@acme\.example at 2026-11-23 \d\d:\d\d UTC \(AuditLog as\.atom ROLLBACK\)$/;

describe('who changed it, under `atomsync run`', () => {
  let dir: string;
  let sim: SimHandle;
  let sink: NotifySink;
  let github: FakeGithubApi;
  let notifier: Notifier;
  let running: ControllerUnderTest;
  const events: RequestEvent[] = [];

  beforeAll(async () => {
    dir = await tempDir('controller-who-changed-it');
    sim = await SimHandle.start({ clock: 'manual', scenarioFile: await boomiApiScenario(dir) });
    sink = await startNotifySink();
    github = await FakeGithubApi.start({ token: GITHUB_TOKEN });
    const drifts = {
      kind: 'webhook' as const,
      name: 'ops',
      url: `${sink.url}/webhook`,
      events: ['Drifted' as const],
    };
    notifier = await Notifier.open(
      { ratePerMinute: 6000, maxAttempts: 3, receivers: [drifts, githubTasks(github.url)] },
      join(dir, 'state'),
      { env: GITHUB_ENV },
    );
    const pinDir = join(dir, 'pins');
    await mkdir(pinDir, { recursive: true });
    await writeFile(
      join(pinDir, 'staging.yaml'),
      pinYaml('staging-atom', 'acme-prod', 'Staging Atom', '  version: 26.11.0\n'),
    );
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: pinDir, debounceMs: 50 })],
      stateDir: join(dir, 'state'),
      now: demoClock(),
      notifier,
      auditLog: true,
      onPlatformRequest: (event) => events.push(event),
    });
  });
  afterAll(async () => {
    await running?.stop();
    await notifier?.close();
    await github?.close();
    await sink?.close();
    await sim?.close();
    await removeDir(dir);
  });

  /** One resync tick (one observation of each account), then until every pass is done. */
  async function cycle(): Promise<void> {
    await running.controller.resync();
    await running.controller.idle();
  }

  /** Calls to `object` per account since `from` (an index into events). */
  function callsSince(from: number, object: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const event of events.slice(from))
      if (event.object === object && event.attempt === 1)
        counts[event.accountId] = (counts[event.accountId] ?? 0) + 1;
    return counts;
  }

  /** A person clicks in the platform's UI (the simulator writes the AuditLog entry), then it restarts. */
  async function inTheUi(action: 'APPLY_PENDING' | 'ROLLBACK', userId: string): Promise<void> {
    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');
    await sim.call('POST', '/_sim/ui', {
      accountId: ACME_PROD,
      atomId,
      action,
      components: ['Atom'],
      userId,
    });
    await sim.advance('10m');
  }

  async function delivered(): Promise<void> {
    expect(await notifier.flush(Date.now() + 5_000)).toEqual([]);
  }

  it('reads no AuditLog while the runtime runs what its pin asks', async () => {
    await running.waitForStatus(KEY, (s) => condition(s, 'Ready')?.status === 'True', 'in sync');
    await running.controller.idle();
    const from = events.length;
    for (let i = 0; i < 3; i++) await cycle();
    expect(callsSince(from, 'Atom')[ACME_PROD]).toBeGreaterThanOrEqual(3);
    expect(callsSince(from, 'AuditLog')).toEqual({});
    expect((await running.status(KEY))?.changedBy).toBeUndefined();
  });

  it('names the person behind a drift in the status, the drift message and the manual task', async () => {
    await inTheUi('APPLY_PENDING', 'jane@acme.example');
    const from = events.length;
    await cycle();
    expect(callsSince(from, 'AuditLog')).toEqual({ [ACME_PROD]: 1 });

    const status = await running.waitForStatus(
      KEY,
      (s) => condition(s, 'Drifted')?.status === 'True',
      'drifted',
    );
    expect(status.changedBy).toMatch(APPLIED_BY_JANE);
    expect(status.pins.find((pin) => pin.kind === 'runtime')).toMatchObject({
      current: '26.12.0',
      outcome: 'Manual',
      changedBy: status.changedBy,
    });
    expect(condition(status, 'Drifted')?.message).toContain(
      `Atom runs 26.12.0, pinned 26.11.0 — ${status.changedBy}`,
    );

    await delivered();
    const drift = sink.messages.find((m) => m.event === 'Drifted' && m.change === 'opened');
    expect(drift?.text).toContain(`Changed by: ${status.changedBy}.`);
    expect((drift?.body as { changedBy?: string }).changedBy).toBe(status.changedBy);
    const [issue] = github.issues('acme/ops');
    expect(issue?.state).toBe('open');
    expect(issue?.body).toContain(`Changed on the platform: ${status.changedBy}.`);

    // The dashboard's runtime page and `atomsync describe runtime` show the controller's status.
    const view = await observeFleet({
      targets: demoTargets(sim.url),
      desired: running.controller.desired.entries().map((entry) => entry.doc),
      statuses: running.controller.statuses(),
      options: { now: new Date(), maxConcurrentRestarts: 2, defaultWindows: [] },
      aliases: { [ACME_PROD]: 'acme-prod', [ACME_DEV]: 'acme-dev', [ACME_EU]: 'acme-eu' },
      mode: 'controller',
    });
    const row = view.rows.find((candidate) => candidate.key === KEY)!;
    const page = runtimePage(view, row, { version: 1, canAct: false, canLogIn: false });
    expect(page).toContain(`Changed by: ${status.changedBy}`);
    expect(describeRuntime(view, row)).toContain(`Changed by:   ${status.changedBy}`);
  });

  it('keeps the answer without asking again while the drift stays', async () => {
    const from = events.length;
    await cycle();
    await cycle();
    expect(callsSince(from, 'Atom')[ACME_PROD]).toBeGreaterThanOrEqual(2);
    expect(callsSince(from, 'AuditLog')).toEqual({});
    expect((await running.status(KEY))?.changedBy).toMatch(APPLIED_BY_JANE);
  });

  it('closes the task with a comment naming who did it, with one more AuditLog query, and then none', async () => {
    await inTheUi('ROLLBACK', 'bob@acme.example');
    const from = events.length;
    await cycle();
    expect(callsSince(from, 'AuditLog')).toEqual({ [ACME_PROD]: 1 });

    const status = await running.waitForStatus(
      KEY,
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync again',
    );
    expect(status.changedBy).toMatch(ROLLED_BACK_BY_BOB);
    expect(condition(status, 'Drifted')?.status).toBe('False');

    await delivered();
    const [issue] = github.issues('acme/ops');
    expect(issue?.state).toBe('closed');
    const closing = github.comments('acme/ops', issue!.number).at(-1)?.body ?? '';
    expect(closing).toContain(`Verified: Atom now runs 26.11.0 (${status.changedBy}).`);
    const resolved = sink.messages.find((m) => m.event === 'Drifted' && m.change === 'resolved');
    expect(resolved?.title).toBe('Staging Atom: Atom matches its pin again');

    // In sync again: the next cycles ask the AuditLog nothing.
    const quiet = events.length;
    await cycle();
    expect(callsSince(quiet, 'AuditLog')).toEqual({});
  });
});
