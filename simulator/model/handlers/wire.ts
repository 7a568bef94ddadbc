// Shared pieces of the API objects: building Boomi-shaped JSON and the query operators Boomi allows.
import type { ObjectHandler, WireObject } from '../port.js';

/** Operators of AtomSimpleExpression. */
export const ATOM_OPERATORS: readonly string[] = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'];

/** Operators of every other *SimpleExpression in Boomi's OpenAPI (Environment, Role, AuditLog, …). */
export const ALL_OPERATORS: readonly string[] = [
  'EQUALS',
  'LIKE',
  'NOT_EQUALS',
  'IS_NULL',
  'IS_NOT_NULL',
  'BETWEEN',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'CONTAINS',
  'NOT_CONTAINS',
];

/** Operators for atomsync's extension objects' QUERY. */
export const EXTENSION_OPERATORS: readonly string[] = ['EQUALS', 'NOT_EQUALS'];

/** An instant as the model keeps it (ISO with milliseconds). */
const INSTANT_WITH_MILLIS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d+Z$/;

/** Boomi writes instants to the second (`2016-02-05T14:49:21Z`); the model keeps milliseconds. */
function boomiDate(value: string): string {
  const match = INSTANT_WITH_MILLIS.exec(value);
  return match ? `${match[1]}Z` : value;
}

/** A JSON object with "@type" first, no undefined fields, and every instant in Boomi's style. */
export function wire(type: string, fields: object): WireObject {
  const object: WireObject = { '@type': type };
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) object[key] = typeof value === 'string' ? boomiDate(value) : value;
  }
  return object;
}

/** A property reader for QUERY that reads a string field as is. */
export function field(name: string): (obj: WireObject) => string | undefined {
  return (obj) => {
    const value = obj[name];
    return value === undefined || value === null ? undefined : String(value);
  };
}

/** yyyy-MM-dd, the date format of ReleaseIntegrationPack. */
export function dateOnly(iso: string | undefined): string | undefined {
  return iso?.slice(0, 10);
}

/** GET and list of records that belong to one account: another account's record is "not there". */
export function accountScoped<T extends { accountId: string }>(
  records: () => Record<string, T>,
  toWire: (record: T) => WireObject,
): Required<Pick<ObjectHandler, 'get' | 'list'>> {
  return {
    get: (ctx, id) => {
      const record = records()[id];
      return record?.accountId === ctx.accountId ? toWire(record) : undefined;
    },
    list: (ctx) =>
      Object.values(records())
        .filter((record) => record.accountId === ctx.accountId)
        .map(toWire),
  };
}
