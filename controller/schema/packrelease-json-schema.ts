// The JSON Schema of an IntegrationPackRelease document, generated from its CRD
// (crds/integrationpackrelease.yaml) as pin-json-schema.ts does for AtomVersions, so editors check release
// documents with the rules `atomsync validate` applies. Committed as crds/integrationpackrelease.schema.json;
// test/unit/schema/packrelease-schema.test.ts fails when the CRD moves and the file does not.
// Regenerate: npm run schema
import { withUnknownFieldsRejected } from './atomversion-schema.js';
import { PACK_RELEASE_API_VERSION, PACK_RELEASE_KIND, packReleaseSchema } from './packrelease-schema.js';
import { metadataSchema, withoutKubernetesKeywords } from './pin-json-schema.js';

type JsonSchema = { [keyword: string]: unknown };

export function packReleaseFileJsonSchema(): JsonSchema {
  const crd = withoutKubernetesKeywords(withUnknownFieldsRejected(packReleaseSchema)) as JsonSchema;
  const spec = (crd['properties'] as Record<string, JsonSchema>)['spec']!;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'atomsync IntegrationPackRelease',
    description: `${String(crd['description'] ?? '')} Generated from crds/integrationpackrelease.yaml; do not edit.`,
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: PACK_RELEASE_API_VERSION },
      kind: { const: PACK_RELEASE_KIND },
      metadata: metadataSchema(PACK_RELEASE_KIND),
      // The CRD says "exactly one of release and releaseOn" in CEL; editors read JSON Schema.
      spec: { ...spec, oneOf: [{ required: ['release'] }, { required: ['releaseOn'] }] },
    },
  };
}

/** @public Read by `npm run schema` (package.json) through dist/. */
export function packReleaseSchemaText(): string {
  return `${JSON.stringify(packReleaseFileJsonSchema(), null, 2)}\n`;
}
