import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateWire } from '../../../support/openapi-validator.js';
import { CHILD, FakeModel } from './fake-model.js';
import { api, call, startTestServer, type TestServer } from './sim-http.js';

describe('bulk GET with POST /{Object}/bulk', () => {
  let sim: TestServer;
  beforeAll(async () => {
    sim = await startTestServer(new FakeModel());
  });
  afterAll(() => sim.close());

  const bulk = (request: unknown, type = 'GET', object = 'Atom') =>
    call(sim.base, 'POST', api(CHILD, `${object}/bulk`), { json: { type, request } });

  it('answers 200 with one response per id, in order, each with its own statusCode', async () => {
    const res = await bulk([{ id: 'atom-1' }, { id: 'missing' }, { id: 'atom-3' }]);
    expect(res.status).toBe(200);
    expect(res.body['@type']).toBe('BulkResult');
    expect(res.body.response).toMatchObject([
      {
        '@type': 'BulkResponse',
        index: 0,
        id: 'atom-1',
        statusCode: 200,
        Result: { '@type': 'Atom', id: 'atom-1' },
      },
      {
        '@type': 'BulkResponse',
        index: 1,
        id: 'missing',
        statusCode: 400,
        errorMessage: 'Atom ID missing is invalid. Provide a valid Atom ID to complete this action.',
      },
      { index: 2, id: 'atom-3', statusCode: 200, Result: { id: 'atom-3' } },
    ]);
    expect(res.body.response[1]).not.toHaveProperty('Result');
  });

  it('answers compact JSON, each item with its fields in the documented order', async () => {
    const res = await bulk([{ id: 'atom-1' }, { id: 'missing' }]);
    expect(res.raw).toBe(JSON.stringify(res.body));
    expect(Object.keys(res.body.response[0])).toEqual(['@type', 'index', 'id', 'statusCode', 'Result']);
    expect(Object.keys(res.body.response[1])).toEqual(['@type', 'index', 'id', 'statusCode', 'errorMessage']);
  });

  it('answers a body that fits the AtomBulkResponse schema when every id exists', async () => {
    const res = await bulk([{ id: 'atom-1' }, { id: 'atom-2' }]);
    expect(validateWire('AtomBulkResponse', res.body)).toBeNull();
  });

  it('accepts exactly 100 ids', async () => {
    const res = await bulk(Array.from({ length: 100 }, (_, i) => ({ id: `atom-${i}` })));
    expect(res.status).toBe(200);
    expect(res.body.response).toHaveLength(100);
  });

  it('answers 400 for more than 100 ids', async () => {
    const res = await bulk(Array.from({ length: 101 }, (_, i) => ({ id: `atom-${i}` })));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ '@type': 'Error', message: expect.stringContaining('at most 100') });
  });

  it('answers 400 for a bulk type other than GET', async () => {
    const res = await bulk([{ id: 'atom-1' }], 'DELETE');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('DELETE');
  });

  it('answers 400 for an object without bulk support', async () => {
    const res = await bulk([{ id: 'w-000' }], 'GET', 'Widget');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('The BULK operation is not supported for Widget.');
  });
});
