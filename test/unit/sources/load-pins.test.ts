import { describe, expect, it } from 'vitest';
import { formatProblem, loadPins, type PinProblem } from '../../../controller/sources/load-pins.js';

const FIXTURES = 'test/unit/sources/fixtures/load-pins';

/** `file:line:col path: message` without the fixtures prefix, to keep expectations readable. */
function shown(problems: PinProblem[]): string[] {
  return problems.map((p) => formatProblem(p).replace(`${FIXTURES}/`, ''));
}

describe('loadPins: schema problems point at the offending node', () => {
  it('reports each schema problem with file:line:col and still loads the valid document', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/schema-errors`);
    expect(shown(problems)).toEqual([
      "schema-errors/pins.yaml:12:7 spec.connectors[1].verison: unknown field 'verison' (allowed: name, version, channel) — did you mean 'version'?",
      'schema-errors/pins.yaml:21:12 spec.version: must be a string, not a decimal number (26.1) — write it in quotes: "26.10"',
      "schema-errors/pins.yaml:24:16 spec.integrationPacks[0].version: must be a whole number, not a string ('eight')",
      "schema-errors/pins.yaml:26:14 spec.policy.suspend: must be true or false, not a string ('yes')",
      "schema-errors/pins.yaml:32:1 spec: missing required field 'runtime'",
      'schema-errors/pins.yaml:43:3 spec.channel: set version or channel, not both',
      'schema-errors/pins.yaml:45:34 spec.connectors[0].version: must match ^[0-9]+(\\.[0-9]+){1,3}$ — an exact version such as 26.12.0',
      "schema-errors/pins.yaml:46:37 spec.connectors[1].channel: must be one of released, pending (got 'newest')",
    ]);
    expect(desired.map((d) => d.key)).toEqual(['default/still-loads']);
  });

  it('classifies schema problems by code', async () => {
    const { problems } = await loadPins(`${FIXTURES}/schema-errors`);
    expect(problems.map((p) => p.code)).toEqual([
      'UnknownField',
      'WrongType',
      'WrongType',
      'WrongType',
      'MissingField',
      'InvalidValue',
      'InvalidValue',
      'InvalidValue',
    ]);
  });

  it('checks maintenance windows: real cron schedules, known time zones, durations above zero', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/windows`);
    expect(shown(problems)).toEqual([
      'windows/pins.yaml:12:33 spec.policy.windows[1].schedule: not a valid cron expression: Invalid value for hour: 25',
      'windows/pins.yaml:12:57 spec.policy.windows[1].duration: must be longer than zero, e.g. 4h',
      'windows/pins.yaml:13:34 spec.policy.windows[2].schedule: must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 22 * * SAT"; got 6 fields',
      "windows/pins.yaml:13:76 spec.policy.windows[2].timeZone: unknown time zone 'Europe/Berln' — use an IANA name such as Europe/Berlin or UTC",
    ]);
    expect(desired).toEqual([]);
  });
});

