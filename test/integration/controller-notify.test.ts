// `atomsync run` notifies too: the controller tells the receivers about Blocked and drifted pins once per
// change of state (resync passes repeat nothing) and about each request it sent once it COMPLETEs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../controller/notify/notifier.js';
import { startNotifySink, type NotifySink } from '../../controller/notify/sink.js';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import { FakeGithubApi } from '../fakes/github-api.js';
import {
  ACME_PROD,
  ControllerUnderTest,
  GITHUB_ENV,
  GITHUB_TOKEN,
  SimHandle,
  boomiApiScenario,
  githubTasks,
  condition,
  demoClock,
  eventually,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

describe('controller notifications', () => {
  let sim: SimHandle;
  let sink: NotifySink;
  let notifier: Notifier;
  let dir: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    sink = await startNotifySink();
    dir = await tempDir('controller-notify');
    notifier = await Notifier.open(
      {
        ratePerMinute: 6000,
        maxAttempts: 3,
        receivers: [
          {
            kind: 'webhook',
            name: 'ops',
            url: `${sink.url}/webhook`,
            events: ['Blocked', 'Drifted', 'Applied', 'RequestFailed'],
          },
        ],
      },
      join(dir, 'state'),
    );
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await notifier.close();
    await sink.close();
    await sim.close();
    await removeDir(dir);
  });

  it('announces a blocked pin once, its drift once, and the request it applied', async () => {
    const pinDir = join(dir, 'pins');
    await mkdir(pinDir, { recursive: true });
    await writeFile(
      join(pinDir, 'eu.yaml'),
      pinYaml('eu-atom', 'acme-eu', 'EU Atom', '  channel: pending\n'),
    );
    await writeFile(
      join(pinDir, 'staging.yaml'),
      pinYaml('staging-atom', 'acme-prod', 'Staging Atom', '  version: 26.12.0\n'),
    );
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: pinDir, debounceMs: 50 })],
      stateDir: join(dir, 'state'),
      now: demoClock(),
      notifier,
      resyncMs: 300,
    });
    await running.waitForStatus(
      'integration/staging-atom',
      (s) => s.history.some((record) => record.result === 'Changed'),
      'request sent',
    );
    await sim.advance('60s');
    await running.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'applied',
    );
    await eventually(async () => sink.messages.some((m) => m.event === 'Applied'), 'the Applied message');
    // Several resyncs later nothing is announced twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await notifier.flush(Date.now() + 5_000);
    const seen = sink.messages.map((m) => `${m.event} ${m.change} ${m.title}`);
    expect(seen.filter((line) => line.startsWith('Blocked opened EU Atom'))).toHaveLength(1);
    expect(seen.filter((line) => line.startsWith('Applied'))).toEqual([
      expect.stringMatching(/^Applied opened Staging Atom: APPLY_PENDING of Atom.* applied \(request .+\)$/),
    ]);
    expect(seen.filter((line) => line.startsWith('Drifted opened Staging Atom'))).toHaveLength(1);
    expect(
      seen.filter((line) => line === 'Drifted resolved Staging Atom: Atom matches its pin again'),
    ).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

// Why (issue 12): on Boomi's own API the manual text "stays in a terminal". Here `run` sends each task to
// a GitHub issue per runtime; a person then clicks in the UI (/_sim/ui, which writes the AuditLog entry
// under their name), and atomsync verifies the versions and closes the issue with a comment.
describe('manual work on Boomi’s own API, from task to verified', () => {
  let sim: SimHandle;
  let github: FakeGithubApi;
  let notifier: Notifier;
  let dir: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    dir = await tempDir('controller-notify-manual');
    sim = await SimHandle.start({ clock: 'manual', scenarioFile: await boomiApiScenario(dir) });
    github = await FakeGithubApi.start({ token: GITHUB_TOKEN });
    notifier = await Notifier.open(
      { ratePerMinute: 6000, maxAttempts: 3, receivers: [githubTasks(github.url)] },
      join(dir, 'state'),
      { env: GITHUB_ENV },
    );
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await notifier.close();
    await github.close();
    await sim.close();
    await removeDir(dir);
  });

  it('opens an issue with the UI steps, and closes it once the person’s change is verified', async () => {
    const pinDir = join(dir, 'pins');
    await mkdir(pinDir, { recursive: true });
    await writeFile(
      join(pinDir, 'staging.yaml'),
      // A rollback: no documented lever reaches it (a pending version would go through the release
      // schedule, issue 12), so it is manual work for a person.
      pinYaml(
        'staging-atom',
        'acme-prod',
        'Staging Atom',
        '  connectors:\n    - { name: Salesforce, version: 26.11.1 }\n',
      ),
    );
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: pinDir, debounceMs: 50 })],
      stateDir: join(dir, 'state'),
      now: demoClock(),
      notifier,
      resyncMs: 300,
    });
    const status = await running.waitForStatus(
      'integration/staging-atom',
      (s) => s.pins.some((pin) => pin.outcome === 'Manual'),
      'manual',
    );
    expect(status.history.every((record) => record.actions.length === 0)).toBe(true);
    const [issue] = await eventually(async () => {
      await notifier.flush(Date.now() + 1_000);
      const issues = github.issues('acme/ops');
      return issues.length > 0 && issues;
    }, 'the issue');
    expect(issue?.title).toBe('atomsync: manual work on Staging Atom (acme-prod-D4E5F6)');
    expect(issue?.body).toContain('Salesforce');

    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');
    await sim.call('POST', '/_sim/ui', {
      accountId: ACME_PROD,
      atomId,
      action: 'ROLLBACK',
      components: ['Salesforce'],
      userId: 'jane@acme.example',
    });
    await sim.advance('60s');
    await running.waitForStatus(
      'integration/staging-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'verified in sync',
    );
    await eventually(async () => {
      await notifier.flush(Date.now() + 1_000);
      return github.issues('acme/ops')[0]?.state === 'closed';
    }, 'the issue closed');
    expect(github.comments('acme/ops', 1).at(-1)?.body).toContain('Verified: Salesforce now runs 26.11.1.');
    const audit = (await sim.call('POST', `/api/rest/v1/${ACME_PROD}/AuditLog/query`, {
      QueryFilter: {
        expression: { property: 'userId', operator: 'EQUALS', argument: ['jane@acme.example'] },
      },
    })) as { result: { type: string; action: string; source: string; containerId: string }[] };
    expect(audit.result.filter((entry) => entry.source === 'UI')).toEqual([
      expect.objectContaining({ action: 'ROLLBACK', source: 'UI', containerId: atomId }),
    ]);
  });
});
