// Everything the controller loop needs to run inside Kubernetes, built from the config in one call:
// the AtomVersion source, the status writer, the event recorder, Secret credentials and the leader
// elector. Tenancy is not here: the controller enforces it through the planner (domain/tenancy.ts). Nothing starts here; the caller starts and stops each part.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { resolveCredentials } from '../config/credentials.js';
import type { AtomsyncConfig, KubernetesSourceConfig } from '../config/types.js';
import type { Timers } from '../util/timers.js';
import {
  ACCOUNT_SECRETS_ENV,
  KubeCredentials,
  kubeSecretReader,
  parseAccountSecretRefs,
} from './credentials.js';
import { KubeEventRecorder } from './events.js';
import { KubeError } from './kube-errors.js';
import { KubeSource, type KubeSourceError } from './kube-source.js';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_RENEW_DEADLINE_MS, LeaderElector } from './leader-election.js';
import { parseDuration } from '../domain/duration.js';
import { KubeStatusWriter } from './status-writer.js';

type Env = Record<string, string | undefined>;

const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface KubeIntegrationOptions {
  config: AtomsyncConfig;
  /** Default: in-cluster service account, else $KUBECONFIG or ~/.kube/config. */
  kubeConfig?: KubeConfig;
  env?: Env;
  /** Leader election timings (defaults 15 s / 10 s / 2 s). */
  leaderElection?: {
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
    leaseName?: string;
  };
  /** Failures the parts recover from by themselves (watch dropped, event not recorded…), for the log. */
  onError?: (message: string) => void;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  timers?: Timers;
}

export interface KubeIntegration {
  kubeConfig: KubeConfig;
  /** atomsync's own namespace: the Lease and mapped Secrets live here. */
  namespace: string;
  /** This replica's identity (the pod name). */
  identity: string;
  /** The AtomVersion source, when the config has a `kind: kubernetes` source. */
  source?: KubeSource;
  statusWriter: KubeStatusWriter;
  events: KubeEventRecorder;
  credentials: KubeCredentials;
  elector: LeaderElector;
  /** Registers a callback for each time this replica starts leading (after onStartedLeading). */
  onLeading(callback: () => void): void;
}

const EVENT_SERIES_INTERVAL_ENV = 'ATOMSYNC_EVENT_SERIES_INTERVAL';

/** Leader election timings from the environment, as kube-controller-manager's --leader-elect-* flags. */
const LEADER_ELECTION_ENV = {
  leaseDurationMs: 'ATOMSYNC_LEASE_DURATION',
  renewDeadlineMs: 'ATOMSYNC_LEASE_RENEW_DEADLINE',
  retryPeriodMs: 'ATOMSYNC_LEASE_RETRY_PERIOD',
} as const;

export function createKubeIntegration(options: KubeIntegrationOptions): KubeIntegration {
  const env = options.env ?? process.env;
  const kubeConfig = options.kubeConfig ?? loadKubeConfig();
  const namespace = ownNamespace(kubeConfig, env);
  const identity = replicaIdentity(env);
  const report = (message: string): void => options.onError?.(message);
  const timers = options.timers ? { timers: options.timers } : {};
  const sourceConfig = options.config.sources.find(
    (s): s is KubernetesSourceConfig => s.kind === 'kubernetes',
  );
  const source = sourceConfig
    ? new KubeSource({
        kubeConfig,
        namespaces: sourceConfig.namespaces,
        onError: (error: KubeSourceError) => report(describeSourceError(error)),
        ...timers,
      })
    : undefined;
  const mapping = parseAccountSecretRefs(env[ACCOUNT_SECRETS_ENV]);
  if (mapping.problems.length > 0) throw new KubeError('InvalidAccountSecrets', mapping.problems.join('; '));
  const election = { ...leaderElectionFromEnv(env), ...options.leaderElection };
  const leadingCallbacks: (() => void)[] = [];
  return {
    kubeConfig,
    namespace,
    identity,
    ...(source ? { source } : {}),
    statusWriter: new KubeStatusWriter({
      kubeConfig,
      ...(source ? { observe: (key: string) => source.getObject(key) } : {}),
    }),
    events: new KubeEventRecorder({
      kubeConfig,
      reportingInstance: identity,
      onError: report,
      ...eventSeriesFromEnv(env),
      ...timers,
    }),
    credentials: new KubeCredentials({
      reader: kubeSecretReader(kubeConfig),
      accounts: options.config.accounts,
      secretRefs: mapping.refs,
      defaultNamespace: namespace,
      fallback: (account) => resolveCredentials(account, env),
      ...timers,
    }),
    elector: new LeaderElector({
      kubeConfig,
      namespace,
      identity,
      ...(election.leaseName ? { name: election.leaseName } : {}),
      ...(election.leaseDurationMs ? { leaseDurationMs: election.leaseDurationMs } : {}),
      ...(election.renewDeadlineMs ? { renewDeadlineMs: election.renewDeadlineMs } : {}),
      ...(election.retryPeriodMs ? { retryPeriodMs: election.retryPeriodMs } : {}),
      onStartedLeading: () => {
        options.onStartedLeading?.();
        for (const callback of leadingCallbacks) callback();
      },
      ...(options.onStoppedLeading ? { onStoppedLeading: options.onStoppedLeading } : {}),
      onError: report,
      ...timers,
    }),
    onLeading: (callback) => leadingCallbacks.push(callback),
  };
}

