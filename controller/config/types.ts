// atomsync.yaml, after loading: defaults applied, paths absolute. See docs/configuration.md.

import type { Tenancy } from '../domain/tenancy.js';
import type { MaintenanceWindow } from '../domain/types.js';

export interface AtomsyncConfig {
  apiVersion: 'atomsync.io/v1alpha1';
  kind: 'Config';
  /** Absolute path of the config file that was loaded. */
  configFile: string;
  /** The config file's folder, against which every relative path was resolved. */
  baseDir: string;
  platform: PlatformConfig;
  /** Keyed by alias (the name pins use in spec.account). */
  accounts: Record<string, AccountConfig>;
  sources: SourceConfig[];
  /** AtomVersions reconciled at once. Default 4. */
  concurrency: number;
  /** Runtimes restarting at once (a wave). Default 2. */
  maxConcurrentRestarts: number;
  /** Windows for AtomVersions that declare none. Default []. */
  defaultWindows: MaintenanceWindow[];
  /** Which namespaces may target which accounts; absent = every namespace may target every account. */
  tenancy?: TenancyConfig;
  server: {
    /** host:port. Default 127.0.0.1:8080. */
    listen: string;
    /** Bearer token of the dashboard's actions and, off loopback, of the dashboard and status API. */
    tokenEnv?: string;
    tokenFile?: string;
  };
  /** Absolute; default `<baseDir>/.atomsync`. */
  stateDir: string;
  webhook?: { /** Environment variable holding the webhook signing secret. */ secretEnv: string };
  /** Where manual work and events go (docs/notifications.md). */
  notify?: NotifyConfig;
}

export type NotifyEventKind = 'Manual' | 'Drifted' | 'Blocked' | 'RequestFailed' | 'Applied';

export interface NotifyConfig {
  receivers: ReceiverConfig[];
  /** Messages per minute per receiver. Default 60 (Slack takes about one a second). */
  ratePerMinute: number;
  /** Delivery attempts per message before it is dropped (and logged). Default 8. */
  maxAttempts: number;
}

export type ReceiverConfig = WebhookReceiverConfig | SlackReceiverConfig | GithubReceiverConfig;

export interface WebhookReceiverConfig {
  kind: 'webhook';
  name: string;
  url: string;
  /** Environment variable holding the HMAC-SHA256 signing secret. */
  secretEnv?: string;
  /** Default: every event. */
  events: NotifyEventKind[];
}

/** Exactly one of url and urlEnv (a Slack incoming-webhook URL is itself a secret). */
export interface SlackReceiverConfig {
  kind: 'slack';
  name: string;
  url?: string;
  urlEnv?: string;
  /** Default: Manual, Blocked, RequestFailed. */
  events: NotifyEventKind[];
}

/** One issue per runtime with manual work; only Manual tasks go here. */
export interface GithubReceiverConfig {
  kind: 'github';
  name: string;
  /** owner/name. */
  repository: string;
  tokenEnv: string;
  /** Default https://api.github.com. */
  apiUrl: string;
  /** Default [atomsync]; the first one also finds atomsync's issues again. */
  labels: string[];
}

/** Exactly one of `embedded` and `url` is set. */
export type PlatformConfig = PlatformLimits &
  (
    | { embedded: { /** Absolute path of the scenario file. */ scenario: string }; url?: undefined }
    | { url: string; embedded?: undefined }
  );

export interface PlatformLimits {
  /** Client-side token bucket, per account. Default 10. */
  requestsPerSecond: number;
  /** Per HTTP request. Default 30. */
  timeoutSeconds: number;
  /** The Runtime Release window and Platform Release dates, as Boomi announces them (exact ETAs). */
  releaseCalendar?: { runtimeReleaseWindowOpens: string; platformRelease: string };
}

/** Credentials are never inline: exactly one of username/usernameEnv, exactly one of tokenEnv/tokenFile. */
export interface AccountConfig {
  /** The key under `accounts`. */
  alias: string;
  accountId: string;
  username?: string;
  usernameEnv?: string;
  tokenEnv?: string;
  /** Absolute path. */
  tokenFile?: string;
  /** When set, calls use the partner form: /partner/api/rest/v1/{partnerAccountId}/…?overrideAccount={accountId}. */
  partnerAccountId?: string;
}

export type SourceConfig = DirectorySourceConfig | GitSourceConfig | KubernetesSourceConfig;

/** Which namespace a file source's pins are in: the source decides, never the file. */
export interface FileSourceNamespaceConfig {
  /** Namespace of the files under no mapped folder. Default `default`. */
  namespace?: string;
  /** Folder inside the source → namespace of the files under it; the deepest folder wins. */
  folderNamespaces?: Record<string, string>;
}

export interface DirectorySourceConfig extends FileSourceNamespaceConfig {
  kind: 'directory';
  /** Absolute path. */
  path: string;
}

export interface GitSourceConfig extends FileSourceNamespaceConfig {
  kind: 'git';
  url: string;
  /** Default main. */
  branch: string;
  /** Folder inside the repository (not resolved against the config folder). Default `.`. */
  path: string;
  /** Default 60. */
  intervalSeconds: number;
  auth?: GitAuthConfig;
}

/** For HTTPS remotes: at most one of username/usernameEnv, exactly one of tokenEnv/tokenFile. */
export interface GitAuthConfig {
  username?: string;
  usernameEnv?: string;
  tokenEnv?: string;
  /** Absolute path. */
  tokenFile?: string;
}

export interface KubernetesSourceConfig {
  kind: 'kubernetes';
  namespaces: string[];
}

/** Namespace → account aliases (or account ids) its AtomVersions may target (domain/tenancy.ts). */
export type TenancyConfig = Tenancy;
