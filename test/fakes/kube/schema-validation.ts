// Validates custom resources with ajv against a CRD's openAPIV3Schema and words the failures the way
// kube-apiserver does (`spec.version: Invalid value: "abc": spec.version in body should match '^…'`).
// Then, as the API server does after the OpenAPI checks: list-type map keys must be unique
// (`Duplicate value`), and each x-kubernetes-validations rule is evaluated (cel.ts: a small CEL subset).
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { CustomResourceSchema, FieldError, KubeObject } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import type { OpenApiSchema } from './structural-schema.js';
import { applyDefaults, pruneUnknownFields } from './structural-schema.js';
import { CelError, evaluateCel } from './cel.js';

const KUBERNETES_KEYWORDS = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
];

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

let sharedAjv: Ajv | undefined;

function ajv(): Ajv {
  if (sharedAjv) return sharedAjv;
  const instance = new Ajv({ allErrors: true, strict: false, logger: false, validateSchema: false });
  for (const keyword of KUBERNETES_KEYWORDS) instance.addKeyword({ keyword });
  instance.addFormat('date-time', (text: string) => RFC3339.test(text) && !Number.isNaN(Date.parse(text)));
  sharedAjv = instance;
  return instance;
}

export function compileCustomResourceSchema(openApiV3Schema: OpenApiSchema): CustomResourceSchema {
  const validateFn = ajv().compile(withoutMetadataSchema(openApiV3Schema));
  return {
    normalize(obj) {
      const pruned = pruneUnknownFields(obj, openApiV3Schema);
      applyDefaults(obj, openApiV3Schema);
      return pruned;
    },
    validate(obj) {
      const errors: FieldError[] = [];
      walkExtensions(obj, openApiV3Schema, '', errors, true);
      return [...validateWith(validateFn, obj), ...errors];
    },
  };
}

/** The API server validates ObjectMeta itself; the CRD's `metadata` schema may say no more than `type: object`. */
function withoutMetadataSchema(schema: OpenApiSchema): OpenApiSchema {
  if (!isPlainObject(schema.properties)) return schema;
  const { metadata: _metadata, ...properties } = schema.properties;
  return { ...schema, properties };
}

function validateWith(validateFn: ValidateFunction, obj: KubeObject): FieldError[] {
  if (validateFn(obj)) return [];
  const errors = withoutBranchNoise(validateFn.errors ?? []);
  return errors.map((error) => toFieldError(error, obj));
}

