// Boomi QueryFilter: simple expressions {property, operator, argument[]} and grouping expressions
// {operator: and|or, nestedExpression[]}, nested freely. Only the properties and operators the object's
// handler declares are accepted; anything else is a 400 that names it and lists what is allowed.
import { SimError, type ObjectHandler, type WireObject } from '../model/port.js';
import { isRecord } from './respond.js';

export type QuerySpec = NonNullable<ObjectHandler['query']>;
export type Predicate = (obj: WireObject) => boolean;

type Values = readonly string[];
type Matcher = (values: Values, args: readonly string[]) => boolean;

const ARGUMENT_COUNTS: Record<string, number> = {
  EQUALS: 1,
  NOT_EQUALS: 1,
  LIKE: 1,
  STARTS_WITH: 1,
  CONTAINS: 1,
  NOT_CONTAINS: 1,
  IS_NULL: 0,
  IS_NOT_NULL: 0,
  BETWEEN: 2,
  GREATER_THAN: 1,
  GREATER_THAN_OR_EQUAL: 1,
  LESS_THAN: 1,
  LESS_THAN_OR_EQUAL: 1,
};

const any =
  (test: (value: string, args: readonly string[]) => boolean): Matcher =>
  (values, args) =>
    values.some((v) => test(v, args));
const none =
  (test: (value: string, args: readonly string[]) => boolean): Matcher =>
  (values, args) =>
    !values.some((v) => test(v, args));

const equals = (v: string, [a]: readonly string[]): boolean => v === a;
const contains = (v: string, [a]: readonly string[]): boolean => v.includes(a ?? '');

const MATCHERS: Record<string, Matcher> = {
  EQUALS: any(equals),
  NOT_EQUALS: none(equals),
  LIKE: any((v, [a]) => likePattern(a ?? '').test(v)),
  STARTS_WITH: any((v, [a]) => v.startsWith(a ?? '')),
  CONTAINS: any(contains),
  NOT_CONTAINS: none(contains),
  IS_NULL: (values) => values.length === 0,
  IS_NOT_NULL: (values) => values.length > 0,
  BETWEEN: any((v, [low, high]) => compare(v, low ?? '') >= 0 && compare(v, high ?? '') <= 0),
  GREATER_THAN: any((v, [a]) => compare(v, a ?? '') > 0),
  GREATER_THAN_OR_EQUAL: any((v, [a]) => compare(v, a ?? '') >= 0),
  LESS_THAN: any((v, [a]) => compare(v, a ?? '') < 0),
  LESS_THAN_OR_EQUAL: any((v, [a]) => compare(v, a ?? '') <= 0),
};

/** The predicate for a QUERY body; no body, `{}` or `{"QueryFilter":{}}` matches everything. */
export function compileQueryFilter(
  body: Record<string, unknown>,
  spec: QuerySpec,
  objectType: string,
): Predicate {
  const filter = body['QueryFilter'];
  if (filter === undefined || filter === null) return () => true;
  if (!isRecord(filter)) throw new SimError(400, 'QueryFilter must be an object.');
  const expression = filter['expression'];
  if (expression === undefined || expression === null) return () => true;
  return compileExpression(expression, spec, objectType);
}

function compileExpression(expression: unknown, spec: QuerySpec, objectType: string): Predicate {
  if (!isRecord(expression)) throw new SimError(400, 'A query expression must be an object.');
  return isGrouping(expression)
    ? compileGrouping(expression, spec, objectType)
    : compileSimple(expression, spec, objectType);
}

function isGrouping(expression: Record<string, unknown>): boolean {
  if (expression['property'] !== undefined) return false;
  const operator = String(expression['operator'] ?? '').toLowerCase();
  return 'nestedExpression' in expression || operator === 'and' || operator === 'or';
}

function compileGrouping(
  expression: Record<string, unknown>,
  spec: QuerySpec,
  objectType: string,
): Predicate {
  const operator = String(expression['operator'] ?? '').toLowerCase();
  if (operator !== 'and' && operator !== 'or') {
    throw new SimError(
      400,
      `Unknown grouping operator '${String(expression['operator'])}'; allowed: and, or.`,
    );
  }
  const nested = expression['nestedExpression'] ?? [];
  if (!Array.isArray(nested)) throw new SimError(400, 'nestedExpression must be an array of expressions.');
  const parts = nested.map((e: unknown) => compileExpression(e, spec, objectType));
  return operator === 'and' ? (obj) => parts.every((p) => p(obj)) : (obj) => parts.some((p) => p(obj));
}

function compileSimple(expression: Record<string, unknown>, spec: QuerySpec, objectType: string): Predicate {
  const property = expression['property'];
  if (typeof property !== 'string' || !(property in spec.properties)) {
    const allowed = Object.keys(spec.properties).join(', ');
    throw new SimError(
      400,
      `Unknown query property '${String(property)}' for ${objectType}; allowed: ${allowed}.`,
    );
  }
  const operator = String(expression['operator'] ?? '').toUpperCase();
  const matcher = MATCHERS[operator];
  if (!matcher || !spec.operators.includes(operator)) {
    const allowed = spec.operators.join(', ');
    throw new SimError(
      400,
      `Unknown query operator '${String(expression['operator'])}' for ${objectType}; allowed: ${allowed}.`,
    );
  }
  const args = readArguments(expression['argument'], operator);
  const read = spec.properties[property];
  return (obj) => matcher(valuesOf(read?.(obj)), args);
}

function readArguments(raw: unknown, operator: string): string[] {
  const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const args = list.map((a: unknown) => {
    if (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') return String(a);
    throw new SimError(400, `Query arguments must be strings; ${operator} got ${JSON.stringify(a)}.`);
  });
  const expected = ARGUMENT_COUNTS[operator] ?? 1;
  if (expected > 0 && args.length !== expected) {
    throw new SimError(400, `${operator} takes ${expected} argument(s), got ${args.length}.`);
  }
  return args;
}

function valuesOf(value: string | string[] | undefined): Values {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function likePattern(argument: string): RegExp {
  const escaped = argument.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

/** Numbers compare as numbers, ISO dates as instants, everything else as strings. */
function compare(a: string, b: string): number {
  const numbers = [Number(a), Number(b)];
  if (a.trim() !== '' && b.trim() !== '' && numbers.every(Number.isFinite)) {
    return Math.sign((numbers[0] ?? 0) - (numbers[1] ?? 0));
  }
  const dates = [a, b].map(isoInstant);
  if (dates[0] !== undefined && dates[1] !== undefined) return Math.sign(dates[0] - dates[1]);
  return a < b ? -1 : a > b ? 1 : 0;
}

function isoInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
