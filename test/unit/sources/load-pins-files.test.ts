import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, loadPins } from '../../../controller/sources/load-pins.js';

const FIXTURES = 'test/unit/sources/fixtures/load-pins';

const pinText = (name: string, runtime: string, extra = ''): string =>
  [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    `metadata: { name: ${name}, namespace: integration }`,
    'spec:',
    '  account: acme-prod',
    `  runtime: { name: ${runtime} }`,
    extra,
  ].join('\n');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomsync-load-pins-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadPins: many files', () => {
  it('returns the good files when one file is broken, walking sub-folders in name order', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/mixed`);
    expect(desired.map((d) => [d.key, d.origin.file])).toEqual([
      ['default/b-good', `${FIXTURES}/mixed/b-good.yaml`],
      ['default/c-good', `${FIXTURES}/mixed/nested/c-good.yml`],
    ]);
    expect(problems.map(formatProblem)).toEqual([
      `${FIXTURES}/mixed/a-broken.yaml:4:1 YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it('reads several directories in the order given, and reports one that does not exist', async () => {
    const { desired, problems } = await loadPins([
      `${FIXTURES}/mixed/nested`,
      join(dir, 'missing'),
      `${FIXTURES}/empty-docs`,
    ]);
    expect(desired.map((d) => d.name)).toEqual(['c-good', 'only-one']);
    expect(problems.map((p) => [p.code, p.file, p.line, p.col, p.message])).toEqual([
      [
        'DirectoryNotFound',
        join(dir, 'missing'),
        1,
        1,
        `directory not found (looked for ${join(dir, 'missing')})`,
      ],
    ]);
  });

  it('reads a folder given twice, or a file inside a folder also given, once: no duplicates of itself', async () => {
    const once = await loadPins(`${FIXTURES}/mixed/nested`);
    const twice = await loadPins([`${FIXTURES}/mixed/nested`, `${FIXTURES}/mixed/nested/`]);
    expect(twice.problems).toEqual([]);
    expect(twice.desired.map((d) => d.key)).toEqual(once.desired.map((d) => d.key));
  });

  it('skips hidden folders and files that are not .yaml or .yml', async () => {
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'config.yaml'), 'not: [valid');
    await writeFile(join(dir, 'README.md'), '# pins');
    await writeFile(join(dir, 'pin.YAML'), pinText('upper-case-extension', 'Dev Atom'));
    const { desired, problems } = await loadPins(dir);
    expect(problems).toEqual([]);
    expect(desired.map((d) => d.name)).toEqual(['upper-case-extension']);
  });

  it('Why 5: refuses a symbolic link that leads outside the pins folder, and reads one that stays inside', async () => {
    const pins = join(dir, 'pins');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(join(pins, '.shared'), { recursive: true });
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, 'secret.yaml'), pinText('outside', 'Prod West Atom'));
    await writeFile(join(pins, '.shared', 'real.yaml'), pinText('inside', 'Staging Atom'));
    await symlink(join(elsewhere, 'secret.yaml'), join(pins, 'escape.yaml'));
    await symlink(join(pins, '.shared', 'real.yaml'), join(pins, 'alias.yaml'));
    const { desired, problems } = await loadPins(pins);
    expect(desired.map((d) => d.name)).toEqual(['inside']);
    expect(problems.map((p) => [p.code, p.file, p.line, p.col])).toEqual([
      ['LinkOutsideFolder', 'pins/escape.yaml', 1, 1],
    ]);
    expect(problems[0]?.message).toContain(join(elsewhere, 'secret.yaml'));
  });

  it('loads a single file given instead of a directory', async () => {
    const { desired } = await loadPins(`${FIXTURES}/mixed/b-good.yaml`);
    expect(desired.map((d) => [d.name, d.origin.file])).toEqual([
      ['b-good', `${FIXTURES}/mixed/b-good.yaml`],
    ]);
  });
});

