import { describe, expect, it } from 'vitest';
import { validateWire, wireSchemaNames } from '../../../support/openapi-validator.js';

describe('OpenAPI wire validator (test support)', () => {
  it('accepts a Boomi-shaped QueryResult, "@type" tags included', () => {
    const body = {
      '@type': 'QueryResult',
      numberOfResults: 1,
      result: [
        { '@type': 'Atom', id: 'a-1', name: 'Atom', status: 'ONLINE', type: 'ATOM', forceRestartTime: 0 },
      ],
    };
    expect(validateWire('AtomQueryResponse', body)).toBeNull();
  });

  it('reports where a body breaks the schema', () => {
    const body = {
      '@type': 'QueryResult',
      numberOfResults: 'one',
      result: [{ '@type': 'Atom', status: 'ASLEEP' }],
    };
    const errors = validateWire('AtomQueryResponse', body);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/numberOfResults'),
        expect.stringContaining('/result/0/status'),
      ]),
    );
  });

  it('checks date-time formats', () => {
    expect(validateWire('Atom', { dateInstalled: 'yesterday' })).not.toBeNull();
    expect(validateWire('Atom', { dateInstalled: '2016-02-05T14:49:21Z' })).toBeNull();
  });

  it('knows the schemas of the fixture and refuses unknown names', () => {
    expect(wireSchemaNames()).toContain('AtomConnectorVersionsBulkResponse');
    expect(() => validateWire('NoSuchSchema', {})).toThrow(/NoSuchSchema/);
  });
});
