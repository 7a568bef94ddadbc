// The JSON objects atomsync exchanges with the platform, as Boomi's Platform API writes them
// (simulator/openapi/boomi-platform-openapi.json) plus atomsync's extension objects (docs/platform-api.md).
// Top-level objects always carry "@type"; nested entries may or may not, so it is optional there.

// ---------------------------------------------------------------------------------------------------
// Envelopes: query, bulk, errors.

export type QueryOperator =
  | 'EQUALS'
  | 'NOT_EQUALS'
  | 'LIKE'
  | 'STARTS_WITH'
  | 'IS_NULL'
  | 'IS_NOT_NULL'
  | 'BETWEEN'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'CONTAINS'
  | 'NOT_CONTAINS';

export interface SimpleExpression {
  property: string;
  operator: QueryOperator;
  argument?: string[];
}

export interface GroupingExpression {
  operator: 'and' | 'or';
  nestedExpression: QueryExpression[];
}

export type QueryExpression = SimpleExpression | GroupingExpression;

/** Body of `POST /{Object}/query`. */
export interface QueryConfig {
  QueryFilter: { expression: QueryExpression };
}

/** Answer of query and queryMore: at most 100 results, and a queryToken when more remain. */
export interface QueryResult<T> {
  '@type': 'QueryResult';
  numberOfResults?: number;
  queryToken?: string;
  result?: T[];
}

/** Body of `POST /{Object}/bulk`: at most 100 ids. */
export interface BulkRequest {
  '@type'?: 'BulkRequest';
  type: 'GET';
  request: { id: string }[];
}

export interface BulkResponseItem<T> {
  '@type'?: string;
  index?: number;
  id?: string;
  statusCode: number;
  errorMessage?: string;
  Result?: T;
}

export interface BulkResult<T> {
  '@type': 'BulkResult';
  response: BulkResponseItem<T>[];
}

// ---------------------------------------------------------------------------------------------------
// Public objects.

export type AtomType = 'ATOM' | 'MOLECULE' | 'CLOUD';
export type AtomStatus = 'UNKNOWN' | 'ONLINE' | 'WARNING' | 'OFFLINE';

export interface NodeDetails {
  '@type'?: string;
  nodeId: string;
  hostName: string;
  status: string;
  clusterProblem: string;
}

export interface Atom {
  '@type': 'Atom';
  id: string;
  name: string;
  type: AtomType;
  status: AtomStatus;
  statusDetail?: string;
  currentVersion?: string;
  hostName?: string;
  dateInstalled?: string;
  createdBy?: string;
  /** Milliseconds the platform waits before forcing a restart after a configuration change (R5). */
  forceRestartTime?: number;
  purgeHistoryDays?: number;
  purgeImmediate?: boolean;
  capabilities?: ('GATEWAY' | 'BROKER')[];
  cloudId?: string;
  cloudName?: string;
  cloudOwnerName?: string;
  cloudMoleculeId?: string;
  cloudMoleculeName?: string;
  instanceId?: string;
  isCloudAttachment?: boolean;
  cluster?: { '@type'?: string; node?: NodeDetails[] };
}

export interface Environment {
  '@type': 'Environment';
  id: string;
  name: string;
  classification?: 'PROD' | 'TEST';
  parentAccount?: string;
  parentEnvironment?: string;
}

export interface EnvironmentAtomAttachment {
  '@type': 'EnvironmentAtomAttachment';
  id?: string;
  atomId: string;
  environmentId: string;
}

export interface IntegrationPack {
  '@type': 'IntegrationPack';
  id: string;
  name: string;
  Description?: string;
  installationType?: 'SINGLE' | 'MULTI';
}

export interface IntegrationPackInstance {
  '@type': 'IntegrationPackInstance';
  id: string;
  integrationPackId: string;
  integrationPackOverrideName?: string;
  ProcessId?: { '@type'?: string; originalProcessId?: string; wrapperProcessId?: string; name?: string }[];
}

export interface IntegrationPackEnvironmentAttachment {
  '@type': 'IntegrationPackEnvironmentAttachment';
  id?: string;
  environmentId: string;
  integrationPackInstanceId: string;
}

export interface ConnectorVersion {
  '@type'?: string;
  /** `Atom` for the runtime itself. */
  name: string;
  version: string;
}

export interface AtomConnectorVersions {
  '@type': 'AtomConnectorVersions';
  id: string;
  ConnectorVersion?: ConnectorVersion[];
}

export interface Privilege {
  '@type'?: string;
  name: string;
}

