// Drift made outside git: the Platform Release (R7) moving a runtime off an exact pin, and a change made
// directly on the platform. Pins come from a watched directory; the simulator's clock is manual.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorySource } from '../../controller/sources/directory-source.js';
import {
  ACME_EU,
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

describe('controller drift detection', () => {
  let sim: SimHandle;
  let dir: string;
  let running: ControllerUnderTest | undefined;

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    dir = await tempDir('controller-drift');
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await sim.close();
    await removeDir(dir);
  });

  async function start(
    pins: Record<string, string>,
    options: { resyncMs?: number; tenancy?: { namespaces: Record<string, string[]> } } = {},
  ) {
    const pinDir = join(dir, 'pins');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(pinDir, { recursive: true });
    for (const [file, content] of Object.entries(pins)) await writeFile(join(pinDir, file), content);
    running = await ControllerUnderTest.start({
      simUrl: sim.url,
      sources: [new DirectorySource({ path: pinDir, debounceMs: 50 })],
      stateDir: join(dir, 'state'),
      now: demoClock(),
      ...options,
    });
    return running;
  }

  it('reports TargetUnreachable drift with advice after the Platform Release moves an exact pin’s runtime', async () => {
    const controller = await start(
      { 'prod-west.yaml': pinYaml('prod-west-atom', 'acme-prod', 'Prod West Atom', '  version: 26.11.0\n') },
      { resyncMs: 200 },
    );
    await controller.waitForStatus(
      'integration/prod-west-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync',
    );

    await sim.setClock('2026-12-05T03:00:00Z');
    const drifted = await controller.waitForStatus(
      'integration/prod-west-atom',
      (s) => condition(s, 'Drifted')?.status === 'True',
      'drift found by the periodic resync',
    );
    expect(condition(drifted, 'Drifted')).toMatchObject({
      reason: 'TargetUnreachable',
      message: expect.stringContaining('Atom runs 26.12.0, pinned 26.11.0 (TargetUnreachable: '),
    });
    expect(condition(drifted, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'TargetUnreachable',
      message: expect.stringContaining('What to do:'),
    });
    expect(drifted.pins[0]).toMatchObject({
      outcome: 'Blocked',
      reason: 'TargetUnreachable',
      current: '26.12.0',
    });
    expect(drifted.pins[0]?.advice).toBeTruthy();
    expect(drifted.driftedSince).toBeDefined();
    expect(drifted.runtimeVersion).toBe('26.12.0');
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
    const metrics = await eventually(async () => {
      const text = await controller.metrics();
      return text.includes('atomsync_pins{state="Blocked"} 1') ? text : undefined;
    }, 'the pin gauge to count the blocked pin');
    expect(metrics).toMatch(/atomsync_drift_seconds\{namespace="integration",name="prod-west-atom"\} \d/);
  });

  it('closes drift made directly on the platform when a manual reconcile is asked for', async () => {
    const controller = await start({
      'prod-west.yaml': pinYaml('prod-west-atom', 'acme-prod', 'Prod West Atom', '  version: 26.11.0\n'),
    });
    await controller.waitForStatus(
      'integration/prod-west-atom',
      (s) => condition(s, 'Ready')?.status === 'True',
      'in sync',
    );
    const atomId = await sim.atomId(ACME_PROD, 'Prod West Atom');
    await sim.call('POST', `/api/rest/v1/${ACME_PROD}/AtomVersionUpdateRequest`, {
      atomId,
      action: 'APPLY_PENDING',
      components: ['Atom'],
    });
    await sim.advance('60s');
    expect(await sim.version(ACME_PROD, atomId)).toBe('26.12.0');

    expect((await controller.post('/api/v1/atomversions/integration/prod-west-atom/reconcile')).status).toBe(
      202,
    );
    expect((await controller.post('/api/v1/atomversions/integration/unknown/reconcile')).status).toBe(404);
    const rolling = await controller.waitForStatus(
      'integration/prod-west-atom',
      (s) => s.history.some((record) => record.trigger === 'manual' && record.result === 'Changed'),
      'rollback sent by the manual pass',
    );
    expect(rolling.history.at(-1)?.actions[0]).toMatchObject({ action: 'ROLLBACK', components: ['Atom'] });
    expect(condition(rolling, 'Drifted')?.status).toBe('True');
    await sim.advance('60s');
    await controller.waitForStatus(
      'integration/prod-west-atom',
      (s) => condition(s, 'Ready')?.status === 'True' && condition(s, 'Drifted')?.status === 'False',
      'back in sync',
    );
    expect(await sim.version(ACME_PROD, atomId)).toBe('26.11.0');
  });

  it('reports a blocked pin as Ready False with its reason, and Drifted, without sending anything', async () => {
    const controller = await start({
      'eu.yaml': pinYaml('eu-atom', 'acme-eu', 'EU Atom', '  channel: pending\n'),
    });
    const status = await controller.waitForStatus(
      'integration/eu-atom',
      (s) => condition(s, 'Drifted')?.status === 'True',
      'drift',
    );
    expect(condition(status, 'Ready')).toMatchObject({ status: 'False', reason: 'InsufficientPrivilege' });
    expect(condition(status, 'Reconciling')?.status).toBe('False');
    expect(await sim.versionRequestsCreated(ACME_EU)).toBe(0);
  });

  it('blocks an AtomVersion whose namespace may not target its account, without reading that account', async () => {
    const controller = await start(
      { 'prod.yaml': pinYaml('prod-west-atom', 'acme-prod', 'Prod West Atom', '  channel: pending\n') },
      { tenancy: { namespaces: { integration: ['acme-dev'] } } },
    );
    const status = await controller.waitForStatus(
      'integration/prod-west-atom',
      (s) => condition(s, 'Ready') !== undefined,
      'status',
    );
    expect(condition(status, 'Ready')).toMatchObject({ status: 'False', reason: 'AccountNotAllowed' });
    expect(condition(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'AccountNotAllowed' });
    expect(status.pins[0]).toMatchObject({ outcome: 'Blocked', reason: 'AccountNotAllowed' });
    expect(await controller.metrics()).not.toMatch(/atomsync_platform_requests_total\{object="AtomVersions"/);
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
  });
});
