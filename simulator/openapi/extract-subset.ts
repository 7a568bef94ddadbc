// Makes simulator/openapi/boomi-platform-openapi.json from Boomi's full platform OpenAPI document (the
// platformOpenAPISpec.json of Boomi's developer portal, ~4 MB): every tag (object) and tag group, and the
// paths, schemas and whole tag descriptions of the families the simulator serves. The simulator's XML and the conformance suite
// read only the extract, which lives in the repository.
//   npm run build && node dist/simulator/openapi/extract-subset.js FULL.json > simulator/openapi/boomi-platform-openapi.json
import { readFileSync } from 'node:fs';

export const SERVED_FAMILIES = [
  'Runtime Management',
  'Environment Management',
  'Integration Packs',
  'Account Administration',
  'Cloud Management',
];

interface Document {
  info: Record<string, unknown>;
  servers: unknown[];
  tags: { name: string; description?: string }[];
  'x-tagGroups': { name: string; tags: string[] }[];
  paths: Record<string, Record<string, { tags?: string[] }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}

function extract(full: Document): unknown {
  const tags = new Set(
    full['x-tagGroups'].filter((g) => SERVED_FAMILIES.includes(g.name)).flatMap((g) => g.tags),
  );
  const paths = Object.fromEntries(
    Object.entries(full.paths).filter(([, ops]) =>
      Object.values(ops).some((op) => op.tags?.some((t) => tags.has(t))),
    ),
  );
  const schemas: Record<string, unknown> = {};
  const pending = refsIn(paths);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (schemas[name] !== undefined || full.components.schemas[name] === undefined) continue;
    schemas[name] = full.components.schemas[name];
    pending.push(...refsIn(schemas[name]));
  }
  return {
    openapi: '3.0.3',
    info: { ...full.info, 'x-extract': `families ${SERVED_FAMILIES.join(', ')}; every tag listed` },
    servers: full.servers.slice(0, 1),
    // Served families keep their whole description: required privileges, and the AuditLog's table of
    // type/action/modifier names the simulator writes (test/unit/simulator/model/audit-names.test.ts).
    tags: full.tags.map((t) => ({
      name: t.name,
      description: tags.has(t.name) ? (t.description ?? '') : firstSentence(t.description ?? ''),
    })),
    'x-tagGroups': full['x-tagGroups'],
    paths,
    components: { schemas: sortedKeys(schemas), responses: full.components.responses },
  };
}

function refsIn(value: unknown): string[] {
  const found = JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g);
  return [...found].map((m) => m[1] ?? '');
}

function firstSentence(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

const input = process.argv[2];
if (input) {
  const full = JSON.parse(readFileSync(input, 'utf8')) as Document;
  process.stdout.write(`${JSON.stringify(extract(full), null, 1)}\n`);
}
