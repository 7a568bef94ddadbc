import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AtomsyncConfig } from '../../../controller/config/types.js';
import {
  createKubeIntegration,
  leaderElectionFromEnv,
  loadKubeConfig,
  replicaIdentity,
} from '../../../controller/kube/kube-integration.js';
import type { FakeKube } from '../../fakes/kube-api-server.js';
import { NAMESPACE, startKube } from './kube-test-support.js';

function config(sources: AtomsyncConfig['sources']): AtomsyncConfig {
  return {
    apiVersion: 'atomsync.io/v1alpha1',
    kind: 'Config',
    configFile: '/etc/atomsync/atomsync.yaml',
    baseDir: '/etc/atomsync',
    platform: { url: 'https://api.example.com', requestsPerSecond: 10, timeoutSeconds: 30 },
    accounts: {
      'acme-prod': { alias: 'acme-prod', accountId: 'acme-prod-D4E5F6', usernameEnv: 'U', tokenEnv: 'T' },
      'acme-eu': { alias: 'acme-eu', accountId: 'acme-eu-J1K2L3', usernameEnv: 'U', tokenEnv: 'T' },
    },
    sources,
    concurrency: 4,
    maxConcurrentRestarts: 2,
    defaultWindows: [],
    tenancy: { namespaces: { [NAMESPACE]: ['acme-prod'] } },
    server: { listen: '0.0.0.0:8080' },
    stateDir: '/var/lib/atomsync',
  };
}

describe('createKubeIntegration', () => {
  let kube: FakeKube;

  beforeEach(async () => {
    ({ kube } = await startKube());
  });

  afterEach(async () => {
    await kube.close();
  });

  const env = {
    POD_NAME: 'atomsync-6d5f-abcde',
    POD_NAMESPACE: 'atomsync',
    ATOMSYNC_ACCOUNT_SECRETS: 'acme-prod=boomi-acme-prod',
  };

  it('builds every part from the config and the pod environment', () => {
    const kubeConfig = loadKubeConfig(kube.kubeconfigPath);
    const integration = createKubeIntegration({
      config: config([{ kind: 'kubernetes', namespaces: [NAMESPACE] }]),
      kubeConfig,
      env,
    });
    expect(integration.namespace).toBe('atomsync');
    expect(integration.identity).toBe('atomsync-6d5f-abcde');
    expect(integration.source?.name).toBe('kubernetes:integration');
    expect(integration.credentials.secretFor('acme-prod')).toEqual({
      namespace: 'atomsync',
      name: 'boomi-acme-prod',
    });
    expect(integration.elector.isLeader()).toBe(false);
  });

  it('refuses an account Secret mapping it cannot read', () => {
    expect(() =>
      createKubeIntegration({
        config: config([]),
        kubeConfig: loadKubeConfig(kube.kubeconfigPath),
        env: { ...env, ATOMSYNC_ACCOUNT_SECRETS: 'acme-prod' },
      }),
    ).toThrow("ATOMSYNC_ACCOUNT_SECRETS: 'acme-prod' is not account=secret");
  });

  it('takes the namespace from the kubeconfig context outside a pod', () => {
    const integration = createKubeIntegration({
      config: config([]),
      kubeConfig: loadKubeConfig(kube.kubeconfigPath),
      env: {},
    });
    expect(integration.namespace).toBe('default');
    expect(integration.identity).toMatch(/_[0-9a-f]{8}$/);
  });

  it('gives two processes on one host different identities', () => {
    expect(replicaIdentity({})).not.toBe(replicaIdentity({}));
  });

  it('takes leader election timings from the environment, refusing a renew deadline not under the lease', () => {
    expect(
      leaderElectionFromEnv({
        ATOMSYNC_LEASE_DURATION: '4s',
        ATOMSYNC_LEASE_RENEW_DEADLINE: '2500ms',
        ATOMSYNC_LEASE_RETRY_PERIOD: '500ms',
      }),
    ).toEqual({ leaseDurationMs: 4000, renewDeadlineMs: 2500, retryPeriodMs: 500 });
    expect(leaderElectionFromEnv({})).toEqual({});
    expect(() => leaderElectionFromEnv({ ATOMSYNC_LEASE_DURATION: '8s' })).toThrow(
      'ATOMSYNC_LEASE_RENEW_DEADLINE (10s) must be shorter than ATOMSYNC_LEASE_DURATION (8s)',
    );
    expect(() => leaderElectionFromEnv({ ATOMSYNC_LEASE_RETRY_PERIOD: 'soon' })).toThrow(
      "ATOMSYNC_LEASE_RETRY_PERIOD: 'soon' is not a duration such as 15s",
    );
  });
});
