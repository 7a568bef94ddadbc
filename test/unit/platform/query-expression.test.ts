import { describe, expect, it } from 'vitest';
import { equalsAny } from '../../../controller/platform/query-expression.js';

describe('equalsAny', () => {
  it('is a single EQUALS for one value and an or of EQUALS for several', () => {
    expect(equalsAny('atomId', ['a'])).toEqual({ property: 'atomId', operator: 'EQUALS', argument: ['a'] });
    expect(equalsAny('atomId', ['a', 'b'])).toEqual({
      operator: 'or',
      nestedExpression: [
        { property: 'atomId', operator: 'EQUALS', argument: ['a'] },
        { property: 'atomId', operator: 'EQUALS', argument: ['b'] },
      ],
    });
  });
});
