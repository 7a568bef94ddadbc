// The simulator's whole state: one plain, JSON-serializable object. Persistence writes it as is; every
// rule works on it. Time-based events are not stored: they are derived from this state (see events.ts),
// so they can never go stale or be lost between a save and a crash.

export const STATE_FORMAT_VERSION = 1;

export type RuntimeType = 'ATOM' | 'MOLECULE' | 'CLOUD';
export type RuntimeStatus = 'ONLINE' | 'OFFLINE';
export type Classification = 'PROD' | 'TEST';
export type PendingSource = 'RUNTIME_RELEASE' | 'EARLY_ACCESS';
export type ScheduleType = 'NEVER' | 'FIRST' | 'LAST';
export type InstallationType = 'SINGLE' | 'MULTI';
export type ReleaseSchedule = 'IMMEDIATELY' | 'RELEASE_ON_SPECIFIED_DATE';

export interface WorldState {
  formatVersion: typeof STATE_FORMAT_VERSION;
  /**
   * Model time (ISO; never moves backwards), where it started, and how it runs. A real-time clock also
   * keeps the wall time `now` was last true at, so a world saved and started again later catches up on
   * the time it was off (requests started before finish, as on a platform that never stops).
   */
  clock: { now: string; start: string; mode: 'realtime' | 'manual'; wallAt?: string };
  settings: Settings;
  /** Counter behind every id the simulator mints at run time (requests, attachments, audit records). */
  seq: number;
  accounts: Record<string, AccountRecord>;
  users: Record<string, UserRecord>;
  roles: Record<string, RoleRecord>;
  userRoles: Record<string, UserRoleRecord>;
  environments: Record<string, EnvironmentRecord>;
  clouds: Record<string, CloudRecord>;
  runtimes: Record<string, RuntimeRecord>;
  runtimeAttachments: Record<string, RuntimeAttachmentRecord>;
  calendar: ReleaseCalendar;
  schedules: Record<string, ScheduleRecord>;
  packs: Record<string, PackRecord>;
  packReleases: Record<string, PackReleaseRecord>;
  /** Keyed by packAccountKey(accountId, packId). */
  packAccounts: Record<string, PackAccountRecord>;
  packInstances: Record<string, PackInstanceRecord>;
  packAttachments: Record<string, PackAttachmentRecord>;
  /** IntegrationPackAtomAttachment: an instance attached to a runtime directly (accounts without environments). */
  packAtomAttachments: Record<string, PackAtomAttachmentRecord>;
  /** EnvironmentRole: the roles whose users may reach an environment. */
  environmentRoles: Record<string, EnvironmentRoleRecord>;
  requests: Record<string, UpdateRequestRecord>;
  auditLog: AuditRecord[];
}

export interface Settings {
  /** R5: how long a runtime must be idle (no running executions) before it restarts onto new versions. */
  inactivityWaitMs: number;
  /** R5: how long one node takes to restart (molecules and clouds restart node by node). */
  restartMsPerNode: number;
  /** R16: requests per second per account; 0 = unlimited. */
  rateLimitPerSecond: number;
  /** false: the atomsync extension objects are not served, as on Boomi's platform (absent = served). */
  extensions?: boolean;
}

export interface AccountRecord {
  id: string;
  /** Display name; the demo uses the alias (acme-prod). */
  name: string;
  /** The partner (parent) account that may act on this one. */
  parentAccountId?: string;
}

export interface UserRecord {
  userId: string;
  /** API token (Basic-auth password). Masked in dumps, never logged. */
  token: string;
  firstName: string;
  lastName: string;
}

export interface RoleRecord {
  id: string;
  accountId: string;
  name: string;
  description: string;
  privileges: string[];
  /** The role this one was made from (Role CREATE's parentId). */
  parentId?: string;
}

export interface UserRoleRecord {
  id: string;
  accountId: string;
  userId: string;
  roleId: string;
}

export interface EnvironmentRoleRecord {
  id: string;
  accountId: string;
  environmentId: string;
  roleId: string;
}

export interface PackAtomAttachmentRecord {
  id: string;
  accountId: string;
  integrationPackInstanceId: string;
  atomId: string;
}

export interface EnvironmentRecord {
  id: string;
  accountId: string;
  name: string;
  classification: Classification;
}

/** A public Atom Cloud other accounts attach to (R4: they cannot change it). */
export interface CloudRecord {
  id: string;
  name: string;
  ownerAccountId: string;
  nodes: number;
}

export interface ComponentRecord {
  version: string;
  lastUpdated: string;
}

export interface RestartRecord {
  startedAt: string;
  /** 1-based node now restarting. */
  node: number;
  nodeStartedAt: string;
  /** AtomVersionUpdateRequests this restart carries onto the runtime. */
  requestIds: string[];
}

export interface RuntimeRecord {
  id: string;
  /** The account the runtime appears in. */
  accountId: string;
  name: string;
  type: RuntimeType;
  nodes: number;
  hostName: string;
  createdBy: string;
  dateInstalled: string;
  /** Set for an attachment to a cloud in state.clouds (owned by that cloud's account). */
  cloudId?: string;
  status: RuntimeStatus;
  statusSince: string;
  runningExecutions: number;
  /** When running executions last dropped to 0; null while executions run. */
  idleSince: string | null;
  /** Milliseconds; 0 = wait for inactivity however long it takes. */
  forceRestartTime: number;
  purgeHistoryDays: number;
  purgeImmediate: boolean;
  /** `Atom` (the runtime itself) first, then connectors. */
  components: Record<string, ComponentRecord>;
  restart: RestartRecord | null;
  /** Fault injection: the next N update requests on this runtime end FAILED. */
  failNextRequests: number;
}

