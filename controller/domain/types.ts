// The shared vocabulary of atomsync's pure core: what is wanted (desired), what runs (snapshot) and what
// will be done about the difference (plan). Nothing in controller/domain/ does I/O.
import type { AccountBook } from './accounts.js';
import type { Tenancy } from './tenancy.js';
import type { PinRefusal } from './pin-refusals.js';

export type RuntimeType = 'ATOM' | 'MOLECULE' | 'CLOUD';
export type Classification = 'PROD' | 'TEST';
export type Channel = 'released' | 'pending';
export type Privilege = 'ATOM_MANAGEMENT' | 'ATOM_MANAGEMENT_READ_ONLY' | 'API' | string;

/** The component name under which the runtime itself is listed (AtomConnectorVersions, AtomVersions). */
export const RUNTIME_COMPONENT = 'Atom';

// ---------------------------------------------------------------------------------------------------
// Desired state (docs/pins.md). The CRD's openAPIV3Schema (crds/atomversion.yaml) is the schema; these
// types mirror it after defaults have been applied.

export interface ConnectorPin {
  name: string;
  version?: string;
  channel?: Channel;
}

export interface PackPin {
  name: string;
  /** Per-account release count (R11). */
  version?: number;
  channel?: Channel;
}

export interface MaintenanceWindow {
  kind: 'allow' | 'deny';
  /** Five-field cron expression for the window's start. */
  schedule: string;
  /** Go-style duration: 30m, 4h, 1h30m. */
  duration: string;
  /** IANA time zone; UTC when absent. */
  timeZone?: string;
}

export interface Policy {
  mode: 'enforce' | 'observe';
  suspend: boolean;
  allowRollback: boolean;
  allowPackReattach: boolean;
  windows: MaintenanceWindow[];
}

export interface RuntimeRef {
  name?: string;
  id?: string;
}

export type ScheduleWeek = 'first' | 'last' | 'never';
export type DayOfWeek = 'SUNDAY' | 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY';

/** spec.releaseSchedule: when the platform applies the Runtime Release's pending updates by itself (R8). */
export interface ReleaseSchedulePin {
  week: ScheduleWeek;
  /** Required for first and last. */
  day?: DayOfWeek;
  /** 0–23; required for first and last. */
  hour?: number;
  /** IANA time zone; UTC when absent. */
  timeZone?: string;
}

export interface AtomVersionSpec {
  account: string;
  runtime: RuntimeRef;
  version?: string;
  channel?: Channel;
  connectors: ConnectorPin[];
  integrationPacks: PackPin[];
  policy: Policy;
  releaseSchedule?: ReleaseSchedulePin;
  /** Go-style duration (30m, 2h); the platform keeps it as Atom.forceRestartTime in milliseconds. */
  forceRestartAfter?: string;
}

/** Where a desired document came from, so every message can point at it. */
export interface Origin {
  source: 'file' | 'git' | 'kubernetes';
  file?: string;
  line?: number;
  revision?: string;
  /** Where spec.account and spec.runtime are written (pin files), so load errors point at them. */
  at?: { account?: TextPosition; runtime?: TextPosition };
}

/** 1-based line and column in a file. */
export interface TextPosition {
  line: number;
  col: number;
}

export interface DesiredAtomVersion {
  /** Unique key: `namespace/name` (namespace `default` for files without one). */
  key: string;
  name: string;
  namespace: string;
  /** metadata.generation for Kubernetes; a content hash for files. */
  generation: string;
  spec: AtomVersionSpec;
  origin: Origin;
}

// ---------------------------------------------------------------------------------------------------
// Observed state, as read from the platform by the observer (controller/platform/observe.ts).

export interface ComponentState {
  /** `Atom` for the runtime itself, else the connector name. */
  name: string;
  version: string;
  pendingVersion?: string;
  pendingSource?: 'RUNTIME_RELEASE' | 'EARLY_ACCESS';
  rollbackVersion?: string;
  /** R9: the runtime version this component's pending version needs. */
  pendingRequiresAtomVersion?: string;
  /** R6: a request that already covers this component. */
  outstandingRequestId?: string;
  lastUpdated?: string;
}

export interface PackState {
  integrationPackInstanceId: string;
  integrationPackId: string;
  name: string;
  version: number;
  pendingVersion?: number;
  releaseOnDate?: string;
  lastUpdateDate?: string;
  applyBlockedReason?: 'INSTALL_BASE_LOCK' | 'NOT_ATTACHED';
  /** Set when the pending update was applied early (R14 makes a reattach the only way back). */
  appliedEarly?: boolean;
  /** Environments this pack instance is attached to (for R14 reattach). */
  environmentIds?: string[];
}

