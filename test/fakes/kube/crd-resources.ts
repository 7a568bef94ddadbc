// Turns a CustomResourceDefinition into the resource types it serves, and fills in the status the
// API server gives a CRD once its names are accepted (kubectl wait --for condition=established).
import type { FieldError, KubeObject, PrinterColumn, ResourceType } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import { ALL_VERBS } from './builtin-resources.js';
import { compileCustomResourceSchema } from './schema-validation.js';
import type { OpenApiSchema } from './structural-schema.js';
import { columnsFromPrinterColumns } from './table.js';

interface CrdNames {
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
  schema?: { openAPIV3Schema?: OpenApiSchema };
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: CrdNames;
  versions: CrdVersion[];
}

export function crdFieldErrors(crd: KubeObject): FieldError[] {
  const spec = crd.spec as Partial<CrdSpec> | undefined;
  const errors: FieldError[] = [];
  const required = (field: string) =>
    errors.push({ type: 'FieldValueRequired', field, body: 'Required value' });
  if (!spec?.group) required('spec.group');
  if (!spec?.names?.plural) required('spec.names.plural');
  if (!spec?.names?.kind) required('spec.names.kind');
  if (spec?.scope !== 'Namespaced' && spec?.scope !== 'Cluster') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      body: `Unsupported value: ${JSON.stringify(spec?.scope ?? '')}: supported values: "Cluster", "Namespaced"`,
    });
  }
  if (!Array.isArray(spec?.versions) || spec.versions.length === 0) required('spec.versions');
  const expectedName = `${spec?.names?.plural ?? ''}.${spec?.group ?? ''}`;
  if (errors.length === 0 && crd.metadata?.name !== expectedName) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      body: `Invalid value: ${JSON.stringify(crd.metadata?.name ?? '')}: must be spec.names.plural+"."+spec.group`,
    });
  }
  return errors;
}

export function resourceTypesOfCrd(crd: KubeObject): ResourceType[] {
  const spec = crd.spec as CrdSpec;
  return spec.versions.filter((v) => v.served !== false).map((version) => toResourceType(spec, version));
}

function toResourceType(spec: CrdSpec, version: CrdVersion): ResourceType {
  const names = spec.names;
  const openApiSchema = version.schema?.openAPIV3Schema;
  return {
    group: spec.group,
    version: version.name,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: ALL_VERBS,
    hasStatusSubresource: isPlainObject(version.subresources?.status),
    tracksGeneration: true,
    custom: true,
    tableColumns: columnsFromPrinterColumns(version.additionalPrinterColumns),
    ...(openApiSchema ? { schema: compileCustomResourceSchema(openApiSchema), openApiSchema } : {}),
  };
}

/** Sets status.conditions (NamesAccepted, Established), acceptedNames and storedVersions. */
export function establishCrd(crd: KubeObject, now: string): void {
  const spec = crd.spec as CrdSpec;
  const status = isPlainObject(crd.status) ? crd.status : {};
  const storage = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name;
  const previous = Array.isArray(status.conditions) ? status.conditions : [];
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: transitionTimeOf(previous, type) ?? now,
    reason,
    message,
  });
  crd.status = {
    ...status,
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: { ...spec.names, singular: spec.names.singular ?? spec.names.kind.toLowerCase() },
    storedVersions: storage ? [storage] : [],
  };
}

function transitionTimeOf(conditions: unknown[], type: string): string | undefined {
  const found = conditions.find((c) => isPlainObject(c) && c.type === type && c.status === 'True');
  return isPlainObject(found) && typeof found.lastTransitionTime === 'string'
    ? found.lastTransitionTime
    : undefined;
}
