// The shapes the client expects of the platform's answers, checked before any field is used: a platform
// (or something in front of it) that answers with the wrong JSON gets one clear InvalidResponse naming the
// object and the field — never a TypeError deep in planning, and never "not found" for garbage.

type Scalar = 'string' | 'number' | 'boolean';

/** A field: a scalar, an object of a shape, or a list of objects of a shape; `optional` allows absence. */
export type FieldSpec =
  | Scalar
  | { optional: Scalar }
  | { object: Shape; optional?: boolean }
  | { list: Shape; optional?: boolean }
  | { listOf: Scalar; optional?: boolean };

export type Shape = Readonly<Record<string, FieldSpec>>;

/** Where the answer first differs from the shape, as `result[3].name is missing (expected a string)`. */
export function shapeProblem(value: unknown, shape: Shape, where: string): string | undefined {
  if (!isObject(value)) return `${where} is ${describe(value)} (expected an object)`;
  for (const [field, spec] of Object.entries(shape)) {
    const problem = fieldProblem(value[field], spec, `${where}.${field}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Checks a list of objects (query results, bulk answers). */
function listProblem(value: unknown, shape: Shape, where: string): string | undefined {
  if (!Array.isArray(value)) return `${where} is ${describe(value)} (expected a list)`;
  for (const [index, item] of value.entries()) {
    const problem = shapeProblem(item, shape, `${where}[${index}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function fieldProblem(value: unknown, spec: FieldSpec, where: string): string | undefined {
  if (typeof spec === 'string') return scalarProblem(value, spec, where, false);
  if ('optional' in spec && typeof spec.optional === 'string')
    return scalarProblem(value, spec.optional, where, true);
  if (value === undefined && 'optional' in spec && spec.optional === true) return undefined;
  if ('object' in spec) return shapeProblem(value, spec.object, where);
  if ('list' in spec) return listProblem(value, spec.list, where);
  if (!Array.isArray(value)) return `${where} is ${describe(value)} (expected a list)`;
  for (const [index, item] of value.entries()) {
    const problem = scalarProblem(item, spec.listOf, `${where}[${index}]`, false);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function scalarProblem(value: unknown, type: Scalar, where: string, optional: boolean): string | undefined {
  if (value === undefined) return optional ? undefined : `${where} is missing (expected a ${type})`;
  if (typeof value === type && (type !== 'number' || Number.isFinite(value))) return undefined;
  return `${where} is ${describe(value)} (expected a ${type})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// ---- the shapes of the objects atomsync reads ------------------------------------------------------

/** A query page: `result` and `queryToken` are both optional (an empty result may omit them). */
export function queryPageProblem(page: unknown, item: Shape): string | undefined {
  const envelope = shapeProblem(page, { queryToken: { optional: 'string' } }, 'the answer');
  if (envelope !== undefined) return envelope;
  const result = (page as { result?: unknown }).result;
  return result === undefined ? undefined : listProblem(result, item, 'result');
}

/** A bulk answer: a `response` list; each successful entry's `Result` of the object's shape. */
export function bulkAnswerProblem(answer: unknown, item: Shape): string | undefined {
  const envelope = shapeProblem(
    answer,
    { response: { list: { statusCode: 'number', errorMessage: { optional: 'string' } } } },
    'the answer',
  );
  if (envelope !== undefined) return envelope;
  for (const [index, entry] of (answer as { response: BulkEntry[] }).response.entries()) {
    if (entry.statusCode < 200 || entry.statusCode >= 300) continue;
    const problem = shapeProblem(entry.Result, item, `response[${index}].Result`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

interface BulkEntry {
  statusCode: number;
  Result?: unknown;
}

export const RELEASE_SCHEDULE: Shape = {
  atomId: 'string',
  scheduleType: 'string',
  dayOfWeek: { optional: 'string' },
  hourOfDay: { optional: 'number' },
  timeZone: { optional: 'string' },
};

export const ATOM: Shape = {
  id: 'string',
  name: 'string',
  type: 'string',
  status: 'string',
  statusDetail: { optional: 'string' },
  currentVersion: { optional: 'string' },
  forceRestartTime: { optional: 'number' },
  isCloudAttachment: { optional: 'boolean' },
};

const VERSION_ENTRY: Shape = {
  name: 'string',
  version: 'string',
  pendingVersion: { optional: 'string' },
  rollbackVersion: { optional: 'string' },
  outstandingRequestId: { optional: 'string' },
};

export const ATOM_VERSIONS: Shape = { AtomVersion: { list: VERSION_ENTRY } };

export const ATOM_CONNECTOR_VERSIONS: Shape = {
  ConnectorVersion: { list: { name: 'string', version: 'string' }, optional: true },
};

const PACK_ENTRY: Shape = {
  integrationPackInstanceId: 'string',
  integrationPackId: 'string',
  name: 'string',
  version: 'number',
  pendingVersion: { optional: 'number' },
  outstandingRequestId: { optional: 'string' },
};

export const INTEGRATION_PACK_VERSIONS: Shape = {
  IntegrationPackVersion: { list: PACK_ENTRY, optional: true },
};

export const ENVIRONMENT: Shape = { id: 'string', name: 'string', classification: { optional: 'string' } };

export const ENVIRONMENT_ATOM_ATTACHMENT: Shape = { atomId: 'string', environmentId: 'string' };

export const ACCOUNT_USER_ROLE: Shape = { userId: 'string', roleId: 'string' };

export const ROLE: Shape = {
  id: 'string',
  parentId: { optional: 'string' },
  Privileges: { object: { Privilege: { list: { name: 'string' }, optional: true } }, optional: true },
};

export const VERSION_REQUEST: Shape = {
  atomId: 'string',
  action: 'string',
  components: { listOf: 'string', optional: true },
  status: { optional: 'string' },
};

export const PACK_REQUEST: Shape = { atomId: 'string', status: { optional: 'string' } };

export const PACK_ATTACHMENT: Shape = { environmentId: 'string', integrationPackInstanceId: 'string' };
