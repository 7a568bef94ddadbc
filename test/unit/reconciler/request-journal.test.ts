import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestJournal, type IntentInput } from '../../../controller/reconciler/request-journal.js';

const intent: IntentInput = {
  key: 'integration/prod-east',
  accountId: 'acme-prod-D4E5F6',
  runtimeId: 'rt-1',
  kind: 'AtomVersionUpdateRequest',
  action: 'APPLY_PENDING',
  components: ['Atom', 'HTTP Client'],
};

const now = () => new Date('2026-11-23T08:00:00Z');

describe('RequestJournal', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'atomsync-journal-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('replays an intent that was written but never answered, without a platform request id', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    const entry = await journal.intend(intent);
    expect(entry.intentId).toMatch(/^[0-9a-f-]{36}$/);
    // the process dies here, before the platform answered
    const afterCrash = await RequestJournal.open(stateDir, { now });
    expect(afterCrash.outstanding()).toEqual([
      { ...intent, intentId: entry.intentId, intendedAt: '2026-11-23T08:00:00.000Z' },
    ]);
    expect(afterCrash.outstanding()[0]!.platformRequestId).toBeUndefined();
  });

  it('replays a sent request with the id the platform gave it', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    const entry = await journal.intend({ ...intent, intentId: 'intent-1' });
    expect(await journal.record(entry.intentId, 'req-42')).toBe(true);
    const afterCrash = await RequestJournal.open(stateDir, { now });
    expect(afterCrash.outstanding()).toMatchObject([{ intentId: 'intent-1', platformRequestId: 'req-42' }]);
  });

  it('drops completed requests from the outstanding list and keeps them in a short history', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    const a = await journal.intend(intent);
    const b = await journal.intend({ ...intent, key: 'integration/prod-west' });
    await journal.record(a.intentId, 'req-1');
    expect(await journal.complete(a.intentId, 'COMPLETED')).toBe(true);
    expect(await journal.complete(a.intentId, 'COMPLETED')).toBe(false);
    const reopened = await RequestJournal.open(stateDir, { now });
    expect(reopened.outstanding().map((entry) => entry.intentId)).toEqual([b.intentId]);
    expect(reopened.completed()).toMatchObject([
      { intentId: a.intentId, platformRequestId: 'req-1', status: 'COMPLETED' },
    ]);
  });

  it('keeps the order intents were made in', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    await Promise.all(['k1', 'k2', 'k3'].map((key) => journal.intend({ ...intent, key, intentId: key })));
    const reopened = await RequestJournal.open(stateDir, { now });
    expect(reopened.outstanding().map((entry) => entry.key)).toEqual(['k1', 'k2', 'k3']);
  });

  it('says false for a request id of an unknown intent', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    expect(await journal.record('nope', 'req-1')).toBe(false);
  });

  it('moves a corrupt journal aside and reports that sent requests must be found on the platform', async () => {
    await writeFile(join(stateDir, 'requests.json'), '{"formatVersion":1,"outstanding":[{"intent');
    const journal = await RequestJournal.open(stateDir, { now });
    expect(journal.outstanding()).toEqual([]);
    expect(journal.problems).toHaveLength(1);
    expect(journal.problems[0]!.code).toBe('CorruptJournal');
    expect(journal.problems[0]!.message).toContain('only known from the platform');
    expect((await readdir(stateDir)).some((name) => name.endsWith('.corrupt'))).toBe(true);
    await journal.intend(intent);
    expect((await RequestJournal.open(stateDir, { now })).outstanding()).toHaveLength(1);
  });

  it('Why 5: removes the temp file a kill -9 mid-write left behind, but not one a live process is writing', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const leftover = `.tmp-requests.json.${dead}.9fe2ab32`;
    const busy = `.tmp-requests.json.${process.ppid}.0badf00d`;
    await writeFile(join(stateDir, leftover), '{"formatVersion":1,"outst');
    await writeFile(join(stateDir, busy), '{');
    await RequestJournal.open(stateDir, { now });
    expect((await readdir(stateDir)).sort()).toEqual([busy]);
  });
});

