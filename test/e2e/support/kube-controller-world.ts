// The controller in Kubernetes, end to end: the simulator (demo world, manual clock), the fake API server
// driven by the real kubectl, and `atomsync run` replicas as child processes (the built CLI), each with
// its own folder — config, token files, state — the way pods would have their own filesystem.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeKube, type FakeKube, type KubeObject } from '../../fakes/kube-api-server.js';
import { runKubectl, type KubectlResult } from '../../fakes/kube/run-kubectl.js';
import {
  ACME_DEV,
  ACME_EU,
  ACME_PROD,
  ADMIN_TOKEN,
  SimHandle,
  VIEWER_TOKEN,
  removeDir,
  tempDir,
} from '../../integration/controller-harness.js';
import { REPO_ROOT } from './repo.js';
import { KubeReplica } from './kube-replica.js';

export const CRD_FILE = join(REPO_ROOT, 'crds', 'atomversion.yaml');
export const EXAMPLES_DIR = join(REPO_ROOT, 'examples', 'kubernetes');
export const DEMO_ACCOUNTS = [ACME_PROD, ACME_DEV, ACME_EU];

/** The examples once converged: Ready per AtomVersion (prod-west-atom waits for its pack's release date). */
export const EXAMPLE_READY: Record<string, 'True' | 'False'> = {
  'prod-east-molecule': 'True',
  'staging-atom': 'True',
  'dev-atom': 'True',
  'qa-molecule': 'True',
  'prod-west-atom': 'False',
  'eu-atom': 'False',
};
const LEASE_REF = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  name: 'atomsync-leader',
  namespace: 'atomsync',
};

/** An update request as the simulator reports it (both kinds), with the account it belongs to. */
export interface PlatformRequest {
  accountId: string;
  type: 'AtomVersionUpdateRequest' | 'IntegrationPackPendingUpdateRequest';
  id: string;
  atomId: string;
  action?: string;
  components?: string[];
  status: string;
}

export interface AtomVersionStatusFields {
  observedGeneration?: number;
  runtimeName?: string;
  runtimeVersion?: string;
  synced?: string;
  changedBy?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface ReplicaExtras {
  /** Where the replica finds the platform (default: the simulator). */
  platformUrl?: string;
  /** More `atomsync run` flags. */
  args?: string[];
  /** More environment variables (e.g. shorter leader election timings). */
  env?: Record<string, string>;
  /** The replica's atomsync.yaml, given the platform URL (default: the demo accounts, namespace integration). */
  config?: (platformUrl: string) => string;
}

/**
 * Leader election timings for the failover test: about half the defaults (15 s / 10 s / 2 s), in the same
 * proportions, so a failover shows the same behaviour in half the time. Not shorter: on a loaded CI
 * machine a renew deadline of 2.5 s was missed while the replica was still starting.
 */
export const FAST_LEASE_ENV = {
  ATOMSYNC_LEASE_DURATION: '8s',
  ATOMSYNC_LEASE_RENEW_DEADLINE: '5s',
  ATOMSYNC_LEASE_RETRY_PERIOD: '1s',
};

export class KubeControllerWorld {
  readonly replicas: KubeReplica[] = [];
  private pump?: NodeJS.Timeout;

  private constructor(
    readonly sim: SimHandle,
    readonly kube: FakeKube,
    readonly dir: string,
  ) {}

  static async start(): Promise<KubeControllerWorld> {
    const sim = await SimHandle.start({ clock: 'manual' });
    const kube = await startFakeKube();
    return new KubeControllerWorld(sim, kube, await tempDir('kube-controller'));
  }

  async close(): Promise<void> {
    this.stopClock();
    await Promise.all(this.replicas.map((replica) => replica.kill('SIGKILL')));
    await this.kube.close();
    await this.sim.close();
    await removeDir(this.dir);
  }

