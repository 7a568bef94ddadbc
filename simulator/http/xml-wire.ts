// Boomi's XML, both ways, driven by the OpenAPI document (simulator/openapi/): the root element is the
// schema's xml.name (Atom, QueryResult, BulkResult…) in the namespace http://api.platform.boomi.com/
// (prefix bns, as Boomi writes it), fields marked xml.attribute are attributes, the others child elements
// (one per array item, named after the field). Objects in result lists say their type with xsi:type.
// Errors are <error><message>…</message></error>, as the document's error examples show.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  BOOMI_NAMESPACE,
  deref,
  elementNameOf,
  propertiesOf,
  schemaNamed,
  variantNamed,
  type SchemaNode,
} from '../openapi/wire-schemas.js';

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const PREFIX = 'bns';
const ATTR = '@_';
const TEXT = '#text';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
/** Fields holding objects of several types (query results, bulk items): each says its type. */
const TYPED_CONTAINERS = new Set(['result', 'Result']);

type Json = Record<string, unknown>;
type XmlNode = Record<string, unknown>;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

// ---- JSON → XML --------------------------------------------------------------------------------------

/** The XML of a JSON body; `schemaName` is the answer's schema (e.g. AtomQueryResponse), else its @type. */
export function toXml(body: unknown, schemaName?: string): string {
  if (!isObject(body)) return XML_DECLARATION;
  if (body['@type'] === 'Error') {
    return `${XML_DECLARATION}${builder.build({ error: { message: String(body['message'] ?? '') } })}`;
  }
  const typeName = typeof body['@type'] === 'string' ? body['@type'] : undefined;
  const name = schemaName ?? typeName ?? 'Object';
  const schema = schemaNamed(name) ?? (typeName !== undefined ? schemaNamed(typeName) : undefined);
  const root = {
    [`${ATTR}xmlns:${PREFIX}`]: BOOMI_NAMESPACE,
    [`${ATTR}xmlns:xsi`]: XSI_NAMESPACE,
    ...objectElement(body, schema),
  };
  const elementName = schemaNamed(name) ? elementNameOf(name) : (typeName ?? name);
  return `${XML_DECLARATION}${builder.build({ [`${PREFIX}:${elementName}`]: root })}`;
}

function objectElement(value: Json, schema: SchemaNode | undefined): XmlNode {
  const fields = propertiesOf(schema);
  const element: XmlNode = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '@type' || field === undefined || field === null) continue;
    const fieldSchema = fields[key];
    if (fieldSchema?.xml?.attribute === true && !isObject(field) && !Array.isArray(field)) {
      element[`${ATTR}${key}`] = String(field);
      continue;
    }
    const itemSchema = Array.isArray(field) ? deref(fieldSchema)?.items : fieldSchema;
    const items = Array.isArray(field) ? field : [field];
    element[`${PREFIX}:${key}`] = items.map((item) => itemElement(key, item, itemSchema));
  }
  return element;
}

function itemElement(key: string, item: unknown, schema: SchemaNode | undefined): unknown {
  if (!isObject(item)) return String(item);
  const typeName = typeof item['@type'] === 'string' ? item['@type'] : undefined;
  const concrete = deref(schema)?.oneOf === undefined ? deref(schema) : undefined;
  const element = objectElement(item, concrete ?? (typeName ? schemaNamed(typeName) : undefined));
  if (typeName !== undefined && TYPED_CONTAINERS.has(key))
    return { [`${ATTR}xsi:type`]: typeName, ...element };
  return element;
}

// ---- XML → JSON --------------------------------------------------------------------------------------

export interface DecodedXml {
  /** The root element's local name (e.g. QueryConfig). */
  root: string;
  /** The root's namespace, if declared (Boomi's is http://api.platform.boomi.com/). */
  namespace: string | undefined;
  value: Json;
  /** Where the XML departs from the schema: unknown fields, attributes that should be elements… */
  problems: string[];
}

/** A leading XML declaration, however written (the document's own examples leave out the quotes). */
const DECLARATION = /^\s*<\?xml[^>]*\?>/;

