// Small builders for QueryFilter expressions, so callers write `and(equals('atomId', id), …)`.
import type { GroupingExpression, QueryExpression, SimpleExpression } from './wire.js';

export function equals(property: string, value: string): SimpleExpression {
  return { property, operator: 'EQUALS', argument: [value] };
}

export function notEquals(property: string, value: string): SimpleExpression {
  return { property, operator: 'NOT_EQUALS', argument: [value] };
}

export function and(...nestedExpression: QueryExpression[]): GroupingExpression {
  return { operator: 'and', nestedExpression };
}

function or(...nestedExpression: QueryExpression[]): GroupingExpression {
  return { operator: 'or', nestedExpression };
}

/** `property` equals any of `values` (an `or` of EQUALS; a single EQUALS for one value). */
export function equalsAny(property: string, values: readonly string[]): QueryExpression {
  const [only] = values;
  if (values.length === 1 && only !== undefined) return equals(property, only);
  return or(...values.map((value) => equals(property, value)));
}

/** What `query(object)` sends when no filter is given: an empty `and`, which matches every object. */
export const MATCH_ALL: GroupingExpression = { operator: 'and', nestedExpression: [] };
