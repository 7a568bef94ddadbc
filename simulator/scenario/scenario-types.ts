// The scenario file format (YAML; the same shape can be built in code for tests). docs/simulator.md
// describes every field. References between entries use names (or ids); accounts may be named by id or name.
import type {
  Classification,
  InstallationType,
  PendingSource,
  RuntimeStatus,
  RuntimeType,
  ScheduleType,
} from '../model/state.js';

export const SCENARIO_API_VERSION = 'atomsync.io/v1alpha1';
export const SCENARIO_KIND = 'SimulatorScenario';

export interface Scenario {
  apiVersion?: typeof SCENARIO_API_VERSION;
  kind?: typeof SCENARIO_KIND;
  clock: { start: string; mode?: 'realtime' | 'manual' };
  timing?: { inactivityWaitSeconds?: number; restartSecondsPerNode?: number };
  rateLimitPerSecond?: number;
  /** What kind of platform the simulator plays (default: atomsync's, with the extension objects). */
  platform?: PlatformInput;
  calendar: CalendarInput;
  roles?: RoleInput[];
  users?: UserInput[];
  accounts: AccountInput[];
  integrationPacks?: PackInput[];
}

export interface PlatformInput {
  /**
   * false: AtomVersions, AtomVersionUpdateRequest, IntegrationPackVersions and
   * IntegrationPackPendingUpdateRequest are not served (404, as Boomi's own platform answers), so atomsync
   * plans those actions as manual steps. Default true.
   */
  extensions?: boolean;
}

export interface CalendarInput {
  /** The next Platform Release; null/absent = none announced. */
  platformRelease?: string | null;
  /** Default: 14 days before the Platform Release. */
  runtimeReleaseWindowOpens?: string;
  components: ComponentInput[];
}

export interface ComponentInput {
  /** `Atom` for the runtime itself, else a connector name. */
  name: string;
  released: string;
  pending?: string;
  /** Default RUNTIME_RELEASE. */
  source?: PendingSource;
  requiresAtomVersion?: string;
}

export interface RoleInput {
  name: string;
  description?: string;
  privileges: string[];
}

export interface UserInput {
  userId: string;
  token: string;
  firstName?: string;
  lastName?: string;
  /** Role names the user holds in every account it belongs to. */
  roles?: string[];
  /** Accounts (id or name) the user belongs to; default all. */
  accounts?: string[];
  /** Per account (id or name): role names replacing `roles` there. */
  accountRoles?: Record<string, string[]>;
}

export interface AccountInput {
  id: string;
  /** Display name (the demo uses the alias); default the id. */
  name?: string;
  /** Partner (parent) account, by id or name. */
  parent?: string;
  environments?: EnvironmentInput[];
  clouds?: CloudInput[];
  runtimes?: RuntimeInput[];
  integrationPacks?: PackInstallInput[];
}

export interface EnvironmentInput {
  id?: string;
  name: string;
  /** Default PROD. */
  classification?: Classification;
}

export interface CloudInput {
  id?: string;
  name: string;
  /** Default 2. */
  nodes?: number;
}

export interface RuntimeInput {
  id?: string;
  name: string;
  type: RuntimeType;
  /** MOLECULE/CLOUD node count (default 2); an ATOM has 1. */
  nodes?: number;
  /** Environment name (or id) in the same account. */
  environment?: string;
  /** Name (or id) of a public cloud declared by another account: makes this a cloud attachment. */
  cloud?: string;
  /** Default ONLINE. */
  status?: RuntimeStatus;
  forceRestartTime?: number;
  runningExecutions?: number;
  hostName?: string;
  /** Connector names on the runtime; default every calendar component. `Atom` is always there. */
  connectors?: string[];
  /** Component → version where it differs from the released one (must be its released or pending version). */
  versions?: Record<string, string>;
  schedule?: { scheduleType: ScheduleType; dayOfWeek?: string; hourOfDay?: number; timeZone?: string };
  failNextRequests?: number;
}

export interface PackInput {
  id?: string;
  name: string;
  /** Publishing account, by id or name. */
  publisher: string;
  description?: string;
  /** Default SINGLE. */
  installationType?: InstallationType;
  /** A RELEASE_ON_SPECIFIED_DATE update in its testing period (R10). */
  pendingRelease?: { releaseOnDate: string; requestId?: string };
}

export interface PackInstallInput {
  /** Pack name (or id). */
  pack: string;
  id?: string;
  /** MULTI packs only. */
  overrideName?: string;
  /** The account's released version of the pack (R11: releases counted per account). */
  version: number;
  /** Environment names (or ids) the instance is attached to. */
  environments?: string[];
  /** Of those, environments that applied the pending release early (R13 locks the others). */
  appliedEarly?: string[];
}