describe('loadPins: document headers and names', () => {
  it('skips other API groups silently but refuses atomsync.io documents that are not v1alpha1 AtomVersions', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/header-errors`);
    expect(desired).toEqual([]);
    expect(problems.map((p) => [p.code, `${p.line}:${p.col}`, p.path, p.message])).toEqual([
      [
        'WrongApiVersion',
        '8:13',
        'apiVersion',
        "unsupported 'atomsync.io/v1beta1': this atomsync reads atomsync.io/v1alpha1",
      ],
      [
        'WrongKind',
        '17:7',
        'kind',
        "'Config' does not belong in a pins directory: expected apiVersion atomsync.io/v1alpha1 and kind AtomVersion",
      ],
      [
        'MissingApiVersion',
        '20:1',
        undefined,
        'missing apiVersion: expected apiVersion atomsync.io/v1alpha1 and kind AtomVersion',
      ],
      [
        'MissingName',
        '27:1',
        'metadata',
        "missing required field 'name': every AtomVersion needs one, e.g. prod-east-molecule",
      ],
      [
        'InvalidName',
        '36:9',
        'metadata.name',
        "'Prod_West' is not a valid Kubernetes name: use lowercase letters, digits, - and ., starting and ending with a letter or digit",
      ],
      [
        'InvalidName',
        '37:14',
        'metadata.namespace',
        "'Integration' is not a valid Kubernetes namespace: use lowercase letters, digits and -, starting and ending with a letter or digit",
      ],
      [
        'NotAMapping',
        '42:1',
        undefined,
        'expected a mapping with apiVersion, kind, metadata and spec, found a list',
      ],
    ]);
  });
});

describe('loadPins: YAML problems', () => {
  it('reports a syntax error in one document and still loads the other documents of the file', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/yaml-errors`);
    expect(desired.map((d) => [d.key, d.origin.line])).toEqual([
      ['default/good-before', 1],
      ['default/good-after', 19],
    ]);
    expect(shown(problems)).toEqual([
      "yaml-errors/duplicate-key.yaml:10:3 duplicate key 'version' (first at line 8, col 3); keep one of them",
      'yaml-errors/syntax.yaml:17:3 YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(problems.map((p) => p.code)).toEqual(['DuplicateKey', 'YamlSyntax']);
  });

  it('refuses an alias bomb with a clear error at the first alias', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/alias-bomb`);
    expect(desired).toEqual([]);
    expect(problems).toEqual([
      {
        file: `${FIXTURES}/alias-bomb/bomb.yaml`,
        line: 9,
        col: 10,
        code: 'AliasLimit',
        message:
          'too many alias expansions (limit 100): this looks like a YAML alias bomb ("billion laughs"); the document was not loaded',
      },
    ]);
  });

  it('ignores empty documents', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/empty-docs`);
    expect(problems).toEqual([]);
    expect(desired.map((d) => [d.key, d.origin.line])).toEqual([['default/only-one', 5]]);
  });
});

describe('loadPins: duplicates', () => {
  it('names both places when two files pin the same runtime, and applies neither', async () => {
    const { desired, problems } = await loadPins(`${FIXTURES}/duplicates`);
    expect(desired).toEqual([]);
    expect(shown(problems)).toEqual([
      `duplicates/a/prod.yaml:8:3 spec.runtime: runtime 'Prod East Molecule' of account acme-prod is also pinned by integration/prod-east-again at ${FIXTURES}/duplicates/b/also-prod.yaml:8:3; a runtime may be pinned by one AtomVersion only, so neither is applied`,
      `duplicates/a/prod.yaml:14:9 metadata.name: AtomVersion integration/unique is also defined at ${FIXTURES}/duplicates/b/also-prod.yaml:15:9; names must be unique per namespace, so neither is applied`,
      `duplicates/b/also-prod.yaml:8:3 spec.runtime: runtime 'Prod East Molecule' of account acme-prod is also pinned by integration/prod-east at ${FIXTURES}/duplicates/a/prod.yaml:8:3; a runtime may be pinned by one AtomVersion only, so neither is applied`,
      `duplicates/b/also-prod.yaml:15:9 metadata.name: AtomVersion integration/unique is also defined at ${FIXTURES}/duplicates/a/prod.yaml:14:9; names must be unique per namespace, so neither is applied`,
    ]);
    expect(problems.map((p) => p.code)).toEqual([
      'DuplicateRuntime',
      'DuplicateName',
      'DuplicateRuntime',
      'DuplicateName',
    ]);
  });
});

describe('formatProblem', () => {
  it('prints file:line:col, the field path and the message', () => {
    const problem: PinProblem = {
      file: 'examples/pins/prod.yaml',
      line: 12,
      col: 7,
      path: 'spec.connectors[1].version',
      message: 'must match ^[0-9]+(\\.[0-9]+){1,3}$ — an exact version such as 26.12.0',
      code: 'InvalidValue',
    };
    expect(formatProblem(problem)).toBe(
      'examples/pins/prod.yaml:12:7 spec.connectors[1].version: must match ^[0-9]+(\\.[0-9]+){1,3}$ — an exact version such as 26.12.0',
    );
    expect(formatProblem({ ...problem, path: undefined, message: 'not valid UTF-8' })).toBe(
      'examples/pins/prod.yaml:12:7 not valid UTF-8',
    );
  });
});
