import { describe, expect, it } from 'vitest';
import type { DesiredAtomVersion } from '../../../controller/domain/types.js';
import { DesiredSet } from '../../../controller/reconciler/desired-set.js';
import type { SourceSnapshot } from '../../../controller/sources/source.js';
import { atomVersion } from '../domain/builders.js';

function doc(name: string, generation = '1'): DesiredAtomVersion {
  return { ...atomVersion(name), generation };
}

function snap(revision: string, docs: DesiredAtomVersion[], error?: SourceSnapshot['error']): SourceSnapshot {
  return { revision, desired: docs, problems: [], ...(error ? { error } : {}) };
}

describe('desired set over several sources', () => {
  it('reports added, changed (new generation) and removed keys', () => {
    const set = new DesiredSet();
    const first = set.update('git', snap('r1', [doc('a'), doc('b')]));
    expect(first.added.sort()).toEqual(['integration/a', 'integration/b']);
    const second = set.update('git', snap('r2', [doc('a', '2'), doc('c')]));
    expect(second).toMatchObject({
      added: ['integration/c'],
      changed: ['integration/a'],
      removed: ['integration/b'],
      errorChanged: false,
    });
  });

  it('does not count a new revision with the same spec as a change, but records the revision', () => {
    const set = new DesiredSet();
    set.update('dir', snap('r1', [doc('a')]));
    const diff = set.update('dir', snap('r2', [doc('a')]));
    expect([...diff.added, ...diff.changed, ...diff.removed]).toEqual([]);
    expect(set.get('integration/a')?.revision).toBe('r2');
  });

  it('keeps the first source’s copy of a key defined twice and reports the other as shadowed', () => {
    const set = new DesiredSet();
    set.register('first');
    set.register('second');
    set.update('second', snap('s1', [doc('a', 'from-second')]));
    set.update('first', snap('f1', [doc('a', 'from-first')]));
    expect(set.get('integration/a')).toMatchObject({ source: 'first', doc: { generation: 'from-first' } });
    const diff = set.update('second', snap('s2', [doc('a', 'from-second')]));
    expect(diff.shadowed).toEqual(['integration/a']);
  });

  it('keeps the last good desired state while a source reports an error, and says when it clears', () => {
    const set = new DesiredSet();
    set.update('git', snap('r1', [doc('a')]));
    const failing = set.update(
      'git',
      snap('r1', [doc('a')], { code: 'GitFetchFailed', message: 'no route' }),
    );
    expect(failing.errorChanged).toBe(true);
    expect(set.has('integration/a')).toBe(true);
    expect(set.source('git')).toMatchObject({ error: { code: 'GitFetchFailed' }, revision: 'r1' });
    expect(set.update('git', snap('r1', [doc('a')])).errorChanged).toBe(true);
    expect(set.source('git')?.error).toBeUndefined();
  });

  it('is synced only once every registered source delivered a snapshot', () => {
    const set = new DesiredSet();
    set.register('a');
    set.register('b');
    set.update('a', snap('r', []));
    expect(set.synced).toBe(false);
    set.update('b', snap('', [], { code: 'GitFetchFailed', message: 'down' }));
    expect(set.synced).toBe(true);
    expect(set.anySourceWithoutContent?.name).toBe('b');
  });

  it('keeps the AtomVersions of a file that stops loading and reports InvalidPins until it is fixed', () => {
    const set = new DesiredSet();
    set.update('dir', snap('r1', [doc('a'), doc('b')]));
    const broken: SourceSnapshot = {
      revision: 'r2',
      desired: [doc('a')],
      problems: [
        { file: 'pins/b.yaml', line: 3, col: 1, code: 'UnknownField', message: 'unknown field verison' },
      ],
    };
    const diff = set.update('dir', broken);
    expect(diff.removed).toEqual([]);
    expect(diff.errorChanged).toBe(true);
    expect(set.source('dir')?.error).toMatchObject({
      code: 'InvalidPins',
      message: expect.stringContaining('pins/b.yaml'),
    });
    const fixed = set.update('dir', snap('r3', [doc('a')]));
    expect(fixed.removed).toEqual(['integration/b']);
    expect(set.source('dir')?.error).toBeUndefined();
  });
});