  /** `kubectl …` that must succeed; its stdout. */
  async kubectl(...args: string[]): Promise<string> {
    const result = await this.kubectlResult(args);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  kubectlResult(args: string[], stdin?: string): Promise<KubectlResult> {
    return runKubectl(this.kube, args, stdin);
  }

  /** The install steps of docs/kubernetes.md that come before the controller: the CRD, the namespaces. */
  async installCrdAndNamespaces(): Promise<void> {
    await this.kubectl('apply', '-f', CRD_FILE);
    await this.kubectl('wait', '--for', 'condition=established', 'crd/atomversions.atomsync.io');
    await this.kubectl('apply', '-f', join(EXAMPLES_DIR, 'install', 'namespace.yaml'));
  }

  /** Writes a manifest into the world's folder and applies it with kubectl (which must accept it). */
  async applyManifest(fileName: string, yaml: string): Promise<string> {
    const file = join(this.dir, fileName);
    await writeFile(file, yaml);
    return this.kubectl('apply', '-f', file);
  }

  /** Starts `atomsync run` as pod `podName` (its own folder, config and state). */
  async startReplica(podName: string, options: ReplicaExtras = {}): Promise<KubeReplica> {
    const home = join(this.dir, podName);
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'admin.token'), `${ADMIN_TOKEN}\n`);
    await writeFile(join(home, 'viewer.token'), `${VIEWER_TOKEN}\n`);
    const config = options.config ?? replicaConfig;
    await writeFile(join(home, 'atomsync.yaml'), config(options.platformUrl ?? this.sim.url));
    const replica = KubeReplica.spawn({
      podName,
      home,
      configFile: join(home, 'atomsync.yaml'),
      kubeconfigPath: this.kube.kubeconfigPath,
      namespace: 'atomsync',
      ...(options.args ? { args: options.args } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    this.replicas.push(replica);
    return replica;
  }

  leaseHolder(): string | undefined {
    const lease = this.kube.store.get(LEASE_REF) as { spec?: { holderIdentity?: string } } | undefined;
    return lease?.spec?.holderIdentity || undefined;
  }

  atomVersion(name: string): KubeObject | undefined {
    return this.kube.store.get({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      name,
      namespace: 'integration',
    });
  }

  statusOf(name: string): AtomVersionStatusFields | undefined {
    return (this.atomVersion(name) as { status?: AtomVersionStatusFields } | undefined)?.status;
  }

  generationOf(name: string): number | undefined {
    return (this.atomVersion(name)?.metadata as { generation?: number } | undefined)?.generation;
  }

  /** Runs the simulator's clock forward in steps, so that inactivity waits and restarts complete. */
  runClock(step = '10s', everyMs = 250): void {
    this.stopClock();
    this.pump = setInterval(() => {
      this.sim.advance(step).catch(() => undefined);
    }, everyMs);
  }

  stopClock(): void {
    if (this.pump) clearInterval(this.pump);
    this.pump = undefined;
  }

  /** Every update request the platform holds, in the three demo accounts. */
  async platformRequests(): Promise<PlatformRequest[]> {
    const all: PlatformRequest[] = [];
    for (const accountId of DEMO_ACCOUNTS) {
      for (const type of ['AtomVersionUpdateRequest', 'IntegrationPackPendingUpdateRequest'] as const) {
        const body = (await this.sim.call('POST', `/api/rest/v1/${accountId}/${type}/query`, {})) as {
          result?: Omit<PlatformRequest, 'accountId' | 'type'>[];
        };
        for (const request of body.result ?? []) all.push({ ...request, accountId, type });
      }
    }
    return all;
  }

  /** Current version of a runtime's component on the platform. */
  async platformVersion(accountId: string, runtime: string, component = 'Atom'): Promise<string | undefined> {
    return this.sim.version(accountId, await this.sim.atomId(accountId, runtime), component);
  }
}

/** What makes two platform requests "the same request": runtime, kind, action and components. */
export function requestIdentity(request: PlatformRequest): string {
  const components = [...(request.components ?? [])].sort().join('+');
  return `${request.accountId}/${request.atomId} ${request.type} ${request.action ?? ''} ${components}`;
}

/** acme-prod and acme-dev with the admin credential, acme-eu with the viewer; integration may reach prod and dev. */
function replicaConfig(simUrl: string): string {
  const admin = 'username: BOOMI_TOKEN.admin@demo.atomsync, tokenFile: admin.token';
  return `apiVersion: atomsync.io/v1alpha1
kind: Config
platform: { url: ${simUrl}, requestsPerSecond: 100, timeoutSeconds: 5 }
accounts:
  acme-prod: { accountId: ${ACME_PROD}, ${admin} }
  acme-dev: { accountId: ${ACME_DEV}, ${admin} }
  acme-eu: { accountId: ${ACME_EU}, username: BOOMI_TOKEN.viewer@demo.atomsync, tokenFile: viewer.token }
sources:
  - { kind: kubernetes, namespaces: [integration] }
tenancy: { namespaces: { integration: [acme-prod, acme-dev] } }
stateDir: state
server: { listen: 127.0.0.1:0 }
`;
}