/**
 * ATOMSYNC_LEASE_DURATION / _RENEW_DEADLINE / _RETRY_PERIOD (e.g. `15s`); absent: the defaults. The
 * renew deadline must stay below the lease duration, or two replicas could lead at once.
 */
export function leaderElectionFromEnv(env: Env): Partial<Record<keyof typeof LEADER_ELECTION_ENV, number>> {
  const timings: Partial<Record<keyof typeof LEADER_ELECTION_ENV, number>> = {};
  for (const [field, variable] of Object.entries(LEADER_ELECTION_ENV) as [
    keyof typeof LEADER_ELECTION_ENV,
    string,
  ][]) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0)
      throw new KubeError('InvalidLeaderElection', `${variable}: '${text}' is not a duration such as 15s`);
    timings[field] = ms;
  }
  const lease = timings.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
  const renew = timings.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
  if (renew >= lease)
    throw new KubeError(
      'InvalidLeaderElection',
      `${LEADER_ELECTION_ENV.renewDeadlineMs} (${renew / 1000}s) must be shorter than ${LEADER_ELECTION_ENV.leaseDurationMs} (${lease / 1000}s)`,
    );
  return timings;
}

/**
 * ATOMSYNC_EVENT_SERIES_INTERVAL (e.g. `60s`, the default): a repeated Event's series is bumped at most
 * this often, as client-go's event recorder does; `0s` bumps on every repeat.
 */
function eventSeriesFromEnv(env: Env): { seriesIntervalMs?: number } {
  const text = env[EVENT_SERIES_INTERVAL_ENV];
  if (text === undefined || text === '') return {};
  const ms = text.trim() === '0' ? 0 : parseDuration(text);
  if (ms === undefined || ms < 0)
    throw new KubeError(
      'InvalidEventSeries',
      `${EVENT_SERIES_INTERVAL_ENV}: '${text}' is not a duration such as 60s`,
    );
  return { seriesIntervalMs: ms };
}

/** In a pod: the service account. Elsewhere: $KUBECONFIG or ~/.kube/config (client-node's default). */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath) kubeConfig.loadFromFile(kubeconfigPath);
  else kubeConfig.loadFromDefault();
  if (!kubeConfig.getCurrentCluster()) {
    throw new KubeError(
      'NoKubeconfig',
      'no Kubernetes cluster configured: run in a pod with a service account, or set KUBECONFIG',
    );
  }
  return kubeConfig;
}

/** POD_NAMESPACE, else the service account's namespace, else the kubeconfig context's, else default. */
function ownNamespace(kubeConfig: KubeConfig, env: Env = process.env): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    const fromServiceAccount = readFileSync(SERVICE_ACCOUNT_NAMESPACE_FILE, 'utf8').trim();
    if (fromServiceAccount) return fromServiceAccount;
  } catch {
    // not in a pod
  }
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  return context?.namespace || 'default';
}

/** POD_NAME, else host name plus a random suffix (two processes on one host stay distinct). */
export function replicaIdentity(env: Env = process.env): string {
  return env.POD_NAME || `${hostname()}_${randomBytes(4).toString('hex')}`;
}

function describeSourceError(error: KubeSourceError): string {
  const where = error.namespace ? ` in namespace ${error.namespace}` : '';
  const verb = error.code === 'ListFailed' ? 'list' : 'watch';
  return `kubernetes source: ${verb} of AtomVersions${where} failed: ${error.message} (retrying in ${error.retryInMs} ms)`;
}