export interface Role {
  '@type': 'Role';
  id: string;
  name: string;
  accountId?: string;
  /** The role this one inherits privileges from. */
  parentId?: string;
  Description?: string;
  Privileges?: { '@type'?: string; Privilege?: Privilege[] };
}

export interface AccountUserRole {
  '@type': 'AccountUserRole';
  id?: string;
  accountId?: string;
  userId: string;
  roleId: string;
  firstName?: string;
  lastName?: string;
  notifyUser?: boolean;
}

export interface AuditLogProperty {
  '@type'?: string;
  name: string;
  value?: string;
}

export interface AuditLog {
  '@type': 'AuditLog';
  documentId?: string;
  accountId: string;
  containerId?: string;
  userId?: string;
  date: string;
  type: string;
  action: string;
  modifier?: string;
  level?: string;
  source?: string;
  AuditLogProperty?: AuditLogProperty[];
}

export interface RuntimeReleaseSchedule {
  '@type'?: 'RuntimeReleaseSchedule';
  atomId: string;
  /** NEVER = take updates with the Platform Release (R8). */
  scheduleType: 'NEVER' | 'FIRST' | 'LAST';
  dayOfWeek?: string;
  hourOfDay?: number;
  timeZone?: string;
}

// ---------------------------------------------------------------------------------------------------
// Extension objects (docs/platform-api.md, "Extension objects"). A platform without them answers 404 (see capabilities.ts).

export type PendingSource = 'RUNTIME_RELEASE' | 'EARLY_ACCESS';

export interface AtomVersionEntry {
  '@type'?: string;
  /** `Atom` for the runtime itself, else the connector name. */
  name: string;
  version: string;
  pendingVersion?: string;
  pendingSource?: PendingSource;
  /** Present when a pending version was applied early (R3). */
  rollbackVersion?: string;
  /** R9: the runtime version this component's pending version needs. */
  pendingRequiresAtomVersion?: string;
  lastUpdated: string;
  /** R6: the request that currently covers this component. */
  outstandingRequestId?: string;
}

export interface AtomVersions {
  '@type': 'AtomVersions';
  atomId: string;
  AtomVersion: AtomVersionEntry[];
}

export type AtomVersionAction = 'APPLY_PENDING' | 'ROLLBACK';

export type UpdateRequestStatus =
  'ACCEPTED' | 'WAITING_FOR_INACTIVITY' | 'RESTARTING' | 'COMPLETE' | 'FAILED' | 'SUPERSEDED';

/** Statuses after which a request no longer blocks its components (R6). */
export const TERMINAL_REQUEST_STATUSES: readonly UpdateRequestStatus[] = ['COMPLETE', 'FAILED', 'SUPERSEDED'];

export interface AtomVersionUpdateRequest {
  '@type': 'AtomVersionUpdateRequest';
  id?: string;
  atomId: string;
  action: AtomVersionAction;
  /** Component names: `Atom` and/or connector names. */
  components: string[];
  status?: UpdateRequestStatus;
  /** The user who made the request and when (platform time). */
  createdBy?: string;
  createdDate?: string;
}

export interface IntegrationPackVersionEntry {
  '@type'?: string;
  integrationPackInstanceId: string;
  integrationPackId: string;
  name: string;
  version: number;
  pendingVersion?: number;
  releaseOnDate?: string;
  lastUpdateDate: string;
  applyBlockedReason?: 'INSTALL_BASE_LOCK' | 'NOT_ATTACHED';
  /** Extension detail: this environment took the pending update before its release date (R14). */
  appliedEarly?: boolean;
  /** Extension detail: environments the pack instance is attached to. */
  environmentIds?: string[];
  /** Extension detail: the IntegrationPackPendingUpdateRequest that is moving this pack now. */
  outstandingRequestId?: string;
}

export interface IntegrationPackVersions {
  '@type': 'IntegrationPackVersions';
  atomId: string;
  IntegrationPackVersion: IntegrationPackVersionEntry[];
}

export interface IntegrationPackMove {
  '@type'?: string;
  integrationPackInstanceId: string;
  fromVersion: number;
  toVersion: number;
}

export interface IntegrationPackPendingUpdateRequest {
  '@type': 'IntegrationPackPendingUpdateRequest';
  id?: string;
  atomId: string;
  status?: UpdateRequestStatus;
  IntegrationPack?: IntegrationPackMove[];
  /** The user who made the request and when (platform time). */
  createdBy?: string;
  createdDate?: string;
}
