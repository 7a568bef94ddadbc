// Validates JSON bodies against the schemas of Boomi's OpenAPI (the extract the simulator reads,
// simulator/openapi/boomi-platform-openapi.json),
// e.g. validateWire('AtomQueryResponse', body). Boomi's JSON carries "@type" on every object, which the
// schemas do not declare; it is removed before validating.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const DOCUMENT_ID = 'atomsphere-openapi';
const INT32 = 2 ** 31;

interface OpenApiDocument {
  components: { schemas: Record<string, unknown> };
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function loadDocument(): OpenApiDocument {
  const url = new URL('../../simulator/openapi/boomi-platform-openapi.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as OpenApiDocument;
}

function validatorEngine(): Ajv {
  if (ajv) return ajv;
  const engine = new Ajv({ strict: false, allErrors: true });
  addFormats.default(engine);
  engine.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= INT32,
  });
  engine.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  engine.addKeyword('xml');
  engine.addKeyword('example');
  const document = loadDocument();
  engine.addSchema({ $id: DOCUMENT_ID, components: document.components });
  ajv = engine;
  return engine;
}

/** The schema names the fixture defines (Atom, AtomQueryResponse, AtomBulkResponse, …). */
export function wireSchemaNames(): string[] {
  return Object.keys(loadDocument().components.schemas);
}

function validatorFor(schemaName: string): ValidateFunction {
  const cached = compiled.get(schemaName);
  if (cached) return cached;
  const validate = validatorEngine().getSchema(`${DOCUMENT_ID}#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`No schema named ${schemaName} in the OpenAPI extract.`);
  compiled.set(schemaName, validate);
  return validate;
}

/** null when `body` fits the schema, else readable errors ("/result/0/status must be equal to one of …"). */
export function validateWire(schemaName: string, body: unknown): string[] | null {
  const validate = validatorFor(schemaName);
  if (validate(withoutTypeTags(body))) return null;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

function withoutTypeTags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypeTags);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '@type')
      .map(([key, v]) => [key, withoutTypeTags(v)]),
  );
}