/** anyOf/oneOf report every failed branch; Kubernetes reports the combinator alone. */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter(
    (e) => !combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`)),
  );
}

function toFieldError(error: ErrorObject, root: KubeObject): FieldError {
  const segments = pointerSegments(error.instancePath);
  const field = fieldPath(segments, root);
  const value = valueAt(segments, root);
  const params = error.params as Record<string, unknown>;
  const inBody = `${field || '<root>'} in body`;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return { type: 'FieldValueRequired', field: join(field, missing), body: 'Required value' };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(quote).join(', ');
      return {
        type: 'FieldValueNotSupported',
        field,
        body: `Unsupported value: ${quote(value)}: supported values: ${allowed}`,
      };
    }
    case 'type': {
      const actual = jsonTypeOf(value);
      return {
        type: 'FieldValueTypeInvalid',
        field,
        body: `Invalid value: "${actual}": ${inBody} must be of type ${String(params.type)}: "${actual}"`,
      };
    }
    case 'maxLength':
      return {
        type: 'FieldValueTooLong',
        field,
        body: `Too long: may not be more than ${String(params.limit)} bytes`,
      };
    case 'maxItems':
    case 'maxProperties':
      return {
        type: 'FieldValueTooMany',
        field,
        body: `Too many: ${countOf(value)}: must have at most ${String(params.limit)} items`,
      };
    default:
      return {
        type: 'FieldValueInvalid',
        field,
        body: `Invalid value: ${quote(value)}: ${describe(error, inBody, value)}`,
      };
  }
}

function describe(error: ErrorObject, inBody: string, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  const limit = String(params.limit);
  switch (error.keyword) {
    case 'pattern':
      return `${inBody} should match '${String(params.pattern)}'`;
    case 'minLength':
      return `${inBody} should be at least ${limit} chars long`;
    case 'minimum':
      return `${inBody} should be greater than or equal to ${limit}`;
    case 'exclusiveMinimum':
      return `${inBody} should be greater than ${limit}`;
    case 'maximum':
      return `${inBody} should be less than or equal to ${limit}`;
    case 'exclusiveMaximum':
      return `${inBody} should be less than ${limit}`;
    case 'minItems':
      return `${inBody} should have at least ${limit} items`;
    case 'minProperties':
      return `${inBody} should have at least ${limit} properties`;
    case 'uniqueItems':
      return `${inBody} shouldn't contain duplicates`;
    case 'multipleOf':
      return `${inBody} should be a multiple of ${String(params.multipleOf)}`;
    case 'format':
      return `${inBody} must be of type ${String(params.format)}: ${quote(value)}`;
    case 'not':
      return `${inBody.replace(/ in body$/, '')} must not validate the schema (not)`;
    case 'anyOf':
      return `${inBody.replace(/ in body$/, '')} must validate at least one schema (anyOf)`;
    case 'oneOf':
      return `${inBody.replace(/ in body$/, '')} must validate one and only one schema (oneOf)`;
    default:
      return `${inBody} ${error.message ?? 'is invalid'}`;
  }
}

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/spec/connectors/0/name` → `spec.connectors[0].name`. */
function fieldPath(segments: string[], root: unknown): string {
  let path = '';
  let current: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      path += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      path = join(path, segment);
      current = isPlainObject(current) ? current[segment] : undefined;
    }
  }
  return path;
}

function valueAt(segments: string[], root: unknown): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else current = isPlainObject(current) ? current[segment] : undefined;
  }
  return current;
}

interface ValidationRule {
  rule: string;
  message?: string;
  fieldPath?: string;
}

/** list-type map uniqueness and CEL rules, depth first; `atRoot` skips metadata as the API server does. */
function walkExtensions(
  value: unknown,
  schema: unknown,
  path: string,
  errors: FieldError[],
  atRoot = false,
): void {
  if (!isPlainObject(schema) || value === undefined) return;
  if (Array.isArray(value)) {
    if (schema['x-kubernetes-list-type'] === 'map') duplicateMapKeys(value, schema, path, errors);
    value.forEach((item, index) => walkExtensions(item, schema.items, `${path}[${index}]`, errors));
  } else if (isPlainObject(value) && isPlainObject(schema.properties)) {
    for (const [key, child] of Object.entries(schema.properties)) {
      if (atRoot && key === 'metadata') continue;
      walkExtensions(value[key], child, join(path, key), errors);
    }
  }
  const rules = Array.isArray(schema['x-kubernetes-validations']) ? schema['x-kubernetes-validations'] : [];
  for (const rule of rules as ValidationRule[]) {
    const field = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
    let outcome: unknown;
    try {
      outcome = evaluateCel(rule.rule, value);
    } catch (error) {
      outcome = error instanceof CelError ? error : false;
    }
    if (outcome === true) continue;
    const why =
      outcome instanceof CelError
        ? `rule evaluation error: ${outcome.message}`
        : (rule.message ?? `failed rule: ${rule.rule}`);
    errors.push({ type: 'FieldValueInvalid', field, body: `Invalid value: ${quote(value)}: ${why}` });
  }
}

function duplicateMapKeys(
  items: unknown[],
  schema: Record<string, unknown>,
  path: string,
  errors: FieldError[],
): void {
  const keys = Array.isArray(schema['x-kubernetes-list-map-keys'])
    ? (schema['x-kubernetes-list-map-keys'] as string[])
    : [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (!isPlainObject(item)) return;
    const identity = Object.fromEntries(keys.map((key) => [key, item[key]]));
    const text = JSON.stringify(identity);
    if (!seen.has(text)) {
      seen.add(text);
      return;
    }
    const shown = keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(item[key])}`).join(', ');
    errors.push({
      type: 'FieldValueDuplicate',
      field: `${path}[${index}]`,
      body: `Duplicate value: map[string]interface {}{${shown}}`,
    });
  });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function countOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return isPlainObject(value) ? Object.keys(value).length : 0;
}

/** Go's field.Error prints strings quoted, numbers and booleans bare, and we print structures by type. */
function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return `"${jsonTypeOf(value)}"`;
}
