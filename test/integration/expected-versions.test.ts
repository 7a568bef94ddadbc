// Issue 11, "a reviewed plan is what is applied": every request carries the versions it was planned on
// (`expected`), the simulator's extension objects answer 409 when they no longer hold, and a later wave
// reads its runtimes again (one bulk read per account) before it sends. Replays the observation "`apply`
// … later waves are sent minutes after the plan without looking again: a request carries an intent
// (APPLY_PENDING) but no expected version, so it applies whatever is pending at that moment, reviewed or
// not". The real simulator over HTTP on loopback, manual clock moved by the test.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredAtomVersion, Plan, PlannedRequest } from '../../controller/domain/types.js';
import { ConflictError, type AtomSphereClient } from '../../controller/platform/index.js';
import { ExpectationFailedError, sendPlannedRequest } from '../../controller/platform/execute.js';
import type { AccountTarget } from '../../controller/platform/observe.js';
import { executeRequests, type ExecutionEvent } from '../../controller/pipeline/execute-requests.js';
import { observeAndPlan } from '../../controller/pipeline/observe-and-plan.js';
import { loadPins } from '../../controller/sources/load-pins.js';
import { DEMO_ADMIN, DEV, PROD, PUBLISHER, WORKDAY_PACK } from './platform/support/demo-world.js';
import { packId, packsOf, runtimeId } from './platform/support/lookups.js';
import { Simulators, type Platform } from './platform/support/simulators.js';

const PINS = fileURLToPath(new URL('../../examples/pins/', import.meta.url));
const SOMEONE_IN_THE_UI = 'jane.doe@acme.example';

const sims = new Simulators();
let platform: Platform;
/** Every write atomsync's clients sent: "METHOD object → status". */
let writes: string[];

beforeEach(async () => {
  platform = await sims.demo();
  writes = [];
});
afterEach(() => sims.closeAll());

function target(accountId: string, alias: string): AccountTarget {
  const client = platform.client(accountId, DEMO_ADMIN, {
    maxRetries: 0,
    onRequest: (event) => {
      if (event.verb === 'CREATE' || event.verb === 'DELETE')
        writes.push(`${event.verb} ${event.object} → ${event.status ?? 'no answer'}`);
    },
  });
  return { accountId, alias, client };
}

async function pins(file: string): Promise<DesiredAtomVersion[]> {
  const { desired, problems } = await loadPins(`${PINS}${file}`);
  expect(problems).toEqual([]);
  return desired;
}

async function planFor(targets: AccountTarget[], file: string, maxConcurrentRestarts = 2): Promise<Plan> {
  const { plan } = await observeAndPlan(targets, await pins(file), {
    maxConcurrentRestarts,
    defaultWindows: [],
  });
  return plan;
}

function requestOn(plan: Plan, runtimeName: string, kind: PlannedRequest['kind']): PlannedRequest {
  const found = plan.changes.find((c) => c.runtimeName === runtimeName && c.kind === kind);
  if (!found) throw new Error(`the plan has no ${kind} on ${runtimeName}`);
  return found;
}

async function refusalOf(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('the platform accepted the request');
  return outcome;
}

/** Someone rolls HTTP Client back on Dev Atom in the platform's UI. */
async function rollBackHttpClientInTheUi(devAtom: string): Promise<void> {
  await platform.control.uiVersionAction({
    accountId: DEV,
    atomId: devAtom,
    action: 'ROLLBACK',
    components: ['HTTP Client'],
    userId: SOMEONE_IN_THE_UI,
  });
}

async function releaseWorkdaySyncOnADate(): Promise<void> {
  const publisher = platform.client(PUBLISHER, DEMO_ADMIN);
  await publisher.create('ReleaseIntegrationPack', {
    id: await packId(publisher, WORKDAY_PACK),
    releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
    releaseOnDate: '2026-12-20T00:00:00.000Z',
  });
}

