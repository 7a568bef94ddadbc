import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stats } from 'node:fs';
import { DirectorySource, isIgnoredPath } from '../../../controller/sources/directory-source.js';
import { SnapshotCollector, pinYaml } from './snapshot-collector.js';

const keys = (snapshot: { desired: { key: string }[] }) => snapshot.desired.map((d) => d.key).sort();

describe('DirectorySource', () => {
  let dir: string;
  let source: DirectorySource | undefined;
  let collector: SnapshotCollector;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomsync-dir-source-'));
    collector = new SnapshotCollector();
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function startWith(files: Record<string, string>, debounceMs = 150): Promise<void> {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    source = new DirectorySource({ path: dir, debounceMs });
    await source.start(collector.onChange);
  }

  it('emits the pins found at start, with a content-hash revision', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') });
    expect(collector.snapshots).toHaveLength(1);
    const [first] = collector.snapshots;
    expect(first!.revision).toMatch(/^[0-9a-f]{64}$/);
    expect(keys(first!)).toEqual(['integration/prod-east']);
    expect(first!.desired[0]!.origin).toMatchObject({ source: 'file', line: 1 });
    expect(first!.problems).toEqual([]);
    expect(first!.error).toBeUndefined();
  });

  it('notices an edited file', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') });
    const next = collector.next();
    await writeFile(join(dir, 'east.yaml'), pinYaml('prod-east', 'Prod East Molecule', '26.12.0'));
    const snapshot = await next;
    expect(snapshot.desired[0]!.spec.version).toBe('26.12.0');
    expect(snapshot.revision).not.toBe(collector.snapshots[0]!.revision);
  });

  it('notices a new file, also in a subfolder', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') });
    const next = collector.next((s) => s.desired.length === 2);
    await mkdir(join(dir, 'dev'));
    await writeFile(join(dir, 'dev', 'dev.yml'), pinYaml('dev-atom', 'Dev Atom', '26.12.0', 'dev'));
    expect(keys(await next)).toEqual(['dev/dev-atom', 'integration/prod-east']);
  });

  it('notices a deleted file', async () => {
    await startWith({
      'east.yaml': pinYaml('prod-east', 'Prod East Molecule'),
      'west.yaml': pinYaml('prod-west', 'Prod West Atom'),
    });
    const next = collector.next();
    await unlink(join(dir, 'west.yaml'));
    expect(keys(await next)).toEqual(['integration/prod-east']);
  });

  it('follows a renamed file to its new name', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') });
    const next = collector.next((s) => s.desired[0]?.origin.file?.endsWith('molecule.yaml') ?? false);
    await rename(join(dir, 'east.yaml'), join(dir, 'molecule.yaml'));
    const snapshot = await next;
    expect(keys(snapshot)).toEqual(['integration/prod-east']);
  });

  it('coalesces a burst of changes into one snapshot', async () => {
    await startWith({}, 600);
    const burst = collector.next();
    await writeFile(join(dir, 'a.yaml'), pinYaml('a', 'Prod East Molecule'));
    await writeFile(join(dir, 'b.yaml'), pinYaml('b', 'Prod West Atom'));
    await writeFile(join(dir, 'c.yaml'), pinYaml('c', 'Staging Atom'));
    await writeFile(join(dir, 'a.yaml'), pinYaml('a', 'Prod East Molecule', '26.12.0'));
    const snapshot = await burst;
    expect(keys(snapshot)).toEqual(['integration/a', 'integration/b', 'integration/c']);
    expect(snapshot.desired.find((d) => d.key === 'integration/a')!.spec.version).toBe('26.12.0');
    // one marker change afterwards: had the burst been split, more snapshots would sit in between
    const marker = collector.next((s) => s.desired.length === 4);
    await writeFile(join(dir, 'd.yaml'), pinYaml('d', 'Dev Atom'));
    await marker;
    expect(collector.snapshots.map((s) => s.desired.length)).toEqual([0, 3, 4]);
  });

  it('does not load hidden files or files that are not YAML', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') });
    await writeFile(join(dir, '.draft.yaml'), pinYaml('draft', 'Dev Atom'));
    await writeFile(join(dir, 'notes.txt'), 'not a pin');
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'x.yaml'), pinYaml('git-internal', 'QA Molecule'));
    const next = collector.next();
    await writeFile(join(dir, 'west.yaml'), pinYaml('prod-west', 'Prod West Atom'));
    expect(keys(await next)).toEqual(['integration/prod-east', 'integration/prod-west']);
  });

  it('watches YAML files and folders but not hidden entries or other files', () => {
    const file = { isFile: () => true } as Stats;
    const folder = { isFile: () => false } as Stats;
    expect(isIgnoredPath(dir, dir, folder)).toBe(false);
    expect(isIgnoredPath(dir, join(dir, 'east.yaml'), file)).toBe(false);
    expect(isIgnoredPath(dir, join(dir, 'dev', 'dev.YML'), file)).toBe(false);
    expect(isIgnoredPath(dir, join(dir, 'dev'), folder)).toBe(false);
    expect(isIgnoredPath(dir, join(dir, 'dev'))).toBe(false);
    expect(isIgnoredPath(dir, join(dir, 'notes.txt'), file)).toBe(true);
    expect(isIgnoredPath(dir, join(dir, '.draft.yaml'), file)).toBe(true);
    expect(isIgnoredPath(dir, join(dir, '.git'))).toBe(true);
    expect(isIgnoredPath(dir, join(dir, '.git', 'x.yaml'), file)).toBe(true);
    expect(isIgnoredPath(join(dir, '.config', 'pins'), join(dir, '.config', 'pins', 'a.yaml'), file)).toBe(
      false,
    );
  });

  it('reports a file that does not parse and keeps loading the others', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') });
    const next = collector.next();
    await writeFile(join(dir, 'broken.yaml'), 'apiVersion: atomsync.io/v1alpha1\nkind: [unclosed\n');
    const snapshot = await next;
    expect(keys(snapshot)).toEqual(['integration/prod-east']);
    expect(snapshot.problems.map((p) => p.file)).toEqual([expect.stringMatching(/broken\.yaml$/)]);
    expect(snapshot.error).toBeUndefined();
  });

  it('emits nothing for a save that leaves the content as it was', async () => {
    const content = pinYaml('prod-east', 'Prod East Molecule');
    await startWith({ 'east.yaml': content }, 60_000);
    await writeFile(join(dir, 'east.yaml'), content);
    await writeFile(join(dir, 'notes.txt'), 'not a pin');
    await source!.syncNow();
    expect(collector.snapshots).toHaveLength(1);
  });

  it('reports a missing directory as an error instead of failing, and keeps the last good pins', async () => {
    source = new DirectorySource({ path: join(dir, 'nope') });
    await source.start(collector.onChange);
    expect(collector.snapshots).toHaveLength(1);
    expect(collector.last!.error?.code).toBe('DirectoryNotFound');
    expect(collector.last!.desired).toEqual([]);
    await source.stop();

    const pins = join(dir, 'pins');
    await mkdir(pins);
    await writeFile(join(pins, 'east.yaml'), pinYaml('prod-east', 'Prod East Molecule'));
    source = new DirectorySource({ path: pins, debounceMs: 60_000 });
    await source.start(collector.onChange);
    const good = collector.last!;
    await rm(pins, { recursive: true });
    await source.syncNow();
    expect(collector.last!.error?.code).toBe('DirectoryNotFound');
    expect(collector.last!.revision).toBe(good.revision);
    expect(keys(collector.last!)).toEqual(['integration/prod-east']);
  });

  it('reloads at once on triggerNow', async () => {
    await startWith({ 'east.yaml': pinYaml('prod-east', 'Prod East Molecule') }, 60_000);
    const next = collector.next();
    await writeFile(join(dir, 'west.yaml'), pinYaml('prod-west', 'Prod West Atom'));
    source!.triggerNow();
    expect(keys(await next)).toEqual(['integration/prod-east', 'integration/prod-west']);
  });
});
