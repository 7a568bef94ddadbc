// Issue 12, Deliver 5 under `atomsync run`: "atomsync creates or updates the release, follows
// ReleaseIntegrationPackStatus" — before, `run` with a directory source ignored the IntegrationPackRelease
// documents beside the pins (only plan/apply sent them). The real `run` against one simulator: it sends
// a release once, follows a dated one across cycles as the simulator's clock passes the date, refuses a
// document whose account does not publish the pack (Stalled, the other release unaffected), and a restart
// on the same state sends nothing again.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../browser/support/long-running.js';
import { eventually, SimHandle } from '../integration/controller-harness.js';
import { specGeneration } from '../../controller/sources/spec-generation.js';
import { ensureBuilt } from './support/build.js';
import { releaseDocument, writeWorldConfig } from './support/pack-release-world.js';

const PUBLISHER = 'acme-publisher-A1B2C3';
const SERVER_TOKEN = 'run-pack-releases-token';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface ReleaseStatusJson {
  key: string;
  observedGeneration: string;
  conditions: Condition[];
  lastRequestId?: string;
  releaseStatus?: string;
  sentGeneration?: string;
  lastReconciled: string;
}

let sim: SimHandle;
let dir: string;
let run: Served | undefined;

const release = (name: string, account: string, pack: string, timing: string, version: string): string =>
  releaseDocument({ name, account, pack, timing, version });

async function writeRelease(file: string, text: string): Promise<void> {
  await writeFile(join(dir, 'pins', file), text);
}

function startRun(): Promise<Served> {
  const args = ['run', '-c', 'atomsync.yaml', '--listen', '127.0.0.1:0', '--log-format', 'json'];
  return serve([...args, '--resync', '1s', '--poll-interval', '200ms'], dir, /"url":"(http:\/\/[^"]+)"/);
}

async function statusOf(name: string): Promise<ReleaseStatusJson | undefined> {
  const answer = await fetch(`${run!.url}/api/v1/integrationpackreleases/publishing/${name}`);
  return answer.ok ? ((await answer.json()) as ReleaseStatusJson) : undefined;
}

function ready(status: ReleaseStatusJson | undefined): Condition | undefined {
  return status?.conditions.find((condition) => condition.type === 'Ready');
}

function statusWhere(
  name: string,
  accept: (status: ReleaseStatusJson) => boolean,
): Promise<ReleaseStatusJson> {
  let last: ReleaseStatusJson | undefined;
  return eventually(
    async () => {
      last = await statusOf(name);
      return last && accept(last) ? last : undefined;
    },
    () => `${name}: ${JSON.stringify(last)}\n${run?.output()}`,
    20_000,
  );
}

const releasesSent = () => sim.packReleasesSent(PUBLISHER);

beforeAll(async () => {
  await ensureBuilt();
  sim = await SimHandle.start();
  dir = await mkdtemp(join(tmpdir(), 'atomsync-run-releases-'));
  await mkdir(join(dir, 'pins'));
  await writeWorldConfig(
    dir,
    sim.url,
    [
      { alias: 'acme-publisher', accountId: PUBLISHER },
      { alias: 'acme-dev', accountId: 'acme-dev-G7H8I9' },
    ],
    [
      'sources:',
      '  - { kind: directory, path: pins, namespace: publishing }',
      'server: { tokenFile: server.token }',
    ],
  );
  await writeFile(join(dir, 'server.token'), `${SERVER_TOKEN}\n`);
  await writeRelease(
    'workday.yaml',
    release('workday', 'acme-publisher', 'Workday Sync', 'release: immediately', '2.0'),
  );
  run = await startRun();
}, 120_000);

