// The JSON Schema of a pin file, generated from the AtomVersion CRD (crds/atomversion.yaml), so editors
// (yaml-language-server: VS Code, Neovim, JetBrains) complete and check pins as they are typed with the
// same rules `atomsync validate` applies. Committed as crds/atomversion.schema.json (shipped in the
// package); test/unit/schema/pin-json-schema.test.ts fails when the CRD moves and the file does not.
// Regenerate: npm run schema
import {
  ATOMVERSION_API_VERSION,
  ATOMVERSION_KIND,
  atomVersionSchema,
  withUnknownFieldsRejected,
} from './atomversion-schema.js';

type JsonSchema = { [keyword: string]: unknown };

export function pinFileJsonSchema(): JsonSchema {
  const crd = withoutKubernetesKeywords(withUnknownFieldsRejected(atomVersionSchema)) as JsonSchema;
  const properties = crd['properties'] as Record<string, JsonSchema>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'atomsync AtomVersion pin',
    description: `${String(crd['description'] ?? '')} Generated from crds/atomversion.yaml; do not edit.`,
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: ATOMVERSION_API_VERSION },
      kind: { const: ATOMVERSION_KIND },
      metadata: metadataSchema('AtomVersion'),
      spec: properties['spec'],
    },
  };
}

export function metadataSchema(kind: string): JsonSchema {
  return {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, description: `The ${kind} name (unique per namespace).` },
      namespace: { type: 'string', description: 'Default: default.' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
}

export function withoutKubernetesKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutKubernetesKeywords);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !key.startsWith('x-kubernetes-'))
      .map(([key, value]) => [key, withoutKubernetesKeywords(value)]),
  );
}

/** @public Read by `npm run schema` (package.json) through dist/. */
export function pinSchemaText(): string {
  return `${JSON.stringify(pinFileJsonSchema(), null, 2)}\n`;
}
