import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateWire } from '../../../support/openapi-validator.js';
import { CHILD, FakeModel } from './fake-model.js';
import { api, call, startTestServer, type TestServer } from './sim-http.js';

// Widgets w-000…w-011: size = index, createdDate 2026-01-(index+1), names "Even widget 0", "Odd widget 1"…,
// tags [even|odd, all], a note on every third (0, 3, 6, 9).
const WIDGETS = 12;

function ids(indexes: number[]): string[] {
  return indexes.map((i) => `w-${String(i).padStart(3, '0')}`);
}

function simple(property: string, operator: string, argument: string[] = []): object {
  return { property, operator, argument };
}

describe('QueryFilter over POST /{Object}/query', () => {
  let sim: TestServer;
  beforeAll(async () => {
    sim = await startTestServer(new FakeModel({ widgetCount: WIDGETS }));
  });
  afterAll(() => sim.close());

  async function queryWidgets(expression: object): Promise<string[]> {
    const res = await call(sim.base, 'POST', api(CHILD, 'Widget/query'), {
      json: { QueryFilter: { expression } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.result as { id: string }[]).map((w) => w.id);
  }

  it.each([
    ['EQUALS', simple('name', 'EQUALS', ['Odd widget 1']), [1]],
    ['NOT_EQUALS', simple('name', 'NOT_EQUALS', ['Odd widget 1']), [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
    ['LIKE with a trailing %', simple('name', 'LIKE', ['Odd%']), [1, 3, 5, 7, 9, 11]],
    ['LIKE with a leading %', simple('name', 'LIKE', ['%dget 2']), [2]],
    ['CONTAINS', simple('name', 'CONTAINS', ['widget 4']), [4]],
    ['NOT_CONTAINS', simple('name', 'NOT_CONTAINS', ['Odd']), [0, 2, 4, 6, 8, 10]],
    ['IS_NULL', simple('note', 'IS_NULL'), [1, 2, 4, 5, 7, 8, 10, 11]],
    ['IS_NOT_NULL', simple('note', 'IS_NOT_NULL'), [0, 3, 6, 9]],
    ['BETWEEN numbers (inclusive)', simple('size', 'BETWEEN', ['2', '4']), [2, 3, 4]],
    ['GREATER_THAN compares numbers as numbers', simple('size', 'GREATER_THAN', ['9']), [10, 11]],
    ['GREATER_THAN_OR_EQUAL', simple('size', 'GREATER_THAN_OR_EQUAL', ['10']), [10, 11]],
    ['LESS_THAN', simple('size', 'LESS_THAN', ['2']), [0, 1]],
    ['LESS_THAN_OR_EQUAL', simple('size', 'LESS_THAN_OR_EQUAL', ['1']), [0, 1]],
    [
      'BETWEEN dates',
      simple('createdDate', 'BETWEEN', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z']),
      [1, 2],
    ],
    [
      'EQUALS on a multi-valued property matches any value',
      simple('tags', 'EQUALS', ['odd']),
      [1, 3, 5, 7, 9, 11],
    ],
    [
      'NOT_EQUALS on a multi-valued property needs every value to differ',
      simple('tags', 'NOT_EQUALS', ['odd']),
      [0, 2, 4, 6, 8, 10],
    ],
  ])('%s', async (_name, expression, expected) => {
    expect(await queryWidgets(expression)).toEqual(ids(expected));
  });

  it('combines simple expressions with an "and" grouping', async () => {
    const expression = {
      operator: 'and',
      nestedExpression: [simple('name', 'LIKE', ['Odd%']), simple('size', 'LESS_THAN', ['5'])],
    };
    expect(await queryWidgets(expression)).toEqual(ids([1, 3]));
  });

  it('combines simple expressions with an "or" grouping', async () => {
    const expression = {
      operator: 'or',
      nestedExpression: [simple('id', 'EQUALS', ['w-000']), simple('id', 'EQUALS', ['w-011'])],
    };
    expect(await queryWidgets(expression)).toEqual(ids([0, 11]));
  });

  it('evaluates nested groupings', async () => {
    const expression = {
      operator: 'and',
      nestedExpression: [
        {
          operator: 'or',
          nestedExpression: [simple('tags', 'EQUALS', ['even']), simple('name', 'CONTAINS', ['widget 3'])],
        },
        simple('size', 'GREATER_THAN', ['5']),
      ],
    };
    expect(await queryWidgets(expression)).toEqual(ids([6, 8, 10]));
  });

  it('returns everything for an empty body, {} and {"QueryFilter":{}}', async () => {
    for (const opts of [{}, { json: {} }, { json: { QueryFilter: {} } }]) {
      const res = await call(sim.base, 'POST', api(CHILD, 'Widget/query'), opts);
      expect(res.status).toBe(200);
      expect(res.body.numberOfResults).toBe(WIDGETS);
    }
  });

  it('answers 400 naming an unknown property and listing the allowed ones', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Atom/query'), {
      json: { QueryFilter: { expression: simple('colour', 'EQUALS', ['red']) } },
    });
    expect(res.status).toBe(400);
    expect(res.body['@type']).toBe('Error');
    expect(res.body.message).toContain("'colour'");
    expect(res.body.message).toContain('allowed: id, name, status, type, capabilities');
  });

  it("answers 400 for an operator the object's schema does not allow", async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Atom/query'), {
      json: { QueryFilter: { expression: simple('name', 'LIKE', ['Prod%']) } },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("'LIKE'");
    expect(res.body.message).toContain('EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS');
  });

  it('answers 400 when an operator gets the wrong number of arguments', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Widget/query'), {
      json: { QueryFilter: { expression: simple('size', 'BETWEEN', ['1']) } },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('BETWEEN takes 2 argument(s)');
  });

  it('answers 400 naming an unknown property inside a nested grouping', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Widget/query'), {
      json: {
        QueryFilter: {
          expression: {
            operator: 'or',
            nestedExpression: [{ operator: 'and', nestedExpression: [simple('bogus', 'EQUALS', ['x'])] }],
          },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("'bogus'");
  });

  it('answers an Atom query with a body that fits the AtomQueryResponse schema', async () => {
    const res = await call(sim.base, 'POST', api(CHILD, 'Atom/query'), {
      json: {
        QueryFilter: {
          expression: {
            operator: 'and',
            nestedExpression: [
              simple('status', 'EQUALS', ['ONLINE']),
              simple('capabilities', 'CONTAINS', ['BROKER']),
            ],
          },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      '@type': 'QueryResult',
      numberOfResults: 1,
      result: [{ id: 'atom-2' }],
    });
    expect(res.body).not.toHaveProperty('queryToken');
    expect(validateWire('AtomQueryResponse', res.body)).toBeNull();
  });
});