describe('every request carries its expected versions', () => {
  it('the plan puts on each request what runs and what it moves to, per component and pack instance', async () => {
    const plan = await planFor([target(DEV, 'acme-dev')], 'acme-dev.yaml');
    expect(requestOn(plan, 'Dev Atom', 'AtomVersionUpdateRequest').expected).toEqual([
      { name: 'Atom', current: '26.12.0', target: '26.11.0' },
      { name: 'HTTP Client', current: '26.12.0', target: '26.11.0' },
    ]);
    expect(requestOn(plan, 'Dev Atom', 'IntegrationPackPendingUpdateRequest').expected).toEqual([
      expect.objectContaining({ name: 'Salesforce to NetSuite', current: '3', target: '4' }),
    ]);
  });

  it('the simulator answers 409 when a component no longer runs the expected version (applied in the UI meanwhile)', async () => {
    const dev = target(DEV, 'acme-dev');
    const rollback = requestOn(await planFor([dev], 'acme-dev.yaml'), 'Dev Atom', 'AtomVersionUpdateRequest');
    const devAtom = await runtimeId(dev.client, 'Dev Atom');
    await rollBackHttpClientInTheUi(devAtom);
    await platform.control.advance('1h'); // the UI's rollback has finished: HTTP Client runs 26.11.0

    const raw = await refusalOf(
      dev.client.create('AtomVersionUpdateRequest', {
        atomId: devAtom,
        action: 'ROLLBACK',
        components: ['Atom', 'HTTP Client'],
        expected: [
          { name: 'Atom', currentVersion: '26.12.0', targetVersion: '26.11.0' },
          { name: 'HTTP Client', currentVersion: '26.12.0', targetVersion: '26.11.0' },
        ],
      }),
    );
    expect(raw).toBeInstanceOf(ConflictError);
    expect((raw as ConflictError).status).toBe(409);
    expect((raw as ConflictError).platformMessage).toContain(
      'ROLLBACK on runtime "Dev Atom" refused: the expected versions no longer hold: "HTTP Client" expected 26.12.0 → 26.11.0, actual 26.11.0 with no rollback version',
    );

    const mapped = await refusalOf(sendPlannedRequest(dev.client, rollback));
    expect(mapped).toBeInstanceOf(ExpectationFailedError);
    expect(mapped.message).toMatch(
      /^Dev Atom \(acme-dev-G7H8I9\): ROLLBACK Atom, HTTP Client was refused because the runtime no longer shows the planned versions \(Atom 26\.12\.0 → 26\.11\.0, HTTP Client 26\.12\.0 → 26\.11\.0\)/,
    );
    expect(mapped.message).toContain('"HTTP Client" expected 26.12.0 → 26.11.0, actual 26.11.0');
    expect(await componentVersion(dev.client, devAtom, 'Atom')).toBe('26.12.0'); // nothing applied
  });

  it('the simulator answers 409 to Apply Pending Updates when a pack update nobody reviewed became pending', async () => {
    const dev = target(DEV, 'acme-dev');
    const packRequest = requestOn(
      await planFor([dev], 'acme-dev.yaml'),
      'Dev Atom',
      'IntegrationPackPendingUpdateRequest',
    );
    await releaseWorkdaySyncOnADate();
    const error = await refusalOf(sendPlannedRequest(dev.client, packRequest));
    expect(error).toBeInstanceOf(ExpectationFailedError);
    expect(error.message).toContain('Dev Atom (acme-dev-G7H8I9): Apply Pending Updates was refused');
    expect(error.message).toContain('"Workday Sync" not expected, actual 5 → 6 would be applied too');
    const devAtom = await runtimeId(dev.client, 'Dev Atom');
    const packs = await packsOf(dev.client, devAtom);
    expect(packs['Salesforce to NetSuite']).toMatchObject({ version: 3, pendingVersion: 4 });
    expect(packs['Workday Sync']).toMatchObject({ version: 5, pendingVersion: 6 });
  });

  it('a request whose expectation no longer holds is reported and nothing further is sent to that runtime', async () => {
    const dev = target(DEV, 'acme-dev');
    const plan = await planFor([dev], 'acme-dev.yaml');
    const devAtom = await runtimeId(dev.client, 'Dev Atom');
    await rollBackHttpClientInTheUi(devAtom);

    const firstWave = plan.changes.filter((c) => c.wave === 1);
    const result = await executeRequests([dev], firstWave, {
      waitForLastWave: false,
      deadline: Date.now() + 10_000,
      pollMs: 10,
    });
    const outcome = (runtime: string, kind: PlannedRequest['kind']) =>
      result.outcomes.find((o) => o.request.runtimeName === runtime && o.request.kind === kind);
    expect(outcome('Dev Atom', 'AtomVersionUpdateRequest')?.error).toContain(
      '"HTTP Client" expected 26.12.0 → 26.11.0, actual 26.12.0, already being changed by request',
    );
    expect(outcome('Dev Atom', 'IntegrationPackPendingUpdateRequest')?.error).toBe(
      'skipped: an earlier request to Dev Atom failed',
    );
    expect(outcome('QA Molecule', 'AtomVersionUpdateRequest')?.status).toBe('ACCEPTED');
    // One refused create on Dev Atom, none after it; QA Molecule's went through.
    expect(writes).toEqual([
      'CREATE AtomVersionUpdateRequest → 409',
      'CREATE AtomVersionUpdateRequest → 202',
    ]);
    expect(result).toMatchObject({ sent: 1, failed: 1, skipped: 1 });
  });
});

