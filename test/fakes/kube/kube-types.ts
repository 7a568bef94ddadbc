// Shapes shared by the fake Kubernetes API server's parts.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [key: string]: unknown;
}

/** Any object the fake stores: apiVersion, kind, metadata and whatever else the type carries. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** A CRD's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** A column of the server-side Table (`kubectl get`), with how to compute its cell. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  cell(obj: KubeObject, now: Date): unknown;
}

/** Validates, prunes and defaults a custom resource against its CRD version's schema. */
export interface CustomResourceSchema {
  /** Removes unknown fields and applies defaults, in place; returns the removed fields' paths. */
  normalize(obj: KubeObject): string[];
  /** Field errors in Kubernetes' words; empty when the object is valid. */
  validate(obj: KubeObject): FieldError[];
}

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The part after "<field>: ", e.g. `Invalid value: "abc": spec.version in body should match '^…'`. */
  body: string;
}

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate';

/** One served resource (a group/version/plural), built in or from a CRD. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  hasStatusSubresource: boolean;
  /** CRs carry metadata.generation; most built-in kinds here do not. */
  tracksGeneration: boolean;
  /** Custom resources take no strategic merge patch and need a resourceVersion on update. */
  custom: boolean;
  /** Columns after Name in Table responses. */
  tableColumns: TableColumn[];
  schema?: CustomResourceSchema;
  /** The CRD version's openAPIV3Schema as written (served at /openapi/v3 for `kubectl explain`). */
  openApiSchema?: Record<string, unknown>;
  /** Normalizes a built-in kind's fields on write (secret stringData, MicroTime, namespace phase). */
  prepareBuiltin?: (obj: KubeObject) => void;
  /** Field errors of a built-in kind's object (Events); empty when valid. */
  validateBuiltin?: (obj: KubeObject) => FieldError[];
  /** Stored under another resource's key and shape (core/v1 and events.k8s.io/v1 Events). */
  storage?: StorageShape;
  /** Objects expire this long after their last write (Events: the API server's --event-ttl). */
  ttlMs?: number;
}

/** Where and in which shape a resource's objects are stored, when not under its own key as served. */
export interface StorageShape {
  key: string;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  type: WatchEventType;
  resourceVersion: number;
  storageKey: string;
  object: KubeObject;
  /** The object before this change (MODIFIED/DELETED), to tell selector enter/leave apart. */
  previous?: KubeObject;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** "atomversions.atomsync.io", "secrets" — how Kubernetes names a resource in messages. */
export function qualifiedResource(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** "AtomVersion.atomsync.io", "Secret" — how Kubernetes names a kind in Invalid messages. */
export function qualifiedKind(type: Pick<ResourceType, 'group' | 'kind'>): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

/** Objects of one resource share storage across the served versions of their group (and Events across groups). */
export function storageKeyOf(type: Pick<ResourceType, 'group' | 'plural' | 'storage'>): string {
  return type.storage?.key ?? `${type.group}/${type.plural}`;
}

/** A stored object in the shape `type` serves. */
export function fromStorage(type: Pick<ResourceType, 'storage'>, obj: KubeObject): KubeObject {
  return type.storage ? type.storage.fromStorage(obj) : obj;
}

/** An object in the shape `type` serves, as stored. */
export function toStorage(type: Pick<ResourceType, 'storage'>, obj: KubeObject): KubeObject {
  return type.storage ? type.storage.toStorage(obj) : obj;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}