afterAll(async () => {
  await run?.stop();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('atomsync run reconciles IntegrationPackReleases from a directory source', () => {
  it('sends an immediate release once, reports it Ready with the request, and sends nothing on later cycles', async () => {
    const released = await statusWhere('workday', (s) => ready(s)?.status === 'True');
    expect(ready(released)).toMatchObject({ reason: 'Released' });
    expect(released.releaseStatus).toBe('SUCCESS');
    expect(released.lastRequestId).toMatch(/\S+/);
    expect(released.sentGeneration).toBe(released.observedGeneration);
    const before = released.lastReconciled;
    const later = await statusWhere('workday', (s) => s.lastReconciled > before);
    expect(ready(later)).toMatchObject({ status: 'True', reason: 'Released' });
    expect(ready(later)?.message).toContain('released: c-workers 2.0');
    expect(later.lastRequestId).toBe(released.lastRequestId);
    expect(await releasesSent()).toBe(1);
  });

  it('follows a dated release across cycles: SCHEDULED until the simulator passes the date, then SUCCESS', async () => {
    await writeRelease(
      'workday.yaml',
      release('workday', 'acme-publisher', 'Workday Sync', 'releaseOn: 2026-12-20', '3.0'),
    );
    const scheduled = await statusWhere('workday', (s) => s.releaseStatus === 'SCHEDULED');
    expect(ready(scheduled)).toMatchObject({ status: 'True', reason: 'Scheduled' });
    expect(ready(scheduled)?.message).toContain('on 2026-12-20');
    expect(await releasesSent()).toBe(2);

    await sim.setClock('2026-12-20T00:30:00Z');
    const done = await statusWhere('workday', (s) => s.releaseStatus === 'SUCCESS');
    expect(done.lastRequestId).toBe(scheduled.lastRequestId);
    expect(ready(done)?.status).toBe('True');
    expect(await releasesSent()).toBe(2);
  });

  it('stalls a document whose account does not publish the pack, or is not in the config, and keeps the other one Ready', async () => {
    await writeRelease(
      'wrong.yaml',
      release('wrong', 'acme-dev', 'Workday Sync', 'release: immediately', '4.0'),
    );
    await writeRelease(
      'ghost.yaml',
      release('ghost', 'acme-nobody', 'Workday Sync', 'release: immediately', '4.0'),
    );
    const wrong = await statusWhere('wrong', (s) => s.conditions.some((c) => c.type === 'Stalled'));
    expect(wrong.conditions.find((c) => c.type === 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'NotPublisher',
    });
    expect(ready(wrong)?.message).toContain('only the publisher can release a pack');
    const ghost = await statusWhere('ghost', (s) => ready(s)?.reason === 'UnknownAccount');
    expect(ready(ghost)?.message).toContain("account 'acme-nobody' is not in the config");
    expect(ready(await statusOf('workday'))?.status).toBe('True');
    expect(await releasesSent()).toBe(2);
  });

  it('sends nothing again after a restart on the same state', async () => {
    await rm(join(dir, 'pins', 'wrong.yaml'));
    await rm(join(dir, 'pins', 'ghost.yaml'));
    await run?.stop();
    const stoppedAt = new Date().toISOString();
    run = await startRun();
    const again = await statusWhere('workday', (s) => s.lastReconciled > stoppedAt);
    expect(ready(again)?.status).toBe('True');
    await eventually(async () => (await statusOf('wrong')) === undefined, 'the removed document forgotten');
    expect(await releasesSent()).toBe(2);
  });

  it('stalls a release whose send was interrupted before the platform answered, instead of sending it again', async () => {
    await run?.stop();
    const spec = {
      account: 'acme-publisher',
      pack: 'Workday Sync',
      components: [{ componentId: 'c-workers', version: '5.0' }],
      release: 'immediately',
    };
    const file = join(dir, '.state', 'pack-release-status.json');
    const state = JSON.parse(await readFile(file, 'utf8')) as { statuses: Record<string, unknown>[] };
    state.statuses = state.statuses.map((status) =>
      status['key'] === 'publishing/workday'
        ? { ...status, sendingGeneration: specGeneration(spec) }
        : status,
    );
    await writeFile(file, JSON.stringify(state));
    await writeRelease(
      'workday.yaml',
      release('workday', 'acme-publisher', 'Workday Sync', 'release: immediately', '5.0'),
    );
    run = await startRun();
    const stalled = await statusWhere('workday', (s) => ready(s)?.reason === 'SendOutcomeUnknown');
    expect(stalled.conditions.find((c) => c.type === 'Stalled')?.message).toContain('it is not sent twice');
    expect(await releasesSent()).toBe(2);
  });

  it('sends nothing for a release suspended through the API until it is resumed', async () => {
    const act = (action: string) =>
      fetch(`${run!.url}/api/v1/integrationpackreleases/publishing/workday/${action}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SERVER_TOKEN}` },
      });
    expect((await act('suspend')).status).toBe(200);
    await writeRelease(
      'workday.yaml',
      release('workday', 'acme-publisher', 'Workday Sync', 'release: immediately', '6.0'),
    );
    const suspended = await statusWhere('workday', (s) => ready(s)?.reason === 'Suspended');
    expect(ready(suspended)?.message).toContain('would release c-workers 3.0 → 6.0');
    expect(await releasesSent()).toBe(2);
    expect((await act('resume')).status).toBe(200);
    const released = await statusWhere('workday', (s) => ready(s)?.reason === 'Released');
    expect(released.releaseStatus).toBe('SUCCESS');
    expect(await releasesSent()).toBe(3);
  });
});