export interface OutstandingRequest {
  id: string;
  kind: 'AtomVersionUpdateRequest' | 'IntegrationPackPendingUpdateRequest';
  action?: 'APPLY_PENDING' | 'ROLLBACK';
  components: string[];
  status: string;
}

/** A RuntimeReleaseSchedule as the platform reports it. */
export interface ObservedSchedule {
  scheduleType: 'FIRST' | 'LAST' | 'NEVER';
  dayOfWeek?: string;
  hourOfDay?: number;
  timeZone?: string;
}

export interface RuntimeState {
  id: string;
  name: string;
  type: RuntimeType;
  status: 'ONLINE' | 'OFFLINE' | 'WARNING' | 'UNKNOWN';
  accountId: string;
  /** False for a runtime on a cloud the account does not own (R4). */
  owned: boolean;
  environmentId?: string;
  environmentName?: string;
  classification?: Classification;
  forceRestartTime?: number;
  /**
   * The runtime's RuntimeReleaseSchedule (read only for runtimes whose pins need it); `null` when the
   * platform has none for it (a write must CREATE it).
   */
  releaseSchedule?: ObservedSchedule | null;
  /** The platform shows the runtime restarting now (Atom statusDetail RESTARTING). */
  restarting?: boolean;
  /** Absent when the platform lacks the AtomVersions extension (then only current versions are known). */
  components: ComponentState[];
  packs: PackState[];
  outstanding: OutstandingRequest[];
}

export interface Principal {
  userId: string;
  privileges: Privilege[];
}

export interface Capabilities {
  /** AtomVersions + AtomVersionUpdateRequest exist. */
  versionActions: boolean;
  /** IntegrationPackVersions + IntegrationPackPendingUpdateRequest exist. */
  packActions: boolean;
}

export interface AccountSnapshot {
  accountId: string;
  /** The alias used in pins and config, when there is one. */
  alias?: string;
  principal: Principal;
  capabilities: Capabilities;
  runtimes: RuntimeState[];
  /** Set when the account could not be observed at all (bad credentials, unreachable). */
  error?: { code: string; message: string };
}

export interface Snapshot {
  takenAt: string;
  /** Keyed by account id. */
  accounts: Record<string, AccountSnapshot>;
}

// ---------------------------------------------------------------------------------------------------
// The plan (docs/rules.md, "The plan").

export type Outcome =
  | 'InSync'
  | 'ApplyPending'
  | 'Rollback'
  | 'ApplyPackPending'
  | 'ReattachPack'
  | 'Configure'
  | 'Scheduled'
  | 'Manual'
  | 'Waiting'
  | 'Blocked';

export type BlockedReason =
  | 'InsufficientPrivilege'
  | 'NotOwned'
  | 'NoPendingVersion'
  | 'TargetUnreachable'
  | 'InstallBaseLock'
  | 'PackApplyConflict'
  | 'RequiresAtomVersion'
  | 'OutsideWindow'
  | 'Suspended'
  | 'ObserveOnly'
  | 'RuntimeNotFound'
  | 'AccountNotAllowed'
  | 'AccountUnavailable'
  /** Refused pins (domain/pin-refusals.ts): spec.account names no configured account. */
  | 'UnknownAccount'
  /** Refused pins: another AtomVersion pins the same runtime. */
  | 'DuplicateRuntime';

export type PinKind = 'runtime' | 'connector' | 'pack' | 'releaseSchedule' | 'forceRestart';

export interface PinResult {
  /** The AtomVersion this pin belongs to. */
  key: string;
  accountId: string;
  runtimeId?: string;
  runtimeName: string;
  kind: PinKind;
  /** Component or pack name (`Atom` for the runtime). */
  name: string;
  /** What the pin asks for, as written: `24.11.0`, `channel:released`, `8`. */
  wanted: string;
  /** The concrete version the pin resolves to, when it resolves. */
  target?: string;
  current?: string;
  outcome: Outcome;
  reason?: BlockedReason;
  /** One sentence a person can act on. */
  message: string;
  /** What to do about it (move the pin, ask for a privilege, wait for a date). */
  advice?: string;
  /** Set when the change is possible but the planning credential could not make it. */
  needsPrivilege?: 'ATOM_MANAGEMENT';
  /** For Manual: the UI steps (from the seeds) that make the change by hand. */
  manualSteps?: string[];
  /** For Waiting: the outstanding request. */
  requestId?: string;
  /** For Scheduled: when the platform's release schedule applies the version, and the slot it uses. */
  eta?: string;
  slot?: string;
  /** The AuditLog entry behind the version the runtime runs (who changed it, how, when): domain/attribution.ts. */
  changedBy?: string;
}

