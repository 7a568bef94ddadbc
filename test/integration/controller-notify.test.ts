// `atomsync run` notifies too: the controller tells the receivers about Blocked and drifted pins once per
// change of state (resync passes repeat nothing) and about each request it sent once it COMPLETEs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../controller/notify/notifier.js';
import { startNotifySink, type NotifySink } from '../../controller/notify/sink.js';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import {
  ControllerUnderTest,
  SimHandle,
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
