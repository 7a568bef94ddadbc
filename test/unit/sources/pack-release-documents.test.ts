// Issue 12, Deliver 5: "A second document kind, IntegrationPackRelease (in the same sources and as a
// second CRD)". Release documents load next to AtomVersions from a pins folder and from git blobs; every
// mistake is a problem at file:line:col naming the field and what to write instead.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, loadPinContents, loadPins } from '../../../controller/sources/load-pins.js';
import { packReleaseFileJsonSchema } from '../../../controller/schema/packrelease-json-schema.js';
import { REPO_ROOT } from '../../e2e/support/repo.js';

const PIN = `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata: { name: dev-atom }
spec:
  account: acme-dev
  runtime: { name: Dev Atom }
  version: "26.12.0"
`;

const RELEASE = `apiVersion: atomsync.io/v1alpha1
kind: IntegrationPackRelease
metadata:
  name: orders-pack
  namespace: publishing
spec:
  account: acme-publisher
  pack: Salesforce to NetSuite
  components:
    - componentId: c-orders
      version: "2.0"
  releaseOn: 2026-12-10
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomsync-release-docs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, text: string): Promise<{ problems: string[]; keys: string[] }> {
  await writeFile(join(dir, name), text);
  const result = await loadPins(join(dir, name));
  return {
    problems: result.problems.map((p) => formatProblem(p).replace(`${name}:`, '')),
    keys: result.releases.map((r) => r.key),
  };
}

describe('IntegrationPackRelease documents in a pins folder', () => {
  it('loads a release next to an AtomVersion in one file, with its spec and origin', async () => {
    await writeFile(join(dir, 'both.yaml'), `${PIN}---\n${RELEASE}`);
    const { desired, releases, problems } = await loadPins(join(dir, 'both.yaml'));
    expect(problems).toEqual([]);
    expect(desired.map((d) => d.key)).toEqual(['default/dev-atom']);
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({
      key: 'publishing/orders-pack',
      spec: {
        account: 'acme-publisher',
        pack: 'Salesforce to NetSuite',
        components: [{ componentId: 'c-orders', version: '2.0' }],
        releaseOn: '2026-12-10',
      },
      origin: { source: 'file', file: 'both.yaml', line: 9, at: { account: { line: 15, col: 12 } } },
    });
    expect(releases[0]!.generation).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names the field, its line and what to write for each mistake', async () => {
    const text = `${RELEASE.replace('releaseOn: 2026-12-10', 'release: immediately\n  releaseOn: 2026-12-10')}---
${RELEASE.replace('orders-pack', 'no-timing').replace('  releaseOn: 2026-12-10\n', '').replace('Salesforce to NetSuite', 'Other')}---
${RELEASE.replace('orders-pack', 'typo').replace('componentId: c-orders', 'componentID: c-orders').replace('Salesforce to NetSuite', 'Typo')}---
${RELEASE.replace('orders-pack', 'bad-date').replace('2026-12-10', '2026-02-30').replace('Salesforce to NetSuite', 'Dates')}---
${RELEASE.replace('orders-pack', 'number').replace('"2.0"', '2.10').replace('Salesforce to NetSuite', 'Numbers')}---
${RELEASE.replace('orders-pack', 'later').replace('releaseOn: 2026-12-10', 'release: later').replace('Salesforce to NetSuite', 'Later')}`;
    const { problems, keys } = await load('mistakes.yaml', text);
    expect(problems).toEqual([
      '13:3 spec.releaseOn: set release: immediately or releaseOn: YYYY-MM-DD, not both (remove one: an immediate release reaches every account now)',
      "20:1 spec: missing the release's timing: add release: immediately, or releaseOn: YYYY-MM-DD for a testing period until that date",
      "36:7 spec.components[0]: missing required field 'componentId'",
      "36:7 spec.components[0].componentID: unknown field 'componentID' (allowed: componentId, version) — did you mean 'componentId'?",
      "51:14 spec.releaseOn: '2026-02-30' is not a date of the calendar: write yyyy-MM-dd, e.g. 2026-12-10",
      '63:16 spec.components[0].version: must be a string, not a decimal number (2.1) — write it in quotes: "2.10"',
      "77:12 spec.release: must be one of immediately (got 'later')",
    ]);
    expect(keys).toEqual([]);
  });

  it('refuses two releases of one pack of one account, naming both files', async () => {
    await writeFile(join(dir, 'dup-a.yaml'), RELEASE);
    await writeFile(join(dir, 'dup-b.yaml'), RELEASE.replace('orders-pack', 'orders-pack-again'));
    const { releases, problems } = await loadPins([join(dir, 'dup-a.yaml'), join(dir, 'dup-b.yaml')]);
    expect(releases).toEqual([]);
    expect(problems.map((p) => `${p.code} ${formatProblem(p)}`)).toEqual([
      expect.stringMatching(
        /^DuplicateRelease dup-a\.yaml:8:9 spec\.pack: pack 'Salesforce to NetSuite' of account 'acme-publisher' is also released by dup-b\.yaml:1/,
      ),
      expect.stringMatching(
        /^DuplicateRelease dup-b\.yaml:8:9 spec\.pack: .* also released by dup-a\.yaml:1/,
      ),
    ]);
  });

  it('loads the same documents from git blobs (the git source), stamped with the revision', () => {
    const { releases, problems } = loadPinContents(
      [{ file: 'pins/release.yaml', oid: 'abc', content: new TextEncoder().encode(RELEASE) }],
      { origin: { source: 'git', revision: 'f00d' } },
    );
    expect(problems).toEqual([]);
    expect(releases[0]).toMatchObject({
      key: 'publishing/orders-pack',
      origin: { source: 'git', revision: 'f00d', file: 'pins/release.yaml' },
    });
  });
});

describe('crds/integrationpackrelease.schema.json (editors)', () => {
  it('is what the CRD generates (run `npm run schema` after changing the CRD)', async () => {
    const committed = await readFile(join(REPO_ROOT, 'crds', 'integrationpackrelease.schema.json'), 'utf8');
    expect(JSON.parse(committed)).toEqual(packReleaseFileJsonSchema());
  });

  it('accepts a release and rejects one with both timings or none', () => {
    const validate = new Ajv({ strict: false }).compile(packReleaseFileJsonSchema());
    const release = parseDocument(RELEASE).toJS() as { spec: Record<string, unknown> };
    expect(validate(release), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...release, spec: { ...release.spec, release: 'immediately' } })).toBe(false);
    const { releaseOn: _dropped, ...noTiming } = release.spec;
    expect(validate({ ...release, spec: noTiming })).toBe(false);
  });
});
