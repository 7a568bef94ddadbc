// The layer rules of docs/architecture.md ("Layers and what each may import"), checked over the import
// statements of every .ts file under controller/ and simulator/. A rule broken on purpose today is named in
// KNOWN_VIOLATIONS with the reason; anything else breaking a rule fails this test.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface ImportEdge {
  /** Repository-relative path of the importing file, e.g. controller/domain/plan.ts. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** Repository-relative target for a relative specifier (e.g. controller/schema/x.js); undefined for packages. */
  target: string | undefined;
}

interface LayerRule {
  name: string;
  appliesTo: (file: string) => boolean;
  forbids: (edge: ImportEdge) => boolean;
}

// `from '…'` (import/export … from), `import('…')` and bare `import '…'`.
const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function typeScriptFilesUnder(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

function importsOf(file: string): ImportEdge[] {
  const source = readFileSync(join(repoRoot, file), 'utf8');
  return [...source.matchAll(IMPORT_PATTERN)].map(([, specifier]) => ({
    file,
    specifier: specifier!,
    target: specifier!.startsWith('.') ? normalize(join(dirname(file), specifier!)) : undefined,
  }));
}

const under = (folder: string) => (path: string | undefined) =>
  path !== undefined && path.startsWith(`${folder}/`);
const targetUnderAny =
  (...folders: string[]) =>
  (edge: ImportEdge) =>
    folders.some((folder) => under(folder)(edge.target));
const targetOutside =
  (...folders: string[]) =>
  (edge: ImportEdge) =>
    edge.target !== undefined && !targetUnderAny(...folders)(edge);

const RULES: LayerRule[] = [
  {
    name: 'controller/domain is pure: it imports only controller/domain and pure npm packages (no node: built-ins)',
    appliesTo: under('controller/domain'),
    forbids: (edge) => edge.specifier.startsWith('node:') || targetOutside('controller/domain')(edge),
  },
  {
    name: 'the controller never imports the simulator (it is a separate program)',
    appliesTo: under('controller'),
    forbids: targetUnderAny('simulator'),
  },
  {
    name: 'the simulator never imports the controller',
    appliesTo: under('simulator'),
    forbids: targetUnderAny('controller'),
  },
  {
    name: 'controller/platform (the HTTP client) imports only domain, config, log and util',
    appliesTo: under('controller/platform'),
    forbids: targetOutside(
      'controller/platform',
      'controller/domain',
      'controller/config',
      'controller/log',
      'controller/util',
    ),
  },
  {
    name: 'controller/pipeline imports only domain, config, platform and util',
    appliesTo: under('controller/pipeline'),
    forbids: targetOutside(
      'controller/pipeline',
      'controller/domain',
      'controller/config',
      'controller/platform',
      'controller/util',
    ),
  },
  {
    name: 'only controller/cli imports controller/cli (one entry point, verbs do not leak into the library)',
    appliesTo: (file) => !under('controller/cli')(file),
    forbids: targetUnderAny('controller/cli'),
  },
  {
    name: 'product code never imports test code',
    appliesTo: () => true,
    forbids: targetUnderAny('test', 'bench'),
  },
];

// Known breaks of a rule, each with its reason. Remove an entry when the import goes; the test fails on an
// entry that no longer matches anything, so this list cannot go stale.
const KNOWN_VIOLATIONS: { file: string; specifier: string; reason: string }[] = [];

const allFiles = [...typeScriptFilesUnder('controller'), ...typeScriptFilesUnder('simulator')];
const allEdges = allFiles.flatMap(importsOf);
const isKnown = (edge: ImportEdge) =>
  KNOWN_VIOLATIONS.some((known) => known.file === edge.file && known.specifier === edge.specifier);

function violationsOf(rule: LayerRule, edges: ImportEdge[]): string[] {
  return edges
    .filter((edge) => rule.appliesTo(edge.file) && rule.forbids(edge) && !isKnown(edge))
    .map((edge) => `${edge.file} imports '${edge.specifier}'`);
}

describe('import rules (docs/architecture.md)', () => {
  it('finds the sources it checks', () => {
    expect(allFiles).toContain('controller/domain/plan.ts');
    expect(allFiles).toContain('simulator/start.ts');
    expect(allEdges.length).toBeGreaterThan(500);
  });

  it.each(RULES.map((rule) => [rule.name, rule] as const))('%s', (_name, rule) => {
    expect(violationsOf(rule, allEdges)).toEqual([]);
  });

  it('every allow-listed violation still exists (drop entries once fixed)', () => {
    const stale = KNOWN_VIOLATIONS.filter(
      (known) => !allEdges.some((edge) => edge.file === known.file && edge.specifier === known.specifier),
    );
    expect(stale).toEqual([]);
  });

  it('reports a forbidden import (the check can fail)', () => {
    const planted: ImportEdge[] = [
      { file: 'controller/domain/plan.ts', specifier: 'node:fs', target: undefined },
      {
        file: 'controller/domain/plan.ts',
        specifier: '../platform/client.js',
        target: 'controller/platform/client.js',
      },
      {
        file: 'simulator/start.ts',
        specifier: '../controller/util/atomic-write.js',
        target: 'controller/util/atomic-write.js',
      },
      {
        file: 'controller/platform/client.ts',
        specifier: '../kube/events.js',
        target: 'controller/kube/events.js',
      },
      { file: 'controller/report/text.ts', specifier: '../cli/plan.js', target: 'controller/cli/plan.js' },
    ];
    const found = RULES.flatMap((rule) => violationsOf(rule, planted));
    expect(found).toEqual(
      expect.arrayContaining([
        "controller/domain/plan.ts imports 'node:fs'",
        "controller/domain/plan.ts imports '../platform/client.js'",
        "simulator/start.ts imports '../controller/util/atomic-write.js'",
        "controller/platform/client.ts imports '../kube/events.js'",
        "controller/report/text.ts imports '../cli/plan.js'",
      ]),
    );
  });
});
