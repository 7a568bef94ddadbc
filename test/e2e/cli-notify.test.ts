// Why (issue 12): on Boomi's own API (`platform: { extensions: false }`) the demo plans 9 manual pins, and
// the manual text "stays in a terminal that nobody reads at 2 a.m.". With a `notify:` section, `apply`
// sends every manual task with its UI steps to the receivers (webhook signed, Slack as Block Kit, here the
// local sink), once per change of state: a second apply, another process, sends nothing again.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotifySink, type NotifySink } from '../../controller/notify/sink.js';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, type PlanJson } from './support/plan-json.js';
import { runCli, type CliResult, stderrWithoutRetries } from './support/run-cli.js';
import { copyExamples, type Workspace } from './support/workspace.js';
import { editYamlFile } from './support/yaml-edit.js';

const SECRET = 'sink-secret-5521';
let ws: Workspace;
let sink: NotifySink;
let plan: PlanJson;
let first: CliResult;
let second: CliResult;
let afterFirst: number;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  sink = await startNotifySink({ secret: SECRET });
  await editYamlFile(ws.path('sim', 'demo.yaml'), (doc) => doc.setIn(['platform', 'extensions'], false));
  await editYamlFile(ws.config, (doc) =>
    doc.set('notify', {
      ratePerMinute: 600,
      receivers: [
        {
          kind: 'webhook',
          name: 'ops',
          url: `${sink.url}/webhook`,
          secretEnv: 'NOTIFY_SECRET',
          events: ['Manual'],
        },
        { kind: 'slack', name: 'team', url: `${sink.url}/slack`, events: ['Manual', 'Blocked'] },
      ],
    }),
  );
  const cli = (...args: string[]) =>
    runCli([...args, '--config', 'atomsync.yaml'], { cwd: ws.dir, env: { NOTIFY_SECRET: SECRET } });
  plan = parsePlanJson((await cli('plan', '--format', 'json')).stdout);
  first = await cli('apply', '--yes');
  afterFirst = sink.messages.length;
  second = await cli('apply', '--yes');
}, 180_000);

afterAll(async () => {
  await sink?.close();
  await ws?.remove();
});

describe('apply on Boomi’s own API sends the manual work to people', () => {
  it('plans only release-schedule writes for pending versions (issue 12); the rest is Manual', () => {
    expect(plan.changes.every((change) => change.kind === 'RuntimeReleaseSchedule')).toBe(true);
    expect(plan.manual.length).toBeGreaterThan(0);
    expect(first.code).toBe(0);
    expect(stderrWithoutRetries(first)).toBe('');
  });

  it('delivers one signed webhook task per manual pin, carrying its UI steps', () => {
    const tasks = sink.messages.filter((m) => m.via === 'webhook');
    expect(tasks).toHaveLength(plan.manual.length);
    expect(tasks.every((m) => m.verified === true && m.event === 'Manual' && m.change === 'opened')).toBe(
      true,
    );
    for (const pin of plan.manual) {
      const task = tasks.find(
        (m) =>
          (m.body as { subject: { key: string; name: string } }).subject.key === pin.key &&
          (m.body as { subject: { name: string } }).subject.name === pin.name,
      );
      expect(task?.steps, `${pin.key} ${pin.name}`).toEqual(pin.manualSteps);
    }
  });

  it('sends Slack the manual tasks and the blocked pins it asked for, as Block Kit', () => {
    const slack = sink.messages.filter((m) => m.via === 'slack');
    expect(slack.filter((m) => m.title.startsWith('Manual: '))).toHaveLength(plan.manual.length);
    expect(slack.filter((m) => m.title.startsWith('Blocked: '))).toHaveLength(plan.blocked.length);
  });

  it('sends nothing again on a second apply: the state of each task is kept in stateDir', async () => {
    expect(second.code).toBe(0);
    expect(sink.messages).toHaveLength(afterFirst);
    const saved = JSON.parse(await readFile(ws.path('.atomsync', 'notify.json'), 'utf8')) as {
      outbox: unknown[];
    };
    expect(saved.outbox).toEqual([]);
  });
});

describe('notify config errors', () => {
  it('names the file, line and field of a bad receiver and exits 1 without planning', async () => {
    await editYamlFile(ws.config, (doc) =>
      doc.setIn(['notify', 'receivers', 1], { kind: 'slack', name: 'ops', url: 'not a url' }),
    );
    const result = await runCli(['plan', '--config', 'atomsync.yaml'], { cwd: ws.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/atomsync\.yaml:\d+:\d+ .*notify\.receivers\[1\]\.url/);
    expect(result.stderr).toMatch(
      /atomsync\.yaml:\d+:\d+ .*notify\.receivers\[1\]\.name.*already named 'ops'/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to apply when a receiver secret is not in the environment', async () => {
    await editYamlFile(ws.config, (doc) => doc.setIn(['notify', 'receivers', 1, 'url'], `${sink.url}/slack`));
    await editYamlFile(ws.config, (doc) => doc.setIn(['notify', 'receivers', 1, 'name'], 'team'));
    const result = await runCli(['apply', '--yes', '--config', 'atomsync.yaml'], { cwd: ws.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'notify.receivers[0] (ops): environment variable NOTIFY_SECRET (secretEnv) is not set',
    );
  });
});
