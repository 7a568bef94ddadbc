// The AtomVersion schema, read from the CRD (crds/atomversion.yaml) — never restated here. Pin files,
// the Kubernetes fake API server and anything else that validates AtomVersions use this one schema.
// This module reads the CRD once when it is loaded, which is why it lives at the edge and not in domain/
// (the domain does no I/O); everything it exports is pure after that.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { AtomVersionSpec } from '../domain/types.js';
import { closest } from '../domain/closest-names.js';

export type PathSegment = string | number;

export interface SchemaIssue {
  /** Where the problem is, e.g. `spec.connectors[1].version` ('' for the document itself). */
  path: string;
  /** The same path as segments, for mapping back to a source position. */
  segments: PathSegment[];
  /** What was expected, e.g. "must be one of released, pending (got 'pendng')". */
  message: string;
  /** The JSON Schema keyword that failed (type, required, additionalProperties, pattern, …). */
  keyword: string;
  /** 'key' when the issue is about a field's name (an unknown field), 'node' when about its value. */
  target: 'key' | 'node';
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: SchemaIssue[] };

/** An AtomVersion document after validation, with the schema's defaults applied. */
export interface AtomVersionDocument {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [field: string]: unknown };
  spec: AtomVersionSpec;
  status?: Record<string, unknown>;
}

export type JsonSchema = { [keyword: string]: unknown };

// ---------------------------------------------------------------------------------------------------
// The CRD

