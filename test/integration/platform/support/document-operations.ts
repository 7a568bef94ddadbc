// The operations of Boomi's OpenAPI document (the extract in simulator/openapi/) for the objects the
// simulator serves, with the document's own request examples (JSON and XML) and the answer schema of each.
// The conformance suite replays them; ids in the examples are swapped for ids of the simulated world.
import { supports, type Operation as RouteOperation } from '../../../../simulator/http/object-routes.js';
import type { ObjectHandler } from '../../../../simulator/model/port.js';
import {
  OPENAPI,
  refName,
  type MediaType,
  type OpenApiOperation,
} from '../../../../simulator/openapi/wire-schemas.js';

export type Kind =
  'CREATE' | 'GET' | 'QUERY' | 'BULK' | 'UPDATE' | 'DELETE' | 'ASYNC_TOKEN' | 'ASYNC_RESPONSE';

export interface DocumentOperation {
  object: string;
  kind: Kind;
  method: string;
  path: string;
  /** The schema of the 200 answer (undefined: the document gives no body, as for DELETE). */
  schema: string | undefined;
  jsonExample: unknown;
  /** Every XML request example of the operation, by name. */
  xmlExamples: Record<string, string>;
}

/** Kinds in the order a conformance run goes through one object's operations. */
export const KIND_ORDER: readonly Kind[] = [
  'CREATE',
  'GET',
  'ASYNC_TOKEN',
  'ASYNC_RESPONSE',
  'QUERY',
  'BULK',
  'UPDATE',
  'DELETE',
];

function kindOf(method: string, path: string, object: string): Kind | undefined {
  if (method === 'post' && path === `/${object}`) return 'CREATE';
  if (method === 'get' && (path === `/${object}/{id}` || path === `/${object}`)) return 'GET';
  if (method === 'get' && path === `/async/${object}/{id}`) return 'ASYNC_TOKEN';
  if (method === 'get' && path === `/async/${object}/response/{token}`) return 'ASYNC_RESPONSE';
  if (method === 'post' && path === `/${object}/query`) return 'QUERY';
  if (method === 'post' && path === `/${object}/bulk`) return 'BULK';
  if (method === 'post' && path === `/${object}/{id}`) return 'UPDATE';
  if (method === 'delete' && path === `/${object}/{id}`) return 'DELETE';
  return undefined;
}

/** Every operation the document lists for an object, served or not (queryMore and execute forms aside). */
export function documentOperations(object: string): DocumentOperation[] {
  const found: DocumentOperation[] = [];
  for (const [path, methods] of Object.entries(OPENAPI.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (op.tags?.[0] !== object) continue;
      const kind = kindOf(method, path, object);
      if (kind) found.push(describeOperation(object, kind, method, path, op));
    }
  }
  return found.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

function describeOperation(
  object: string,
  kind: Kind,
  method: string,
  path: string,
  op: OpenApiOperation,
): DocumentOperation {
  const ref = op.responses?.['200']?.content?.['application/json']?.schema?.$ref;
  const content = op.requestBody?.content ?? {};
  return {
    object,
    kind,
    method,
    path,
    schema: ref === undefined ? undefined : refName(ref),
    jsonExample: examplesOf(content['application/json'])[0]?.[1],
    xmlExamples: Object.fromEntries(
      examplesOf(content['application/xml']).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  };
}

function examplesOf(media: MediaType | undefined): [string, unknown][] {
  if (!media) return [];
  if (media.example !== undefined) return [['example', media.example]];
  return Object.entries(media.examples ?? {}).map(([name, example]) => [name, example.value]);
}

/** Whether the simulator's handler takes this kind of call. */
export function isServed(handler: ObjectHandler, kind: Kind): boolean {
  return supports(handler, kind as RouteOperation);
}

/**
 * Fields whose values in the document's examples belong to its own (made-up) world: ids, and the release
 * date of ReleaseIntegrationPack (2025-02-20, in the simulated world's past).
 */
export const ID_FIELDS = [
  'releaseOnDate',
  'id',
  'atomId',
  'runtimeId',
  'environmentId',
  'roleId',
  'integrationPackInstanceId',
  'integrationPackId',
  'accountGroupId',
  'accountId',
  'cloudId',
  'parentId',
] as const;

export type IdField = (typeof ID_FIELDS)[number];
export type Ids = Partial<Record<IdField, string>>;

/** A JSON example with the id fields set to `ids` (fields not in `ids` are left as the document has them). */
export function withIds(example: unknown, ids: Ids): unknown {
  if (Array.isArray(example)) return example.map((item) => withIds(item, ids));
  if (typeof example !== 'object' || example === null) return example;
  return Object.fromEntries(
    Object.entries(example).map(([key, value]) => {
      const id = ids[key as IdField];
      return [key, id !== undefined && typeof value === 'string' ? id : withIds(value, ids)];
    }),
  );
}

/** An XML example with the id fields (attributes or elements, any prefix) set to `ids`; the rest untouched. */
export function xmlWithIds(xml: string, ids: Ids): string {
  let text = xml;
  for (const [field, id] of Object.entries(ids)) {
    text = text
      .replace(new RegExp(`(\\s${field}=")[^"]*(")`, 'g'), `$1${id}$2`)
      .replace(new RegExp(`(<(?:\\w+:)?${field}>)[^<]*(</)`, 'g'), `$1${id}$2`);
  }
  return text;
}

/** The query properties an XML QueryConfig names (property="…"). */
export function queryProperties(xml: string): string[] {
  return [...xml.matchAll(/\sproperty="([^"]*)"/g)].map((match) => match[1] ?? '');
}

/** The operators of the simple expressions of an XML QueryConfig (operator="…", grouping and/or aside). */
export function queryOperators(xml: string): string[] {
  return [...xml.matchAll(/\soperator="([^"]*)"/g)]
    .map((match) => match[1] ?? '')
    .filter((operator) => !['and', 'or'].includes(operator.toLowerCase()));
}

/** The operators the object's *SimpleExpression schema allows. */
export function allowedQueryOperators(object: string): string[] {
  const expression = OPENAPI.components.schemas[`${object}SimpleExpression`];
  return (expression?.properties?.['operator']?.enum ?? []).map(String);
}

/** The properties the object's *SimpleExpression schema allows. */
export function allowedQueryProperties(object: string): string[] {
  const expression = OPENAPI.components.schemas[`${object}SimpleExpression`];
  return (expression?.properties?.['property']?.enum ?? []).map(String);
}