describe('RequestJournal on disk: appends, not rewrites (issue 14)', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'atomsync-journal-log-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  const logLines = async () =>
    (await readFile(join(stateDir, 'requests.log'), 'utf8')).split('\n').filter((line) => line !== '');

  it('adds one line per change while requests are outstanding, so N requests cost O(N) bytes', async () => {
    const earlier = await RequestJournal.open(stateDir, { now });
    await earlier.complete((await earlier.intend(intent)).intentId, 'COMPLETE');
    await earlier.close();
    const journal = await RequestJournal.open(stateDir, { now });
    const snapshotBefore = await readFile(join(stateDir, 'requests.json'), 'utf8');
    const first = await journal.intend({ ...intent, key: 'k/0' });
    for (let i = 1; i < 200; i++) await journal.intend({ ...intent, key: `k/${i}` });
    await journal.record(first.intentId, 'req-0');
    const lines = await logLines();
    expect(lines).toHaveLength(201);
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      record: {
        intentId: first.intentId,
        platformRequestId: 'req-0',
        recordedAt: '2026-11-23T08:00:00.000Z',
      },
    });
    // the snapshot is not rewritten for each change
    expect(await readFile(join(stateDir, 'requests.json'), 'utf8')).toBe(snapshotBefore);
    const reopened = await RequestJournal.read(stateDir, { now });
    expect(reopened.outstanding()).toHaveLength(200);
    expect(reopened.find(first.intentId)?.platformRequestId).toBe('req-0');
  });

  it('writes changes made at once in one append (one fsync for many intents)', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    await Promise.all(Array.from({ length: 500 }, (_, i) => journal.intend({ ...intent, key: `k/${i}` })));
    expect(journal.appends).toBeLessThanOrEqual(2);
    expect((await RequestJournal.read(stateDir, { now })).outstanding()).toHaveLength(500);
  });

  it('folds the log into requests.json once nothing is outstanding, and on close', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    const a = await journal.intend(intent);
    await journal.intend({ ...intent, key: 'k/other' });
    await journal.complete(a.intentId, 'COMPLETE');
    await journal.close();
    expect(await readFile(join(stateDir, 'requests.log'), 'utf8')).toBe('');
    const file = JSON.parse(await readFile(join(stateDir, 'requests.json'), 'utf8')) as {
      outstanding: { key: string }[];
      completed: { intentId: string; status: string }[];
    };
    expect(file.outstanding.map((entry) => entry.key)).toEqual(['k/other']);
    expect(file.completed).toMatchObject([{ intentId: a.intentId, status: 'COMPLETE' }]);
  });

  it('a reader beside a running journal sees every request either outstanding or completed, even mid-compaction', async () => {
    // `atomsync status` and the tests read the journal while the controller writes it. A compaction (here
    // after every completion: nothing stays outstanding) renames a new requests.json, then empties the log.
    const journal = await RequestJournal.open(stateDir, { now });
    const lost: string[] = [];
    for (let i = 0; i < 100; i++) {
      const { intentId } = await journal.intend({ ...intent, intentId: `intent-${i}` });
      const completing = journal.complete(intentId, 'COMPLETE');
      let finished = false;
      const reader = async () => {
        while (!finished) {
          const seen = await RequestJournal.read(stateDir, { now });
          const known =
            seen.find(intentId) !== undefined || seen.completed().some((done) => done.intentId === intentId);
          if (!known) lost.push(intentId);
        }
      };
      const readers = [reader(), reader()];
      await completing;
      // the compaction runs after the completion's append has settled
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished = true;
      await Promise.all(readers);
    }
    await journal.close();
    expect(lost).toEqual([]);
  });

  it('drops a line torn by a crash mid-append and keeps everything written before it', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    const a = await journal.intend({ ...intent, intentId: 'intent-a' });
    await journal.record(a.intentId, 'req-a');
    await appendFile(join(stateDir, 'requests.log'), '{"intend":{"intentId":"intent-b","key":"k/b"');
    const reopened = await RequestJournal.open(stateDir, { now });
    expect(reopened.problems).toEqual([]);
    expect(reopened.outstanding()).toMatchObject([{ intentId: 'intent-a', platformRequestId: 'req-a' }]);
  });

  it('moves a log damaged before its last line aside, and says sent requests must be found on the platform', async () => {
    const journal = await RequestJournal.open(stateDir, { now });
    await journal.intend({ ...intent, intentId: 'intent-a' });
    await appendFile(
      join(stateDir, 'requests.log'),
      'garbage\n{"complete":{"intentId":"x","status":"COMPLETE"}}\n',
    );
    const reopened = await RequestJournal.open(stateDir, { now });
    expect(reopened.problems).toMatchObject([{ code: 'CorruptJournal' }]);
    expect(reopened.problems[0]!.message).toContain('line 2');
    expect(reopened.outstanding().map((entry) => entry.intentId)).toEqual(['intent-a']);
    expect(
      (await readdir(stateDir)).some((name) => name.startsWith('requests.log.') && name.endsWith('.corrupt')),
    ).toBe(true);
  });
});
