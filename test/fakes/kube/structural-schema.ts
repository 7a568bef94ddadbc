// Pruning and defaulting of custom resources the way the API server does it for structural schemas:
// unknown fields are dropped (unless x-kubernetes-preserve-unknown-fields), missing fields with a
// `default` get it, and defaulted values are defaulted further down.
import type { KubeObject } from './kube-types.js';
import { deepClone, isPlainObject } from './kube-types.js';

export type OpenApiSchema = Record<string, unknown>;

const ALWAYS_KEPT_AT_ROOT = ['apiVersion', 'kind', 'metadata'];

/** Drops unknown fields in place and returns their paths ("spec.foo", "spec.connectors[0].bar"). */
export function pruneUnknownFields(obj: KubeObject, rootSchema: OpenApiSchema): string[] {
  const pruned: string[] = [];
  pruneObject(obj, rootSchema, ALWAYS_KEPT_AT_ROOT, '', pruned);
  return pruned;
}

export function applyDefaults(obj: KubeObject, rootSchema: OpenApiSchema): void {
  defaultValue(obj, rootSchema);
}

function pruneValue(value: unknown, schema: OpenApiSchema | undefined, path: string, pruned: string[]): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = schemaOf(schema.items);
    value.forEach((item, index) => pruneValue(item, items, `${path}[${index}]`, pruned));
    return;
  }
  if (isPlainObject(value)) {
    const kept = schema['x-kubernetes-embedded-resource'] === true ? ALWAYS_KEPT_AT_ROOT : [];
    pruneObject(value, schema, kept, path, pruned);
  }
}

function pruneObject(
  value: Record<string, unknown>,
  schema: OpenApiSchema,
  alwaysKept: string[],
  path: string,
  pruned: string[],
): void {
  const properties = propertiesOf(schema);
  const additional = schemaOf(schema.additionalProperties);
  const preserveUnknown =
    schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  for (const key of Object.keys(value)) {
    if (alwaysKept.includes(key)) continue;
    const childPath = path ? `${path}.${key}` : key;
    const propertySchema = properties[key] ?? additional;
    if (propertySchema) pruneValue(value[key], propertySchema, childPath, pruned);
    else if (!preserveUnknown) {
      delete value[key];
      pruned.push(childPath);
    }
  }
}

function defaultValue(value: unknown, schema: OpenApiSchema | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = schemaOf(schema.items);
    for (const item of value) defaultValue(item, items);
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = propertiesOf(schema);
  for (const [key, propertySchema] of Object.entries(properties)) {
    const missing = !(key in value) || (value[key] === null && propertySchema.nullable !== true);
    if (missing && 'default' in propertySchema) value[key] = deepClone(propertySchema.default);
    if (key in value) defaultValue(value[key], propertySchema);
  }
  const additional = schemaOf(schema.additionalProperties);
  if (additional) {
    for (const key of Object.keys(value)) if (!(key in properties)) defaultValue(value[key], additional);
  }
}

function propertiesOf(schema: OpenApiSchema): Record<string, OpenApiSchema> {
  return isPlainObject(schema.properties) ? (schema.properties as Record<string, OpenApiSchema>) : {};
}

function schemaOf(value: unknown): OpenApiSchema | undefined {
  return isPlainObject(value) ? value : undefined;
}
