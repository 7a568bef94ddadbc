// The IntegrationPackRelease schema, read from its CRD (crds/integrationpackrelease.yaml) — never
// restated here. Release documents in pin folders are checked against it with the same strictness and
// messages as AtomVersions (atomversion-schema.ts).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { IntegrationPackReleaseSpec } from '../domain/pack-release-types.js';
import {
  compileSchema,
  deepFreeze,
  findCrdFile,
  withUnknownFieldsRejected,
  type Crd,
  type JsonSchema,
  type Validation,
} from './atomversion-schema.js';

export interface PackReleaseDocument {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [field: string]: unknown };
  spec: IntegrationPackReleaseSpec;
}

const packReleaseCrdPath = findCrdFile('integrationpackrelease.yaml');

const packReleaseCrd: Readonly<Crd> = deepFreeze(parseYaml(readFileSync(packReleaseCrdPath, 'utf8')) as Crd);

const served = packReleaseCrd.spec.versions.find((v) => v.name === 'v1alpha1');
if (!served) throw new Error(`${packReleaseCrdPath} has no v1alpha1 version`);

export const packReleaseSchema: Readonly<JsonSchema> = served.schema.openAPIV3Schema;
export const PACK_RELEASE_KIND = packReleaseCrd.spec.names.kind;
export const PACK_RELEASE_API_VERSION = `${packReleaseCrd.spec.group}/${served.name}`;
export const PACK_RELEASE_PLURAL =
  (packReleaseCrd.spec.names as { plural?: string }).plural ?? `${PACK_RELEASE_KIND.toLowerCase()}s`;

const validateStrict = compileSchema<PackReleaseDocument>(withUnknownFieldsRejected(packReleaseSchema));

/** Validates one IntegrationPackRelease document (unknown fields rejected); the input is not changed. */
export function validatePackRelease(doc: unknown): Validation<PackReleaseDocument> {
  return validateStrict(doc);
}
