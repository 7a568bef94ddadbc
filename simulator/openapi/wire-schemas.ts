// Boomi's OpenAPI document as the simulator reads it (simulator/openapi/boomi-platform-openapi.json, an
// extract made by extract-subset.ts): schemas by name, $ref and oneOf resolved, and the XML facts of each
// field (attribute or element, element name). The XML codec and the conformance suite both stand on it.
import document from './boomi-platform-openapi.json' with { type: 'json' };

export const BOOMI_NAMESPACE = 'http://api.platform.boomi.com/';

export interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  required?: string[];
  xml?: { name?: string; attribute?: boolean; namespace?: string; wrapped?: boolean };
}

export interface OpenApiOperation {
  tags?: string[];
  operationId?: string;
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType>; $ref?: string }>;
}

export interface MediaType {
  schema?: SchemaNode;
  example?: unknown;
  examples?: Record<string, { value?: unknown; summary?: string }>;
}

export interface OpenApiDocument {
  info: Record<string, unknown>;
  tags: { name: string; description?: string }[];
  'x-tagGroups': { name: string; tags: string[] }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, SchemaNode>; responses: Record<string, unknown> };
}

export const OPENAPI = document as unknown as OpenApiDocument;

const SCHEMAS = OPENAPI.components.schemas;

export function schemaNamed(name: string): SchemaNode | undefined {
  return SCHEMAS[name];
}

/** The schema a $ref points to (one level; refs to refs are followed). */
export function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let hops = 0; current?.$ref !== undefined && hops < 10; hops += 1) {
    current = SCHEMAS[refName(current.$ref)];
  }
  return current;
}

export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The schema's own properties, with allOf parts merged in. */
export function propertiesOf(node: SchemaNode | undefined): Record<string, SchemaNode> {
  const schema = deref(node);
  if (!schema) return {};
  const merged: Record<string, SchemaNode> = {};
  for (const part of schema.allOf ?? []) Object.assign(merged, propertiesOf(part));
  return Object.assign(merged, schema.properties ?? {});
}

/** The element name of an object of this schema: its xml.name, else the schema's name. */
export function elementNameOf(schemaName: string): string {
  return SCHEMAS[schemaName]?.xml?.name ?? schemaName;
}

/** For a oneOf, the variant whose name or xml.name is `typeName` (e.g. xsi:type="SimpleExpression"). */
export function variantNamed(node: SchemaNode, typeName: string | undefined): SchemaNode | undefined {
  const variants = deref(node)?.oneOf ?? [];
  if (typeName === undefined) return undefined;
  const bare = typeName.slice(typeName.indexOf(':') + 1);
  return variants.find((variant) => {
    if (variant.$ref === undefined) return false;
    const name = refName(variant.$ref);
    return name === bare || SCHEMAS[name]?.xml?.name === bare;
  });
}