describe('Why: later waves are sent minutes after the plan without looking again', () => {
  it('a later wave reads its runtimes again and does not send what moved since the plan', async () => {
    const prod = target(PROD, 'acme-prod');
    const plan = await planFor([prod], 'acme-prod.yaml', 1);
    expect(plan.changes.map((c) => `${c.wave} ${c.runtimeName} ${c.action}`)).toEqual([
      '1 Staging Atom ROLLBACK',
      '1 Staging Atom APPLY_PENDING',
      '2 Prod East Molecule APPLY_PENDING',
    ]);
    const prodEast = await runtimeId(prod.client, 'Prod East Molecule');
    const reads: string[] = [];
    const watched = target(PROD, 'acme-prod');
    watched.client = platform.client(PROD, DEMO_ADMIN, {
      maxRetries: 0,
      onRequest: (event) => {
        if (event.verb === 'CREATE') writes.push(`${event.verb} ${event.object} → ${event.status}`);
        if (event.verb === 'BULK') reads.push(event.object);
      },
    });

    // While the TEST wave restarts Staging Atom, someone applies HTTP Client on Prod East in the UI.
    const onEvent = (event: ExecutionEvent): void => {
      if (event.type !== 'sent' || event.request.action !== 'APPLY_PENDING') return;
      void platform.control
        .uiVersionAction({
          accountId: PROD,
          atomId: prodEast,
          action: 'APPLY_PENDING',
          components: ['HTTP Client'],
          userId: SOMEONE_IN_THE_UI,
        })
        .then(() => platform.control.advance('1h'));
    };
    const result = await executeRequests([watched], plan.changes, {
      waitForLastWave: true,
      deadline: Date.now() + 20_000,
      pollMs: 10,
      onEvent,
    });

    const wave2 = result.outcomes.find((o) => o.request.runtimeName === 'Prod East Molecule');
    expect(wave2?.error).toBe(
      'Prod East Molecule (acme-prod-D4E5F6): the platform moved since the plan, so APPLY_PENDING Atom, ' +
        'HTTP Client was not sent: HTTP Client expected 26.11.0 → 26.12.0, now 26.12.0 with no pending ' +
        'version. Run plan again.',
    );
    expect(wave2?.id).toBeUndefined();
    // Wave 1's two requests went out; wave 2 was read again (one AtomVersions bulk) and sent nothing.
    expect(writes).toEqual([
      'CREATE AtomVersionUpdateRequest → 202',
      'CREATE AtomVersionUpdateRequest → 202',
    ]);
    expect(reads).toEqual(['AtomVersions']);
    expect(await componentVersion(prod.client, prodEast, 'Atom')).toBe('26.11.0');
    expect(result.summary).toBe('Apply: 2 request(s) sent, 2 complete, 1 failed.');
  });

  it('a later wave whose runtimes did not move is sent as planned', async () => {
    const prod = target(PROD, 'acme-prod');
    const plan = await planFor([prod], 'acme-prod.yaml', 1);
    const ticking = setInterval(() => void platform.control.advance('30s').catch(() => undefined), 20);
    try {
      const result = await executeRequests([prod], plan.changes, {
        waitForLastWave: true,
        deadline: Date.now() + 20_000,
        pollMs: 10,
      });
      expect(result.summary).toBe('Apply: 3 request(s) sent, 3 complete, 0 failed.');
    } finally {
      clearInterval(ticking);
    }
  });
});

async function componentVersion(client: AtomSphereClient, atomId: string, name: string): Promise<string> {
  const body = await client.get<{ AtomVersion: { name: string; version: string }[] }>('AtomVersions', atomId);
  return body.AtomVersion.find((c) => c.name === name)?.version ?? 'none';
}