export interface RuntimeAttachmentRecord {
  id: string;
  accountId: string;
  atomId: string;
  environmentId: string;
}

export interface CalendarComponent {
  released: string;
  pending?: string;
  pendingSource?: PendingSource;
  /** R9: the runtime (`Atom`) version the pending version needs. */
  requiresAtomVersion?: string;
}

export interface ReleaseCalendar {
  /** The next Platform Release (R7); null once it happened and no further one is announced. */
  platformReleaseAt: string | null;
  /** When the Runtime Release window opens (RUNTIME_RELEASE pending versions become visible). */
  runtimeReleaseWindowOpensAt: string | null;
  components: Record<string, CalendarComponent>;
}

export interface ScheduleRecord {
  atomId: string;
  scheduleType: ScheduleType;
  dayOfWeek?: string;
  hourOfDay?: number;
  timeZone?: string;
  /** The schedule only fires at instants after it was set. */
  updatedAt: string;
  /** The Platform Release (ISO) for which this schedule already applied pending updates. */
  appliedForRelease?: string;
}

export interface PackRecord {
  id: string;
  publisherAccountId: string;
  name: string;
  description: string;
  installationType: InstallationType;
  /** PublisherIntegrationPack: the packaged components the publisher put in the pack. */
  packagedComponents?: PackagedComponentRecord[];
}

export interface PackagedComponentRecord {
  componentId: string;
  version?: string;
  releasedVersion?: string;
  /** The version a scheduled release will carry (PublisherPackagedComponent.pendingVersion). */
  pendingVersion?: string;
}

export interface PackReleaseRecord {
  requestId: string;
  integrationPackId: string;
  releaseSchedule: ReleaseSchedule;
  /** ISO instant (RELEASE_ON_SPECIFIED_DATE). */
  releaseOnDate?: string;
  status: 'SCHEDULED' | 'SUCCESS' | 'ERROR';
  createdAt: string;
  createdBy: string;
  releasedAt?: string;
  supersededBy?: string;
  components: PackagedComponentRecord[];
}

/** A pack as seen by one account of its install base (R11: versions count releases to that account). */
export interface PackAccountRecord {
  accountId: string;
  integrationPackId: string;
  releasedVersion: number;
  pending?: { releaseId: string; version: number };
  /** R13: the account applied this pending release early; no further apply until it reaches everyone. */
  lockedByReleaseId?: string;
}

export interface PackInstanceRecord {
  id: string;
  accountId: string;
  integrationPackId: string;
  overrideName?: string;
}

/** Pack versions are kept per environment attachment (this makes R13 and R14 observable). */
export interface PackAttachmentRecord {
  id: string;
  accountId: string;
  integrationPackInstanceId: string;
  environmentId: string;
  version: number;
  lastUpdateDate: string;
  /** Set when this attachment took a pending release before its date. */
  appliedEarlyReleaseId?: string;
}

export type RequestStatus =
  'ACCEPTED' | 'WAITING_FOR_INACTIVITY' | 'RESTARTING' | 'COMPLETE' | 'FAILED' | 'SUPERSEDED';

const TERMINAL_STATUSES: readonly RequestStatus[] = ['COMPLETE', 'FAILED', 'SUPERSEDED'];

interface RequestBase {
  id: string;
  accountId: string;
  atomId: string;
  status: RequestStatus;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** When the runtime started waiting for inactivity (R5); drives forceRestartTime. */
  waitingSince?: string;
  /** Fault injection decided at creation. */
  willFail: boolean;
  message?: string;
}

export interface VersionTarget {
  name: string;
  fromVersion: string;
  toVersion: string;
}

export interface VersionRequestRecord extends RequestBase {
  kind: 'AtomVersionUpdateRequest';
  action: 'APPLY_PENDING' | 'ROLLBACK';
  components: string[];
  targets: VersionTarget[];
}

export interface PackMove {
  integrationPackInstanceId: string;
  integrationPackId: string;
  attachmentId: string;
  releaseId: string;
  fromVersion: number;
  toVersion: number;
  /** The release that reached this attachment before the request did (R10). */
  supersededBy?: string;
}

export interface PackRequestRecord extends RequestBase {
  kind: 'IntegrationPackPendingUpdateRequest';
  environmentId: string;
  packs: PackMove[];
}

export type UpdateRequestRecord = VersionRequestRecord | PackRequestRecord;

export interface AuditProperty {
  name: string;
  value?: string;
  previousValue?: string;
}

export interface AuditRecord {
  documentId: string;
  accountId: string;
  userId: string;
  date: string;
  /** Object type acted on: as.atom, as.atom.version, as.integrationpack, … */
  type: string;
  action: string;
  modifier: string;
  level: 'INFO' | 'WARNING' | 'ERROR';
  source: 'API' | 'INTERNAL' | 'UI';
  containerId?: string;
  message: string;
  properties: AuditProperty[];
}

/** Fills what a state file written before a field existed lacks, so older saves keep loading. */
export function upgradeState(state: WorldState): WorldState {
  state.packAtomAttachments ??= {};
  state.environmentRoles ??= {};
  return state;
}

export function packAccountKey(accountId: string, integrationPackId: string): string {
  return `${accountId}|${integrationPackId}`;
}

export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
