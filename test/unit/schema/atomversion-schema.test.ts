import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ATOMVERSION_API_VERSION,
  ATOMVERSION_KIND,
  atomVersionCrdPath,
  atomVersionSchema,
  formatPath,
  pointerToSegments,
  validateAtomVersion,
  withUnknownFieldsRejected,
} from '../../../controller/schema/atomversion-schema.js';

function pin(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'atomsync.io/v1alpha1', kind: 'AtomVersion', metadata: { name: 'p' }, spec };
}

function dig(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

const minimalSpec = { account: 'acme-prod', runtime: { name: 'Prod West Atom' } };

describe('the AtomVersion schema comes from the CRD', () => {
  it('is exactly the v1alpha1 openAPIV3Schema of crds/atomversion.yaml', () => {
    const crd = parse(readFileSync(atomVersionCrdPath, 'utf8'));
    expect(atomVersionCrdPath.endsWith('crds/atomversion.yaml')).toBe(true);
    expect(atomVersionSchema).toEqual(crd.spec.versions[0].schema.openAPIV3Schema);
    expect(ATOMVERSION_API_VERSION).toBe('atomsync.io/v1alpha1');
    expect(ATOMVERSION_KIND).toBe('AtomVersion');
  });

  it('cannot be changed by a caller (the fake API server shares it)', () => {
    expect(Object.isFrozen(atomVersionSchema)).toBe(true);
    expect(() => {
      (atomVersionSchema as Record<string, unknown>).type = 'string';
    }).toThrow(TypeError);
  });

  it('rejects unknown fields everywhere properties are listed, except where the CRD preserves them', () => {
    const strict = withUnknownFieldsRejected(atomVersionSchema);
    const closed = (...path: string[]) => dig(strict, ...path, 'additionalProperties');
    expect(closed()).toBe(false);
    expect(closed('properties', 'spec')).toBe(false);
    expect(closed('properties', 'spec', 'properties', 'connectors', 'items')).toBe(false);
    expect(closed('properties', 'spec', 'properties', 'policy', 'properties', 'windows', 'items')).toBe(
      false,
    );
    expect(closed('properties', 'status')).toBeUndefined();
    expect(closed('properties', 'metadata')).toBeUndefined();
    expect(dig(atomVersionSchema, 'properties', 'spec', 'additionalProperties')).toBeUndefined();
  });
});

describe('validateAtomVersion', () => {
  it('applies the defaults the CRD declares', () => {
    const result = validateAtomVersion(pin(minimalSpec));
    expect(result).toEqual({
      ok: true,
      value: pin({
        ...minimalSpec,
        connectors: [],
        integrationPacks: [],
        policy: {
          mode: 'enforce',
          suspend: false,
          allowRollback: true,
          allowPackReattach: false,
          windows: [],
        },
      }),
    });
  });

  it('fills in missing policy fields but keeps the ones given', () => {
    const result = validateAtomVersion(
      pin({ ...minimalSpec, policy: { mode: 'observe', allowRollback: false } }),
    );
    expect(result.ok && result.value.spec.policy).toEqual({
      mode: 'observe',
      suspend: false,
      allowRollback: false,
      allowPackReattach: false,
      windows: [],
    });
  });

  it('does not change the document it is given', () => {
    const doc = pin({ ...minimalSpec });
    validateAtomVersion(doc);
    expect(doc.spec).toEqual(minimalSpec);
  });

  it('names an unknown field, lists the allowed ones and suggests the likely one', () => {
    const result = validateAtomVersion(
      pin({
        ...minimalSpec,
        connectors: [{ name: 'HTTP Client' }, { name: 'Database', verison: '26.12.0' }],
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'spec.connectors[1].verison',
          segments: ['spec', 'connectors', 1, 'verison'],
          message: "unknown field 'verison' (allowed: name, version, channel) — did you mean 'version'?",
          keyword: 'additionalProperties',
          target: 'key',
        },
      ],
    });
  });

  it('explains a version that is not an exact version', () => {
    const result = validateAtomVersion(
      pin({ ...minimalSpec, connectors: [{ name: 'Database', version: 'latest' }] }),
    );
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({
        path: 'spec.connectors[0].version',
        message: 'must match ^[0-9]+(\\.[0-9]+){1,3}$ — an exact version such as 26.12.0',
        keyword: 'pattern',
      }),
    ]);
  });

  it('says which type was expected and what was found', () => {
    const result = validateAtomVersion(
      pin({ ...minimalSpec, integrationPacks: [{ name: 'Workday Sync', version: '12' }] }),
    );
    expect(!result.ok && result.errors.map((e) => [e.path, e.message])).toEqual([
      ['spec.integrationPacks[0].version', "must be a whole number, not a string ('12')"],
    ]);
  });

  it('reports a missing required field on the object that lacks it', () => {
    const result = validateAtomVersion(pin({ runtime: { name: 'Dev Atom' } }));
    expect(!result.ok && result.errors.map((e) => [e.path, e.message, e.keyword])).toEqual([
      ['spec', "missing required field 'account'", 'required'],
    ]);
  });

  it('refuses a version and a channel together, pointing at the second', () => {
    const result = validateAtomVersion(pin({ ...minimalSpec, version: '26.12.0', channel: 'pending' }));
    expect(!result.ok && result.errors.map((e) => [e.path, e.message, e.target])).toEqual([
      ['spec.channel', 'set version or channel, not both', 'key'],
    ]);
  });

  it('lists the allowed channel values', () => {
    const result = validateAtomVersion(pin({ ...minimalSpec, channel: 'latest' }));
    expect(!result.ok && result.errors[0]?.message).toBe("must be one of released, pending (got 'latest')");
  });

  it('explains an empty runtime reference with the CRD description', () => {
    const result = validateAtomVersion(pin({ ...minimalSpec, runtime: {} }));
    expect(!result.ok && result.errors[0]?.message).toBe(
      'must not be empty — the runtime (Atom, Molecule or Atom Cloud), by name or by id',
    );
  });

  it('reports every problem of a document at once', () => {
    const result = validateAtomVersion(
      pin({
        account: '',
        runtime: { name: 'x' },
        channel: 'pendng',
        integrationPacks: [{ name: 'p', version: 0 }],
      }),
    );
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual([
      'spec.account',
      'spec.channel',
      'spec.integrationPacks[0].version',
    ]);
  });

  it('accepts any status fields (the CRD preserves them)', () => {
    const result = validateAtomVersion({ ...pin(minimalSpec), status: { anything: { goes: true } } });
    expect(result.ok).toBe(true);
  });
});

describe('paths', () => {
  it('turns JSON pointers into readable field paths', () => {
    expect(formatPath(pointerToSegments('/spec/connectors/1/version'))).toBe('spec.connectors[1].version');
    expect(formatPath(pointerToSegments('/accounts/acme.prod~1x/tokenFile'))).toBe(
      'accounts["acme.prod/x"].tokenFile',
    );
    expect(formatPath([])).toBe('');
  });
});
