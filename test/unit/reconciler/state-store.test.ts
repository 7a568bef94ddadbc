import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore, statusFileName, SNAPSHOT_FILE } from '../../../controller/reconciler/state-store.js';
import type { AtomVersionStatus } from '../../../controller/domain/status.js';

function status(key: string, generation = 'g1'): AtomVersionStatus {
  return {
    key,
    observedGeneration: generation,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'InSync',
        message: 'in sync',
        lastTransitionTime: '2026-11-23T08:00:00.000Z',
      },
    ],
    pins: [
      {
        kind: 'runtime',
        name: 'Atom',
        wanted: '26.11.0',
        current: '26.11.0',
        outcome: 'InSync',
        message: 'ok',
      },
    ],
    lastAppliedRevision: 'abc',
    history: [],
  };
}

describe('StateStore', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'atomsync-state-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps statuses across a restart', async () => {
    const store = await StateStore.open(stateDir);
    await store.put(status('integration/prod-east'));
    await store.put(status('default/Dev Atom', 'g2'));
    const reopened = await StateStore.open(stateDir);
    expect(reopened.problems).toEqual([]);
    expect(reopened.get('integration/prod-east')).toEqual(status('integration/prod-east'));
    expect(reopened.get('default/Dev Atom')?.observedGeneration).toBe('g2');
    expect(reopened.keys().sort()).toEqual(['default/Dev Atom', 'integration/prod-east']);
  });

  it('writes the last of several quick updates to one key', async () => {
    const store = await StateStore.open(stateDir);
    await Promise.all(['g1', 'g2', 'g3', 'g4'].map((generation) => store.put(status('ns/a', generation))));
    const reopened = await StateStore.open(stateDir);
    expect(reopened.get('ns/a')?.observedGeneration).toBe('g4');
    expect(await readdir(join(stateDir, 'status'))).toHaveLength(1);
  });

  it('uses file names that are safe and distinct for keys differing only in case or punctuation', () => {
    const names = ['ns/Prod', 'ns/prod', 'ns/pr od', 'ns/pr_od', '../../etc/passwd'].map(statusFileName);
    expect(new Set(names).size).toBe(5);
    for (const name of names) expect(name).toMatch(/^[a-z0-9_][a-z0-9._-]*\.json$/);
  });

  it('moves a corrupt per-key file of an earlier version aside, reports it and carries on with the rest', async () => {
    await mkdir(join(stateDir, 'status'));
    await writeFile(join(stateDir, 'status', statusFileName('ns/good')), JSON.stringify(status('ns/good')));
    const badFile = join(stateDir, 'status', statusFileName('ns/bad'));
    await writeFile(badFile, '{"key": "ns/bad", "conditions": [');
    const reopened = await StateStore.open(stateDir);
    expect(reopened.get('ns/good')).toBeDefined();
    expect(reopened.get('ns/bad')).toBeUndefined();
    expect(reopened.problems).toHaveLength(1);
    expect(reopened.problems[0]).toMatchObject({
      code: 'CorruptStatusFile',
      file: badFile,
      movedTo: `${badFile}.corrupt`,
    });
    expect(await readFile(`${badFile}.corrupt`, 'utf8')).toContain('ns/bad');
    // a second restart finds nothing new to complain about, and a new status for the key can be written
    const third = await StateStore.open(stateDir);
    expect(third.problems).toEqual([]);
    await third.put(status('ns/bad'));
    expect((await StateStore.open(stateDir)).get('ns/bad')).toBeDefined();
  });

  it('treats valid JSON that is not a status as corrupt', async () => {
    await mkdir(join(stateDir, 'status'));
    await writeFile(join(stateDir, 'status', 'x.json'), '[1, 2, 3]');
    const store = await StateStore.open(stateDir);
    expect(store.problems.map((problem) => problem.code)).toEqual(['CorruptStatusFile']);
    expect(store.all()).toEqual([]);
  });

  it('removes temp files a crash left behind', async () => {
    const store = await StateStore.open(stateDir);
    await store.put(status('ns/a'));
    await writeFile(join(stateDir, 'status', '.tmp-ns_a.json.123.abcd'), '{"half": ');
    const reopened = await StateStore.open(stateDir);
    expect(reopened.problems).toEqual([]);
    expect(await readdir(join(stateDir, 'status'))).toEqual([SNAPSHOT_FILE]);
  });

  it('forgets a deleted key on disk too', async () => {
    const store = await StateStore.open(stateDir);
    await store.put(status('ns/a'));
    await store.delete('ns/a');
    await store.delete('ns/never-there');
    expect((await StateStore.open(stateDir)).all()).toEqual([]);
  });

  it('hands out copies, so callers cannot change stored state by accident', async () => {
    const store = await StateStore.open(stateDir);
    const original = status('ns/a');
    await store.put(original);
    original.observedGeneration = 'changed';
    store.get('ns/a')!.history.push({
      revision: 'x',
      trigger: 'change',
      actions: [],
      result: 'InSync',
      durationMs: 0,
      at: '',
    });
    expect(store.get('ns/a')).toEqual(status('ns/a'));
  });

  // Issue 14, "Why" 2: one fsync'd file per AtomVersion made the first reconcile of 10,000 take 4.8 s.
  describe('journal', () => {
    const journalOf = (generation: number) => join(stateDir, 'status', `journal-${generation}.ndjson`);

    it('writes a burst of puts in one append', async () => {
      const store = await StateStore.open(stateDir);
      await Promise.all(Array.from({ length: 1000 }, (_, i) => store.put(status(`ns/rt-${i}`))));
      expect(store.writes).toBe(1);
      await store.flush();
      const reopened = await StateStore.open(stateDir);
      expect(reopened.keys()).toHaveLength(1000);
      expect(reopened.problems).toEqual([]);
    });

    it('appends only the status that changed', async () => {
      const first = await StateStore.open(stateDir);
      await Promise.all(Array.from({ length: 100 }, (_, i) => first.put(status(`ns/rt-${i}`))));
      const store = await StateStore.open(stateDir);
      await store.put(status('ns/rt-7', 'g2'));
      await store.flush();
      const lines = (await readFile(journalOf(2), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ put: { key: 'ns/rt-7', observedGeneration: 'g2' } });
      expect((await StateStore.open(stateDir)).get('ns/rt-7')?.observedGeneration).toBe('g2');
    });

    it('drops a last line a crash cut short and keeps everything before it', async () => {
      const store = await StateStore.open(stateDir);
      await store.put(status('ns/a'));
      await store.put(status('ns/b'));
      await writeFile(journalOf(1), '{"put":{"key":"ns/c","observedGen', { flag: 'a' });
      const reopened = await StateStore.open(stateDir);
      expect(reopened.problems).toEqual([]);
      expect(reopened.keys().sort()).toEqual(['ns/a', 'ns/b']);
    });

    it('reports a damaged line in the middle and keeps the lines around it', async () => {
      const store = await StateStore.open(stateDir);
      await store.put(status('ns/a'));
      await writeFile(journalOf(1), 'garbage\n', { flag: 'a' });
      await store.put(status('ns/b'));
      const reopened = await StateStore.open(stateDir);
      expect(reopened.keys().sort()).toEqual(['ns/a', 'ns/b']);
      expect(reopened.problems).toMatchObject([{ code: 'CorruptJournalLine', file: journalOf(1) }]);
      expect(reopened.problems[0]?.message).toContain('line 2 of');
    });

    it('moves a corrupt snapshot aside and still replays the journal', async () => {
      const store = await StateStore.open(stateDir);
      await store.put(status('ns/a'));
      await writeFile(join(stateDir, 'status', SNAPSHOT_FILE), '{"format":');
      const reopened = await StateStore.open(stateDir);
      expect(reopened.get('ns/a')).toBeDefined();
      expect(reopened.problems).toMatchObject([{ code: 'CorruptStatusFile' }]);
      expect(await readdir(join(stateDir, 'status'))).toContain(`${SNAPSHOT_FILE}.corrupt`);
    });

    it('compacts into a new snapshot once the journal outgrows it', async () => {
      const store = await StateStore.open(stateDir, { compactAfterBytes: 2000 });
      for (let i = 0; i < 20; i++) await store.put(status(`ns/rt-${i}`, `g${i}`));
      await store.flush();
      const files = await readdir(join(stateDir, 'status'));
      expect(files).not.toContain('journal-1.ndjson');
      const reopened = await StateStore.open(stateDir);
      expect(reopened.keys()).toHaveLength(20);
      expect(reopened.get('ns/rt-19')?.observedGeneration).toBe('g19');
    });

    it('folds the per-key files of an earlier version into the snapshot', async () => {
      await mkdir(join(stateDir, 'status'));
      for (const key of ['ns/a', 'ns/b'])
        await writeFile(join(stateDir, 'status', statusFileName(key)), JSON.stringify(status(key)));
      const store = await StateStore.open(stateDir);
      expect(store.keys().sort()).toEqual(['ns/a', 'ns/b']);
      expect(await readdir(join(stateDir, 'status'))).toEqual([SNAPSHOT_FILE]);
    });

    it('changes nothing on disk when opened read-only', async () => {
      const store = await StateStore.open(stateDir);
      await store.put(status('ns/a'));
      await writeFile(join(stateDir, 'status', '.tmp-snapshot.json.1.ab'), '{');
      const before = (await readdir(join(stateDir, 'status'))).sort();
      const reader = await StateStore.open(stateDir, { readOnly: true });
      expect(reader.get('ns/a')).toBeDefined();
      expect((await readdir(join(stateDir, 'status'))).sort()).toEqual(before);
      await expect(reader.put(status('ns/b'))).rejects.toThrow(/read-only/);
    });
  });
});