/** Walks up from this module (controller/schema/ in the sources, dist/controller/schema/ when built). */
export function findCrdFile(fileName: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'crds', fileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`crds/${fileName} not found above ` + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

interface CrdVersion {
  name: string;
  schema: { openAPIV3Schema: JsonSchema };
}
export interface Crd {
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

/** Absolute path of crds/atomversion.yaml. */
export const atomVersionCrdPath = findCrdFile('atomversion.yaml');

/** The whole CRD document, frozen. */
export const atomVersionCrd: Readonly<Crd> = deepFreeze(
  parseYaml(readFileSync(atomVersionCrdPath, 'utf8')) as Crd,
);

const servedVersion = atomVersionCrd.spec.versions.find((v) => v.name === 'v1alpha1');
if (!servedVersion) throw new Error(`${atomVersionCrdPath} has no v1alpha1 version`);

/** The v1alpha1 openAPIV3Schema exactly as the CRD declares it (frozen; Kubernetes pruning semantics). */
export const atomVersionSchema: Readonly<JsonSchema> = servedVersion.schema.openAPIV3Schema;

/** `atomsync.io/v1alpha1`, from the CRD's group and version. */
export const ATOMVERSION_API_VERSION = `${atomVersionCrd.spec.group}/${servedVersion.name}`;
export const ATOMVERSION_GROUP = atomVersionCrd.spec.group;
export const ATOMVERSION_KIND = atomVersionCrd.spec.names.kind;

// ---------------------------------------------------------------------------------------------------
// Strictness: Kubernetes prunes unknown fields; in a file they are almost always typos, so they are errors.

/**
 * Returns a copy of a schema in which every object schema that lists `properties` and does not say
 * `x-kubernetes-preserve-unknown-fields` rejects fields it does not list.
 */
export function withUnknownFieldsRejected(schema: Readonly<JsonSchema>): JsonSchema {
  const copy = structuredClone(schema) as JsonSchema;
  rejectUnknownFields(copy);
  return copy;
}

function rejectUnknownFields(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(rejectUnknownFields);
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  const listsProperties = schema.properties && typeof schema.properties === 'object';
  if (
    listsProperties &&
    !schema['x-kubernetes-preserve-unknown-fields'] &&
    !('additionalProperties' in schema)
  ) {
    schema.additionalProperties = false;
  }
  if (listsProperties) Object.values(schema.properties as object).forEach(rejectUnknownFields);
  for (const keyword of ['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf']) {
    rejectUnknownFields(schema[keyword]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Validators

const KUBERNETES_KEYWORDS = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];

/**
 * Annotation keywords atomsync's own schemas (the config) may use:
 * `x-atomsync-hint` — what a valid value looks like, appended to pattern/format/length messages;
 * `x-atomsync-forbidden` — field name → the message to give when that field is written.
 */
const ATOMSYNC_KEYWORDS = ['x-atomsync-hint', 'x-atomsync-forbidden'];

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    verbose: true,
    discriminator: true,
    strictTypes: false,
    strictTuples: false,
  });
  addFormats(ajv);
  for (const keyword of [...KUBERNETES_KEYWORDS, ...ATOMSYNC_KEYWORDS]) ajv.addKeyword(keyword);
  return ajv;
}

/**
 * Compiles a JSON schema into a validator that never mutates its input: it validates a deep copy,
 * applies the schema's defaults to that copy, and returns it (or person-readable issues).
 */
export function compileSchema<T>(schema: Readonly<JsonSchema>): (doc: unknown) => Validation<T> {
  const validate = createAjv().compile(schema as JsonSchema);
  return (doc) => {
    const value = structuredClone(doc);
    if (validate(value)) return { ok: true, value: value as T };
    return { ok: false, errors: toSchemaIssues(validate.errors ?? []) };
  };
}

const validateStrict = compileSchema<AtomVersionDocument>(withUnknownFieldsRejected(atomVersionSchema));

/**
 * Validates one AtomVersion document against the CRD's v1alpha1 schema (unknown fields rejected) and
 * returns it with defaults applied (`connectors: []`, `policy.mode: enforce`, …). The input is not changed.
 */
export function validateAtomVersion(doc: unknown): Validation<AtomVersionDocument> {
  return validateStrict(doc);
}

// ---------------------------------------------------------------------------------------------------
// Issues a person can act on

/** Hints for the CRD's patterns (presentation only: if a pattern changes, its hint simply disappears). */
const PATTERN_HINTS: Record<string, string> = {
  '^[0-9]+(\\.[0-9]+){1,3}$': 'an exact version such as 26.12.0',
  '^([0-9]+h)?([0-9]+m)?([0-9]+s)?$': 'a duration such as 4h, 30m or 1h30m',
};

const FORMAT_HINTS: Record<string, string> = {
  'date-time': 'an RFC 3339 time such as 2026-12-05T02:00:00Z',
  uri: 'an absolute URL such as https://api.boomi.com',
};

/** Turns ajv errors into SchemaIssues, one per distinct problem. */
function toSchemaIssues(errors: readonly ErrorObject[]): SchemaIssue[] {
  const issues = new Map<string, SchemaIssue>();
  for (const error of errors) {
    const issue = describeError(error);
    if (issue) issues.set(`${issue.path}\u0000${issue.message}`, issue);
  }
  return [...issues.values()];
}

/** `/spec/connectors/1/version` → ['spec', 'connectors', 1, 'version']. */
export function pointerToSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

/** ['spec', 'connectors', 1, 'version'] → `spec.connectors[1].version`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function issue(
  error: ErrorObject,
  segments: PathSegment[],
  message: string,
  target: 'key' | 'node' = 'node',
): SchemaIssue {
  return { path: formatPath(segments), segments, message, keyword: error.keyword, target };
}

function describeError(error: ErrorObject): SchemaIssue | undefined {
  const at = pointerToSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as JsonSchema;
  if (error.propertyName !== undefined) {
    const inner = describeError({ ...error, propertyName: undefined });
    const reason = inner ? inner.message : (error.message ?? 'is not allowed');
    return issue(error, [...at, error.propertyName], `invalid key '${error.propertyName}': ${reason}`, 'key');
  }
  switch (error.keyword) {
    case 'propertyNames':
      return undefined; // reported by the inner error, which names the key
    case 'additionalProperties':
      return unknownField(error, at, String(params.additionalProperty), parent);
    case 'required':
      return issue(error, at, `missing required field '${String(params.missingProperty)}'`);
    case 'discriminator':
      return discriminatorIssue(error, at, params, parent);
    case 'not':
      return notIssue(error, at);
    default:
      return issue(error, at, valueMessage(error, params, parent));
  }
}

function unknownField(error: ErrorObject, at: PathSegment[], field: string, parent: JsonSchema): SchemaIssue {
  const forbidden = (parent['x-atomsync-forbidden'] ?? {}) as Record<string, string>;
  const segments = [...at, field];
  if (typeof forbidden[field] === 'string') return issue(error, segments, forbidden[field], 'key');
  const allowed = Object.keys((parent.properties ?? {}) as object);
  const suggestion = closest(field, allowed);
  const message =
    `unknown field '${field}' (allowed: ${allowed.join(', ')})` +
    (suggestion ? ` — did you mean '${suggestion}'?` : '');
  return issue(error, segments, message, 'key');
}

function discriminatorIssue(
  error: ErrorObject,
  at: PathSegment[],
  params: Record<string, unknown>,
  parent: JsonSchema,
): SchemaIssue {
  const tag = String(params.tag);
  if (params.error === 'tag' && params.tagValue === undefined) {
    return issue(error, at, `missing required field '${tag}'`);
  }
  const branches = (parent.oneOf ?? []) as JsonSchema[];
  const values = branches.map((b) => ((b.properties as JsonSchema)[tag] as JsonSchema).const);
  return issue(error, [...at, tag], `must be one of ${values.join(', ')} (got ${show(params.tagValue)})`);
}

function valueMessage(error: ErrorObject, params: Record<string, unknown>, parent: JsonSchema): string {
  const hint = hintFor(error, parent);
  const withHint = (text: string): string => (hint ? `${text} — ${hint}` : text);
  switch (error.keyword) {
    case 'type':
      return `must be ${describeType(String(params.type))}, not ${describeValue(error.data)}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')} (got ${show(error.data)})`;
    case 'const':
      return `must be ${show(params.allowedValue)} (got ${show(error.data)})`;
    case 'pattern':
      return withHint(`must match ${String(params.pattern)}`);
    case 'format':
      return withHint(`must be a valid ${String(params.format)}`);
    case 'minLength':
      return withHint(
        params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`,
      );
    case 'maxLength':
      return `must be at most ${params.limit} characters`;
    case 'minimum':
      return `must be at least ${params.limit} (got ${show(error.data)})`;
    case 'maximum':
      return `must be at most ${params.limit} (got ${show(error.data)})`;
    case 'exclusiveMinimum':
      return `must be greater than ${params.limit} (got ${show(error.data)})`;
    case 'exclusiveMaximum':
      return `must be less than ${params.limit} (got ${show(error.data)})`;
    case 'minItems':
      return params.limit === 1 ? 'must list at least one item' : `must list at least ${params.limit} items`;
    case 'minProperties':
      return withHint(params.limit === 1 ? 'must not be empty' : `must have at least ${params.limit} fields`);
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/** `not: {required: [version, channel]}`: point at the second of the two, which both are set. */
function notIssue(error: ErrorObject, at: PathSegment[]): SchemaIssue {
  const required = (error.schema as JsonSchema | undefined)?.required;
  if (Array.isArray(required) && required.length > 1) {
    const last = String(required[required.length - 1]);
    return issue(error, [...at, last], `set ${required.join(' or ')}, not both`, 'key');
  }
  return issue(error, at, 'must not match the excluded form');
}

function hintFor(error: ErrorObject, parent: JsonSchema): string | undefined {
  if (typeof parent['x-atomsync-hint'] === 'string') return parent['x-atomsync-hint'];
  if (error.keyword === 'pattern') return PATTERN_HINTS[String(parent.pattern)] ?? description(parent);
  if (error.keyword === 'format') return FORMAT_HINTS[String(parent.format)];
  return description(parent);
}

function description(schema: JsonSchema): string | undefined {
  if (typeof schema.description !== 'string') return undefined;
  const text = schema.description.trim().replace(/\.$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function describeType(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    null: 'empty',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `a string (${show(value)})`;
  if (typeof value === 'number')
    return `${Number.isInteger(value) ? 'a whole number' : 'a decimal number'} (${value})`;
  return `${typeof value} (${String(value)})`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value) ?? String(value);
}
