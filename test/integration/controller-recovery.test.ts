// What the controller does with requests left behind by a crash (the request journal), with requests
// that fail on the platform, and with a platform that stops answering.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestJournal } from '../../controller/reconciler/request-journal.js';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import {
  ACME_PROD,
  ControllerUnderTest,
  SimHandle,
  condition,
  demoClock,
  eventually,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const KEY = 'integration/staging-atom';
const upgrade = pinYaml('staging-atom', 'acme-prod', 'Staging Atom', '  version: 26.12.0\n');

interface JournalFile {
  outstanding: { intentId: string; platformRequestId?: string }[];
  completed: { intentId: string; status: string; platformRequestId?: string }[];
}

describe('controller recovery', () => {
  let sim: SimHandle;
  let dir: string;
  let stateDir: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    dir = await tempDir('controller-recovery');
    stateDir = join(dir, 'state');
    await mkdir(join(dir, 'pins'), { recursive: true });
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(dir, 'pins', 'staging.yaml'), upgrade);
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await sim.close().catch(() => undefined);
    await removeDir(dir);
  });

  async function start(): Promise<ControllerUnderTest> {
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: join(dir, 'pins'), debounceMs: 50 })],
      stateDir,
      now: demoClock(),
    });
    return running;
  }

  /** A journal as a process leaves it when it dies after intend() and before record(). */
  async function leaveIntent(atomId: string): Promise<void> {
    const intent = {
      intentId: 'intent-before-crash',
      key: KEY,
      accountId: ACME_PROD,
      runtimeId: atomId,
      kind: 'AtomVersionUpdateRequest',
      action: 'APPLY_PENDING',
      components: ['Atom'],
      intendedAt: '2026-11-23T08:59:00.000Z',
    };
    await writeFile(
      join(stateDir, 'requests.json'),
      JSON.stringify({ formatVersion: 1, outstanding: [intent], completed: [] }),
    );
  }

  async function journal(): Promise<JournalFile> {
    const read = await RequestJournal.read(stateDir);
    return { outstanding: read.outstanding(), completed: read.completed() };
  }

  it('finds a request a crashed run had sent but not recorded, follows it, and never sends it again', async () => {
    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');
    const created = (await sim.call('POST', `/api/rest/v1/${ACME_PROD}/AtomVersionUpdateRequest`, {
      atomId,
      action: 'APPLY_PENDING',
      components: ['Atom'],
    })) as { id: string };
    await leaveIntent(atomId);

    const controller = await start();
    await controller.waitForStatus(
      KEY,
      (s) => condition(s, 'Reconciling')?.status === 'True',
      'following the found request',
    );
    expect((await journal()).outstanding).toMatchObject([
      { intentId: 'intent-before-crash', platformRequestId: created.id },
    ]);

    await sim.advance('60s');
    const ready = await controller.waitForStatus(
      KEY,
      (s) => condition(s, 'Ready')?.status === 'True',
      'Ready',
    );
    expect(ready.runtimeVersion).toBe('26.12.0');
    expect(await sim.versionRequestsCreated(ACME_PROD, atomId)).toBe(1);
    expect((await journal()).completed).toContainEqual(
      expect.objectContaining({
        intentId: 'intent-before-crash',
        status: 'COMPLETE',
        platformRequestId: created.id,
      }),
    );
  });

  it('sends once a request a crashed run intended but never got to the platform', async () => {
    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');
    await leaveIntent(atomId);
    const controller = await start();
    await controller.waitForStatus(
      KEY,
      (s) => condition(s, 'Reconciling')?.status === 'True',
      'request sent',
    );
    expect((await journal()).completed).toContainEqual(
      expect.objectContaining({ intentId: 'intent-before-crash', status: 'NotOutstanding' }),
    );
    await sim.advance('60s');
    await controller.waitForStatus(KEY, (s) => condition(s, 'Ready')?.status === 'True', 'Ready');
    expect(await sim.versionRequestsCreated(ACME_PROD, atomId)).toBe(1);
  });

  it('reports a request that FAILED on the platform and sends it again only after a backoff', async () => {
    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');
    await sim.call('POST', '/_sim/faults', { failNextRequests: { accountId: ACME_PROD, atomId, count: 1 } });
    const controller = await start();
    await controller.waitForStatus(
      KEY,
      (s) => condition(s, 'Reconciling')?.status === 'True',
      'first request sent',
    );
    await sim.advance('60s');
    const failed = await controller.waitForStatus(
      KEY,
      (s) => s.history.some((record) => record.result === 'Failed'),
      'failure recorded',
    );
    expect(failed.history.find((record) => record.result === 'Failed')?.message).toContain('ended FAILED');
    await eventually(
      async () => (await sim.versionRequestsCreated(ACME_PROD, atomId)) === 2,
      'sent again after the backoff',
    );
    await sim.advance('60s');
    const ready = await controller.waitForStatus(
      KEY,
      (s) => condition(s, 'Ready')?.status === 'True',
      'Ready after the retry',
    );
    expect(ready.runtimeVersion).toBe('26.12.0');
    expect(await sim.versionRequestsCreated(ACME_PROD, atomId)).toBe(2);
  });

  it('is not ready while the platform does not answer, and says why on /readyz', async () => {
    const controller = await start();
    await controller.waitForStatus(KEY, (s) => condition(s, 'Reconciling')?.status === 'True', 'sent');
    expect((await fetch(`${controller.server.url}/readyz`)).status).toBe(200);
    await sim.close();
    expect((await controller.post(`/api/v1/atomversions/${KEY}/reconcile`)).status).toBe(202);
    const readiness = await eventually(async () => {
      const response = await fetch(`${controller.server.url}/readyz`);
      return response.status === 503
        ? ((await response.json()) as { checks: { name: string; ok: boolean; message: string }[] })
        : undefined;
    }, 'readyz 503');
    expect(readiness.checks.find((check) => check.name === 'platform')).toMatchObject({
      ok: false,
      message: expect.stringContaining('network'),
    });
    const failing = await controller.waitForStatus(
      KEY,
      (s) => s.history.at(-1)?.result === 'Failed',
      'pass failed',
    );
    expect(condition(failing, 'Ready')?.status).toBe('False');
  });
});