describe('loadPins: files it refuses to parse', () => {
  it('refuses a file larger than maxFileBytes without parsing it', async () => {
    await writeFile(join(dir, 'big.yaml'), `${pinText('big', 'Dev Atom')}\n# ${'x'.repeat(2048)}\n`);
    await writeFile(join(dir, 'small.yaml'), pinText('small', 'QA Molecule'));
    const { desired, problems } = await loadPins(dir, { maxFileBytes: 1024 });
    expect(desired.map((d) => d.name)).toEqual(['small']);
    expect(problems).toEqual([
      {
        file: expect.stringMatching(/big\.yaml$/),
        line: 1,
        col: 1,
        code: 'FileTooLarge',
        message:
          'file is 2.2 KiB, more than the 1 KiB limit (maxFileBytes); not parsed — split it into smaller files',
      },
    ]);
  });

  it('refuses a file that is not UTF-8, naming the line and column of the first bad byte', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(pinText('latin1', 'Dev Atom') + '\n# caf'),
      Buffer.from([0xe9]), // é in Latin-1
      Buffer.from(' au lait\n'),
    ]);
    await writeFile(join(dir, 'latin1.yaml'), latin1);
    const { desired, problems } = await loadPins(dir);
    expect(desired).toEqual([]);
    expect(problems.map((p) => [p.line, p.col, p.code, p.message])).toEqual([
      [8, 6, 'InvalidEncoding', 'not valid UTF-8 (byte 0xE9); save the file as UTF-8'],
    ]);
  });

  it('counts columns in characters when valid multi-byte text precedes the bad byte', async () => {
    await writeFile(join(dir, 'mixed.yaml'), Buffer.concat([Buffer.from('# Zürich: '), Buffer.from([0xff])]));
    const { problems } = await loadPins(dir);
    expect(problems.map((p) => [p.line, p.col, p.message])).toEqual([
      [1, 11, 'not valid UTF-8 (byte 0xFF); save the file as UTF-8'],
    ]);
  });
});

describe('loadPins: what a loaded AtomVersion looks like', () => {
  it('applies the CRD defaults and keys it by namespace/name', async () => {
    await writeFile(
      join(dir, 'pins.yaml'),
      pinText('prod-west-atom', 'Prod West Atom', '  channel: released'),
    );
    const { desired } = await loadPins(dir);
    expect(desired).toEqual([
      {
        key: 'integration/prod-west-atom',
        name: 'prod-west-atom',
        namespace: 'integration',
        generation: expect.stringMatching(/^[0-9a-f]{16}$/),
        spec: {
          account: 'acme-prod',
          runtime: { name: 'Prod West Atom' },
          channel: 'released',
          connectors: [],
          integrationPacks: [],
          policy: {
            mode: 'enforce',
            suspend: false,
            allowRollback: true,
            allowPackReattach: false,
            windows: [],
          },
        },
        origin: {
          source: 'file',
          file: expect.stringMatching(/pins\.yaml$/),
          line: 1,
          at: { account: { line: 5, col: 12 }, runtime: { line: 6, col: 3 } },
        },
      },
    ]);
  });

  it('uses the namespace default when a file gives none', async () => {
    const { desired } = await loadPins(`${FIXTURES}/mixed/b-good.yaml`);
    expect(desired[0]).toMatchObject({ key: 'default/b-good', namespace: 'default' });
  });

  it('gives the same generation for the same spec however it is written, and a new one when it changes', async () => {
    await writeFile(join(dir, 'a.yaml'), pinText('a', 'Dev Atom', '  version: 26.11.0'));
    await writeFile(
      join(dir, 'b.yaml'),
      'apiVersion: atomsync.io/v1alpha1\nkind: AtomVersion\nmetadata: { name: b }\n' +
        'spec: { version: 26.11.0, runtime: { name: Dev Atom }, account: acme-prod, connectors: [] }\n',
    );
    await writeFile(join(dir, 'c.yaml'), pinText('c', 'Dev Atom', '  version: 26.12.0'));
    const load = async (file: string) => (await loadPins(join(dir, file))).desired[0];
    const [a, b, c] = [await load('a.yaml'), await load('b.yaml'), await load('c.yaml')];
    expect(a?.generation).toBe(b?.generation);
    expect(a?.generation).not.toBe(c?.generation);
  });

  it('merges the origin it is given (a git revision) and shows files relative to a chosen folder', async () => {
    await mkdir(join(dir, 'pins'));
    await writeFile(join(dir, 'pins', 'p.yaml'), pinText('p', 'Dev Atom'));
    const { desired } = await loadPins(join(dir, 'pins'), {
      origin: { source: 'git', revision: 'abc123' },
      relativeTo: dir,
    });
    expect(desired[0]?.origin).toEqual({
      source: 'git',
      revision: 'abc123',
      file: 'pins/p.yaml',
      line: 1,
      // where spec.account and spec.runtime are written: load errors point there
      at: { account: { line: 5, col: 12 }, runtime: { line: 6, col: 3 } },
    });
  });

  it('shows files of an absolute directory relative to its parent', async () => {
    await mkdir(join(dir, 'pins', 'team'), { recursive: true });
    await writeFile(join(dir, 'pins', 'team', 'p.yaml'), pinText('p', 'Dev Atom'));
    const { desired } = await loadPins(join(dir, 'pins'));
    expect(desired[0]?.origin.file).toBe('pins/team/p.yaml');
  });
});
