// Why 4 (issue 16): a pin file in a shared folder declared its own metadata.namespace, so any file could
// claim any namespace — and with it the accounts tenancy grants that namespace. In a configured file
// source the namespace comes from the source (its `namespace:`, or the folder's entry in
// `folderNamespaces`); a file that claims another one is a load problem naming file:line and what to do.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSources } from '../../../controller/reconciler/config-sources.js';
import { formatProblem, loadPinContents, loadPins } from '../../../controller/sources/load-pins.js';
import type { SourceSnapshot } from '../../../controller/sources/source.js';
import { namespaceOfFile, type SourceNamespaces } from '../../../controller/sources/source-namespaces.js';

const pinText = (name: string, runtime: string, namespace?: string): string =>
  [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  account: acme-eu',
    `  runtime: { name: ${runtime} }`,
    '  channel: pending',
    '',
  ].join('\n');

const SHARED: SourceNamespaces = {
  namespace: 'platform',
  folders: { 'team-a': 'integration', 'team-a/emea': 'emea' },
  source: 'sources[0]',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomsync-source-ns-'));
  await mkdir(join(dir, 'shared', 'team-a', 'emea'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the namespace of a file comes from its source', () => {
  it('deepest mapped folder first, then the source namespace', () => {
    expect(namespaceOfFile(SHARED, 'team-a/emea/eu.yaml')).toEqual({
      namespace: 'emea',
      setBy: 'sources[0].folderNamespaces.team-a/emea',
    });
    expect(namespaceOfFile(SHARED, 'team-a/x.yaml').namespace).toBe('integration');
    expect(namespaceOfFile(SHARED, 'team-ab/x.yaml').namespace).toBe('platform');
    expect(namespaceOfFile(SHARED, 'top.yaml')).toEqual({
      namespace: 'platform',
      setBy: 'sources[0].namespace',
    });
  });

  it('files without metadata.namespace, or with the one their folder is in, load in the source namespace', async () => {
    await writeFile(join(dir, 'shared', 'top.yaml'), pinText('top', 'Prod West Atom'));
    await writeFile(join(dir, 'shared', 'team-a', 'a.yaml'), pinText('a', 'Staging Atom', 'integration'));
    await writeFile(join(dir, 'shared', 'team-a', 'emea', 'eu.yaml'), pinText('eu', 'EU Atom'));
    const { desired, problems } = await loadPins({ path: join(dir, 'shared'), namespaces: SHARED });
    expect(problems).toEqual([]);
    expect(desired.map((pin) => pin.key).sort()).toEqual(['emea/eu', 'integration/a', 'platform/top']);
  });

  it('Why 4: a file that claims another namespace is refused at metadata.namespace, with what to do; the others still load', async () => {
    await writeFile(join(dir, 'shared', 'team-a', 'a.yaml'), pinText('a', 'Staging Atom'));
    // A team-a file claims emea, whose tenancy grant (acme-eu) team-a does not have.
    await writeFile(join(dir, 'shared', 'team-a', 'sneaky.yaml'), pinText('sneaky', 'EU Atom', 'emea'));
    const { desired, problems } = await loadPins({ path: join(dir, 'shared'), namespaces: SHARED });
    expect(desired.map((pin) => pin.key)).toEqual(['integration/a']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'NamespaceMismatch',
      file: 'shared/team-a/sneaky.yaml',
      line: 5,
      path: 'metadata.namespace',
    });
    expect(formatProblem(problems[0]!)).toContain(
      "shared/team-a/sneaky.yaml:5:14 metadata.namespace: metadata.namespace 'emea' is not this file's namespace: sources[0].folderNamespaces.team-a in the config puts it in 'integration'. Remove metadata.namespace",
    );
  });

  it('a folder given below the source is placed by its path inside the source', async () => {
    await writeFile(
      join(dir, 'shared', 'team-a', 'emea', 'eu.yaml'),
      pinText('eu', 'EU Atom', 'integration'),
    );
    const { problems } = await loadPins({
      path: join(dir, 'shared', 'team-a'),
      namespaces: SHARED,
      folderInSource: 'team-a',
    });
    expect(problems.map((problem) => problem.code)).toEqual(['NamespaceMismatch']);
    expect(problems[0]!.message).toContain("puts it in 'emea'");
  });

  it('git contents follow the namespace their caller resolved per file, also when parsed before', () => {
    const content = new TextEncoder().encode(pinText('eu', 'EU Atom', 'emea'));
    const file = { file: 'pins/team-a/eu.yaml', oid: 'abc', content };
    const asIs = loadPinContents([file]);
    expect(asIs.desired.map((pin) => pin.key)).toEqual(['emea/eu']);
    const placed = loadPinContents([{ ...file, namespace: namespaceOfFile(SHARED, 'team-a/eu.yaml') }]);
    expect(placed.desired).toEqual([]);
    expect(placed.problems.map((problem) => [problem.code, problem.line])).toEqual([
      ['NamespaceMismatch', 5],
    ]);
  });

  it('without source rules (validate, tests), a file keeps its own metadata.namespace', async () => {
    await writeFile(join(dir, 'shared', 'top.yaml'), pinText('top', 'Prod West Atom', 'emea'));
    const { desired } = await loadPins(join(dir, 'shared'));
    expect(desired.map((pin) => pin.key)).toEqual(['emea/top']);
  });
});

describe('run: the configured sources carry their namespaces', () => {
  it("a directory source from the config places files by its namespace and refuses a file's claim", async () => {
    await writeFile(join(dir, 'shared', 'team-a', 'a.yaml'), pinText('a', 'Staging Atom'));
    await writeFile(join(dir, 'shared', 'team-a', 'sneaky.yaml'), pinText('sneaky', 'EU Atom', 'emea'));
    const config = {
      stateDir: join(dir, 'state'),
      sources: [
        {
          kind: 'directory' as const,
          path: join(dir, 'shared'),
          namespace: 'platform',
          folderNamespaces: { 'team-a': 'integration' },
        },
      ],
    };
    const [source] = createSources(config);
    const snapshots: SourceSnapshot[] = [];
    await source!.start((snapshot) => snapshots.push(snapshot));
    await source!.stop();
    expect(snapshots[0]!.desired.map((pin) => pin.key)).toEqual(['integration/a']);
    expect(snapshots[0]!.problems.map((problem) => [problem.code, problem.message])).toEqual([
      [
        'NamespaceMismatch',
        expect.stringContaining("sources[0].folderNamespaces.team-a in the config puts it in 'integration'"),
      ],
    ]);
  });
});
