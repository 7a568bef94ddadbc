// Issue 14, Deliver 3: 100 accounts x 100 runtimes did not converge because every AtomVersion waiting on
// its request was passed again every pollMs, each pass asking for its own request's status (10,000 keys
// polling on a timer each). Now one poll loop per account reads the statuses of the account's watched
// requests in one bulk call and wakes only the keys whose requests ended. Checked here against the
// simulator over HTTP, counting the platform calls and the timers, not time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtomSphereClient, type RequestEvent } from '../../controller/platform/index.js';
import { RequestJournal } from '../../controller/reconciler/request-journal.js';
import { RequestStatusBoard } from '../../controller/reconciler/request-status-board.js';
import { startSimulator, type RunningSimulator } from '../../simulator/start.js';
import { FakeTimers } from '../unit/reconciler/fake-timers.js';

const ADMIN = { userId: 'admin@poll.atomsync', token: 'poll-admin-token' };
const POLL_MS = 500;

function scenario(): unknown {
  const account = (id: string, runtimes: number) => ({
    id,
    environments: [{ name: 'Test', classification: 'TEST' }],
    runtimes: Array.from({ length: runtimes }, (_, r) => ({
      name: `Atom ${r}`,
      type: 'ATOM',
      environment: 'Test',
    })),
  });
  return {
    clock: { start: '2026-11-23T08:00:00Z', mode: 'manual' },
    timing: { inactivityWaitSeconds: 30, restartSecondsPerNode: 60 },
    calendar: {
      platformRelease: '2026-12-05T02:00:00Z',
      components: [{ name: 'Atom', released: '26.11.0', pending: '26.12.0', source: 'RUNTIME_RELEASE' }],
    },
    roles: [{ name: 'Admin', privileges: ['API', 'ATOM_MANAGEMENT'] }],
    users: [{ ...ADMIN, roles: ['Admin'] }],
    accounts: [account('poll-a', 6), account('poll-b', 2)],
  };
}

describe('one request poll loop per account (issue 14)', () => {
  let sim: RunningSimulator;
  let dir: string;
  let journal: RequestJournal;
  let timers: FakeTimers;
  let calls: string[];
  let clients: Map<string, AtomSphereClient>;
  let woken: string[];
  let board: RequestStatusBoard;
  /** Runtime id by key. */
  const runtimeOf = new Map<string, string>();

  beforeEach(async () => {
    sim = await startSimulator({
      scenario: scenario(),
      listen: '127.0.0.1:0',
      clock: 'manual',
      rateLimitPerSecond: 0,
    });
    dir = await mkdtemp(join(tmpdir(), 'atomsync-poll-loop-'));
    journal = await RequestJournal.open(dir);
    timers = new FakeTimers();
    calls = [];
    woken = [];
    clients = new Map(
      ['poll-a', 'poll-b'].map((accountId) => [
        accountId,
        new AtomSphereClient({
          baseUrl: sim.url,
          accountId,
          username: `BOOMI_TOKEN.${ADMIN.userId}`,
          token: ADMIN.token,
          requestsPerSecond: 0,
          onRequest: (event: RequestEvent) => calls.push(`${event.verb} ${event.object}`),
        }),
      ]),
    );
    board = new RequestStatusBoard({
      journal,
      clientFor: (accountId) => clients.get(accountId),
      pollMs: POLL_MS,
      now: () => timers.now(),
      timers,
      wake: (keys) => woken.push(...keys),
    });
    // Every runtime of both accounts gets an apply request, sent and recorded as the controller does.
    for (const [accountId, client] of clients) {
      const atoms = await client.queryAll<{ id: string; name: string }>('Atom');
      for (const atom of atoms) {
        const key = `${accountId}/${atom.name.replace(' ', '-')}`;
        runtimeOf.set(key, atom.id);
        const entry = await journal.intend({
          key,
          accountId,
          runtimeId: atom.id,
          kind: 'AtomVersionUpdateRequest',
          action: 'APPLY_PENDING',
          components: ['Atom'],
        });
        const created = await client.create<{ id: string }>('AtomVersionUpdateRequest', {
          atomId: atom.id,
          action: 'APPLY_PENDING',
          components: ['Atom'],
        });
        await journal.record(entry.intentId, created.id);
      }
    }
    calls = [];
  });

  afterEach(async () => {
    board.close();
    await journal.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  function watchAll(): void {
    for (const key of runtimeOf.keys()) {
      const accountId = key.split('/')[0] as string;
      expect(board.watch(accountId, key, journal.outstandingOf(key))).toBe(true);
    }
  }

  async function tick(expectedCalls: number): Promise<void> {
    const before = calls.length;
    timers.advance(POLL_MS);
    await vi.waitFor(() => expect(calls.length).toBe(before + expectedCalls));
    // Let the loop finish its tick after the read (wake, schedule) before looking.
    await new Promise((resolve) => setImmediate(resolve));
  }

  it("reads each account's requests in one bulk call per poll and wakes only the keys whose requests ended", async () => {
    // Three runtimes of poll-a keep running executions: their requests wait for inactivity.
    const busy = ['poll-a/Atom-3', 'poll-a/Atom-4', 'poll-a/Atom-5'];
    for (const key of busy) sim.model.setActivity('poll-a', runtimeOf.get(key) as string, 1);
    watchAll();
    // 8 keys wait, 2 timers run: one poll loop per account, none per key.
    expect(timers.pendingDelays()).toEqual([POLL_MS, POLL_MS]);

    sim.model.advanceClock(10 * 60_000);
    await tick(2);
    expect(calls).toEqual(['BULK AtomVersionUpdateRequest', 'BULK AtomVersionUpdateRequest']);
    expect(woken.sort()).toEqual([
      'poll-a/Atom-0',
      'poll-a/Atom-1',
      'poll-a/Atom-2',
      'poll-b/Atom-0',
      'poll-b/Atom-1',
    ]);
    // poll-b has nothing left to watch: its loop stopped; poll-a's goes on for the three busy runtimes.
    expect(timers.pendingDelays()).toEqual([POLL_MS]);

    woken = [];
    await tick(1);
    expect(woken).toEqual([]);

    for (const key of busy) sim.model.setActivity('poll-a', runtimeOf.get(key) as string, 0);
    sim.model.advanceClock(10 * 60_000);
    await tick(1);
    expect(woken.sort()).toEqual(busy);
    expect(timers.pendingDelays()).toEqual([]);
    expect(calls.filter((call) => call.startsWith('GET'))).toEqual([]);
  });

  it('wakes a key waiting for its account to be quiet once no request of the account is outstanding', async () => {
    sim.model.advanceClock(10 * 60_000);
    expect(board.wakeWhenQuiet('poll-b', 'poll-b/Atom-0', timers.now() + 20 * POLL_MS)).toBe(true);
    // poll-b's requests have ended on the platform but the journal still holds them: not quiet yet.
    await tick(0);
    expect(woken).toEqual([]);
    for (const entry of journal.outstandingOfAccount('poll-b').slice())
      await journal.complete(entry.intentId, 'COMPLETE');
    timers.advance(POLL_MS);
    await vi.waitFor(() => expect(woken).toEqual(['poll-b/Atom-0']));
    // Waiting for quiet costs no platform call.
    expect(calls).toEqual([]);
  });
});