/** Parses XML as the object of `schemaName`; throws XmlSyntaxError when it is not well-formed XML. */
export function fromXml(text: string, schemaName: string): DecodedXml {
  const body = text.replace(DECLARATION, '').trim();
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) {
    throw new XmlSyntaxError(`line ${verdict.err.line}, column ${verdict.err.col}: ${verdict.err.msg}`);
  }
  const parsed = parser.parse(body) as Record<string, XmlNode[]>;
  const [qualified, nodes] = Object.entries(parsed)[0] ?? [];
  const node = nodes?.[0];
  if (qualified === undefined || node === undefined) throw new XmlSyntaxError('there is no root element');
  const root = localName(qualified);
  const problems: string[] = [];
  const schema = schemaNamed(schemaName);
  if (schema && root !== elementNameOf(schemaName) && root !== schemaName) {
    problems.push(`the root element is ${root}; ${schemaName} is <${elementNameOf(schemaName)}>`);
  }
  const namespace = namespaceOf(qualified, node);
  const value = decodeObject(isObject(node) ? node : {}, schema, `/${root}`, problems);
  return { root, namespace, value, problems };
}

export class XmlSyntaxError extends Error {
  constructor(detail: string) {
    super(`The request body is not well-formed XML: ${detail}.`);
    this.name = 'XmlSyntaxError';
  }
}

function decodeObject(node: XmlNode, schema: SchemaNode | undefined, path: string, problems: string[]): Json {
  const fields = propertiesOf(schema);
  const known = schema !== undefined;
  const value: Json = {};
  for (const [qualified, raw] of Object.entries(node)) {
    if (qualified === TEXT) continue;
    const isAttribute = qualified.startsWith(ATTR);
    const name = isAttribute ? qualified.slice(ATTR.length) : qualified;
    if (isAttribute && (name === 'xmlns' || name.startsWith('xmlns:') || name === 'xsi:type')) continue;
    const key = localName(name);
    const fieldSchema = fields[key];
    const where = `${path}/${isAttribute ? '@' : ''}${key}`;
    if (known && fieldSchema === undefined) problems.push(`${where}: not a field of the schema`);
    const wantsAttribute = fieldSchema?.xml?.attribute === true;
    if (fieldSchema && wantsAttribute !== isAttribute) {
      problems.push(`${where}: the schema has ${key} as an ${wantsAttribute ? 'attribute' : 'element'}`);
    }
    value[key] = isAttribute
      ? scalar(String(raw), fieldSchema, where, problems)
      : elementValue(raw as unknown[], fieldSchema, where, problems);
  }
  // A list with no items has no element in XML: a required list that is absent is an empty one.
  for (const name of deref(schema)?.required ?? []) {
    if (value[name] === undefined && deref(fields[name])?.type === 'array') value[name] = [];
  }
  return value;
}

function elementValue(nodes: unknown[], schema: SchemaNode | undefined, path: string, problems: string[]) {
  const resolved = deref(schema);
  if (resolved?.type === 'array') {
    return nodes.map((node, i) => decodeValue(node, resolved.items, `${path}[${i}]`, problems));
  }
  if (nodes.length > 1 && schema !== undefined) problems.push(`${path}: repeated, but not a list`);
  return decodeValue(nodes[0], schema, path, problems);
}

function decodeValue(node: unknown, schema: SchemaNode | undefined, path: string, problems: string[]) {
  let resolved = deref(schema);
  if (resolved?.oneOf !== undefined && isObject(node)) {
    const typeName = node[`${ATTR}xsi:type`];
    resolved = deref(variantNamed(resolved, typeof typeName === 'string' ? typeName : undefined));
    if (resolved === undefined) problems.push(`${path}: xsi:type names none of the schema's variants`);
  }
  const isStructured = resolved?.type === 'object' || resolved?.properties !== undefined;
  if (isStructured || (resolved === undefined && isObject(node) && !hasOnlyText(node))) {
    return decodeObject(isObject(node) ? node : {}, resolved, path, problems);
  }
  const text = isObject(node) ? String(node[TEXT] ?? '') : String(node ?? '');
  return scalar(text, resolved, path, problems);
}

function scalar(text: string, schema: SchemaNode | undefined, path: string, problems: string[]): unknown {
  const type = deref(schema)?.type;
  if (type === 'integer' || type === 'number') {
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number)) problems.push(`${path}: "${text}" is not a number`);
    return number;
  }
  if (type === 'boolean') {
    if (text !== 'true' && text !== 'false') problems.push(`${path}: "${text}" is not true or false`);
    return text === 'true';
  }
  return text;
}

function namespaceOf(qualified: string, node: XmlNode): string | undefined {
  const colon = qualified.indexOf(':');
  const declaration = colon < 0 ? `${ATTR}xmlns` : `${ATTR}xmlns:${qualified.slice(0, colon)}`;
  const uri = node[declaration];
  return typeof uri === 'string' ? uri : undefined;
}

function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1);
}

function hasOnlyText(node: XmlNode): boolean {
  return Object.keys(node).every((key) => key === TEXT);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
