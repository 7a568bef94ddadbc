// One shape for the objects the simulator only reads out of its world (runtime internals, extensions,
// cloud summaries, account group members…): the records the calling account sees, the id of each, and
// its wire form. GET, bulk, QUERY and Boomi's async GET are switched on per object, as the document lists
// them; writes are not served (400 "not supported").
import type { CallContext, ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import { ALL_OPERATORS, field } from './wire.js';

export interface ReadOnlyObject<T> {
  /** The object's name in the URL (and its schema). */
  type: string;
  /** The records the calling account sees. */
  records: (ctx: CallContext) => readonly T[];
  /** The id GET and bulk take (undefined: the object is only queried). */
  idOf?: (record: T) => string;
  toWire: (record: T, ctx: CallContext) => WireObject;
  /** Privileges of which the caller needs one (default: ATOM_MANAGEMENT or its read-only form). */
  readPrivileges?: readonly string[];
  /** QUERY's property names (those of the object's *SimpleExpression), each reading the field of that name. */
  queryProperties?: readonly string[];
  /** QUERY's operators, where the schema allows fewer than all (default ALL_OPERATORS). */
  queryOperators?: readonly string[];
  /** Fields read under another name than the property's (`clusterCloudId` → `cloudId`). */
  queryFields?: Readonly<Record<string, string>>;
  bulk?: boolean;
  /** GET only in Boomi's async form: /async/{type}/{id}, then /async/{type}/response/{token}. */
  async?: boolean;
  /** GET without an id (`GET /getAssignableRoles`): the object is the account's one record. */
  withoutId?: boolean;
}

export function readOnlyHandler<T>(spec: ReadOnlyObject<T>): ObjectHandler {
  const { idOf, queryProperties } = spec;
  const list = (ctx: CallContext) => spec.records(ctx).map((record) => spec.toWire(record, ctx));
  const get = (ctx: CallContext, id: string) => {
    const record = spec.records(ctx).find((r) => (spec.withoutId ? true : idOf?.(r) === id));
    return record === undefined ? undefined : spec.toWire(record, ctx);
  };
  return {
    type: spec.type,
    readPrivileges: spec.readPrivileges ?? READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: spec.bulk === true,
    readsAsync: spec.async === true,
    readsWithoutId: spec.withoutId === true,
    ...((idOf !== undefined || spec.withoutId === true) && { get }),
    ...(queryProperties !== undefined && {
      list,
      query: {
        operators: spec.queryOperators ?? ALL_OPERATORS,
        properties: Object.fromEntries(
          queryProperties.map((name) => [name, field(spec.queryFields?.[name] ?? name)]),
        ),
      },
    }),
  };
}

/**
 * An object of which the simulated world has no record: QUERY (where listed) answers an empty, well-formed
 * list; GET (with `byId`) and bulk GET answer that the id asked for does not exist.
 */
export function noneListed(
  type: string,
  queryProperties: readonly string[] | undefined,
  options: Pick<ReadOnlyObject<never>, 'readPrivileges' | 'queryOperators' | 'bulk'> & {
    byId?: boolean;
  } = {},
): ObjectHandler {
  const { byId, ...rest } = options;
  return readOnlyHandler<never>({
    type,
    records: () => [],
    toWire: () => ({ '@type': type }),
    ...(byId === true && { idOf: (record: never) => record }),
    ...(queryProperties !== undefined && { queryProperties }),
    ...rest,
  });
}