export type RequestKind =
  | 'AtomVersionUpdateRequest'
  | 'IntegrationPackPendingUpdateRequest'
  | 'ReattachPack'
  | 'RuntimeReleaseSchedule'
  | 'AtomForceRestartTime';

/** The RuntimeReleaseSchedule a request writes (Boomi's field names). */
export interface ScheduleSetting {
  scheduleType: 'FIRST' | 'LAST' | 'NEVER';
  dayOfWeek?: DayOfWeek;
  hourOfDay?: number;
  timeZone?: string;
}

/**
 * What the platform showed when the request was planned, and must still show when it is sent: the
 * component (or pack instance) runs `current` and the request moves it to `target`. The platform refuses
 * the request (409) when this no longer holds, so a request never applies a version nobody reviewed.
 */
export interface ExpectedVersion {
  /** Component name (`Atom` for the runtime) or pack name. */
  name: string;
  /** For the pack kinds: the pack instance. */
  integrationPackInstanceId?: string;
  current: string;
  target: string;
}

export interface PlannedRequest {
  accountId: string;
  runtimeId: string;
  runtimeName: string;
  classification?: Classification;
  kind: RequestKind;
  action?: 'APPLY_PENDING' | 'ROLLBACK';
  /** Component names for AtomVersionUpdateRequest; pack names for the pack kinds. */
  components: string[];
  /** Pack moves this request causes (for pack kinds): instance id, from, to. */
  packs?: { integrationPackInstanceId: string; name: string; fromVersion: number; toVersion: number }[];
  /** For ReattachPack: the environment to detach from and reattach to. */
  environmentId?: string;
  /** Per component or pack instance: the version it runs and the one this request moves it to. */
  expected?: ExpectedVersion[];
  /** For RuntimeReleaseSchedule: the schedule to write; `create` when the runtime has none yet. */
  releaseSchedule?: ScheduleSetting;
  create?: boolean;
  /** For AtomForceRestartTime: Atom.forceRestartTime in milliseconds. */
  forceRestartTime?: number;
  /** Restart wave: TEST runtimes before PROD, at most maxConcurrentRestarts per wave. */
  wave: number;
  /** Keys of the AtomVersions whose pins this request serves. */
  keys: string[];
}

export interface DriftItem {
  key: string;
  accountId: string;
  runtimeName: string;
  kind: PinKind;
  name: string;
  wanted: string;
  actual: string;
  /** The outcome the plan chose for it (a change, or why not). */
  outcome: Outcome;
  reason?: BlockedReason;
}

export interface PlanSummary {
  atomVersions: number;
  pins: number;
  inSync: number;
  toChange: number;
  /** Of toChange, the pins the platform's release schedule brings (Scheduled); absent when none. */
  scheduled?: number;
  requests: number;
  waiting: number;
  manual: number;
  blocked: number;
  drifted: number;
}

export interface Plan {
  formatVersion: '2';
  /** The platform's time the plan was made at (the plan JSON calls it platformTime). */
  generatedAt: string;
  summary: PlanSummary;
  pins: PinResult[];
  /** Live state that differs from the pins (whatever the cause). */
  drift: DriftItem[];
  /** What apply will send, in wave order. */
  changes: PlannedRequest[];
  blocked: PinResult[];
  manual: PinResult[];
}

export interface PlanOptions {
  now: Date;
  maxConcurrentRestarts: number;
  /** Windows from the config applied to AtomVersions that declare none. */
  defaultWindows: MaintenanceWindow[];
  /** The configured accounts (aliases ↔ ids). Default: the accounts of the snapshot. */
  accounts?: AccountBook;
  /** Which namespaces may target which accounts; refused AtomVersions are Blocked/AccountNotAllowed. */
  tenancy?: Tenancy;
  /** AtomVersions that cannot be meant (domain/pin-refusals.ts), by key: every pin Blocked, nothing sent. */
  refusals?: ReadonlyMap<string, PinRefusal>;
  /** The Runtime Release window and Platform Release dates (config platform.releaseCalendar). */
  releaseCalendar?: ReleaseCalendar;
}

/** As the platform announces them: the Runtime Release window opens, the Platform Release ends it. */
export interface ReleaseCalendar {
  runtimeReleaseWindowOpens: string;
  platformRelease: string;
}
