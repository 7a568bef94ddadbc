import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore, statusFileName } from '../../../controller/reconciler/state-store.js';
import type { AtomVersionStatus } from '../../../controller/reconciler/status-types.js';

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

  it('moves a corrupt file aside, reports it and carries on with the rest', async () => {
    const store = await StateStore.open(stateDir);
    await store.put(status('ns/good'));
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
    await StateStore.open(stateDir);
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
    expect(await readdir(join(stateDir, 'status'))).toEqual([statusFileName('ns/a')]);
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
});
