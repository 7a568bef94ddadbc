// Transport faults through the client: 503s, connection resets and latency injected by the simulator
// (/_sim/faults), and a create whose answer is lost after the platform applied it (a proxy drops it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  equals,
  and,
  PlatformError,
  RateLimitedError,
  UnreachableError,
  type AtomSphereClient,
  type AtomSphereClientOptions,
  type AuditLog,
  type AtomVersionUpdateRequest,
  type IntegrationPackEnvironmentAttachment,
} from '../../../controller/platform/index.js';
import { findOutstandingPackRequest, sendPlannedRequest } from '../../../controller/platform/execute.js';
import type { PlannedRequest } from '../../../controller/domain/types.js';
import { DEMO_ADMIN, DEV, PROD, SALESFORCE_PACK } from './support/demo-world.js';
import { startLossyProxy, type LossyProxy } from './support/lossy-proxy.js';
import { environmentId, packsOf, runtimeId } from './support/lookups.js';
import { platformClient, Simulators, type Platform } from './support/simulators.js';

const sims = new Simulators();
let platform: Platform;
let proxy: LossyProxy | undefined;

beforeEach(async () => {
  platform = await sims.demo();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await sims.closeAll();
});

/** A client whose waits before retries are recorded, not slept, so the test does not idle. */
function impatientClient(options: Partial<AtomSphereClientOptions> = {}) {
  const waits: number[] = [];
  const client = platform.client(PROD, DEMO_ADMIN, {
    maxRetries: 10,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { client, waits };
}

function applyHttpClient(runtime: string): PlannedRequest {
  return {
    accountId: PROD,
    runtimeId: runtime,
    runtimeName: 'Prod West Atom',
    kind: 'AtomVersionUpdateRequest',
    action: 'APPLY_PENDING',
    components: ['HTTP Client'],
    wave: 0,
    keys: [],
  };
}

async function versionRequestsOn(
  client: AtomSphereClient,
  atomId: string,
): Promise<AtomVersionUpdateRequest[]> {
  return client.queryAll<AtomVersionUpdateRequest>('AtomVersionUpdateRequest', equals('atomId', atomId));
}

describe('503s, resets and latency', () => {
  it('a share of 503 answers is retried, each time after the Retry-After the platform sends, until every read succeeds', async () => {
    await platform.control.faults({ errorRatio503: 0.5 });
    const { client, waits } = impatientClient();
    for (let i = 0; i < 20; i++) expect(await client.queryAll('Environment')).toHaveLength(2);
    const stats = client.stats;
    expect(stats.byStatus['200']).toBe(20);
    expect(stats.byStatus['503']).toBeGreaterThan(0);
    expect(stats.retries).toBe(stats.byStatus['503']);
    expect(new Set(waits)).toEqual(new Set([1000]));
  });

  it('when every answer is a 503 the client gives up after its retries with a RateLimitedError', async () => {
    await platform.control.faults({ errorRatio503: 1 });
    const { client } = impatientClient({ maxRetries: 2 });
    const failure = await client.queryAll('Environment').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitedError);
    expect(failure).toMatchObject({ status: 503, attempts: 3 });
  });

  it('connection resets are retried and every read succeeds', async () => {
    await platform.control.faults({ resetRatio: 0.5 });
    const { client } = impatientClient();
    for (let i = 0; i < 20; i++) expect(await client.queryAll('Environment')).toHaveLength(2);
    expect(client.stats.byStatus['200']).toBe(20);
    expect(client.stats.byStatus['network']).toBeGreaterThan(0);
  });

  it('added latency: the client waits for a slow answer, and gives up with Unreachable when its timeout is shorter', async () => {
    await platform.control.faults({ latencyMs: 300 });
    const patient = platform.client(PROD, DEMO_ADMIN, { timeoutMs: 10_000 });
    expect(await patient.queryAll('Environment')).toHaveLength(2);
    const hasty = platform.client(PROD, DEMO_ADMIN, { timeoutMs: 50, maxRetries: 0 });
    const failure = await hasty.queryAll('Environment').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect((failure as PlatformError).platformMessage).toContain('no answer within 50 ms');
  });
});

describe('a create whose answer is lost', () => {
  it('the simulator resets the connection before applying: the retry finds nothing, sends again, and exactly one request exists', async () => {
    const admin = platform.client(PROD, DEMO_ADMIN);
    const atomId = await runtimeId(admin, 'Prod West Atom');
    await platform.control.faults({ resetRatio: 1 });
    const client = platform.client(PROD, DEMO_ADMIN, {
      sleep: async () => {
        await platform.control.clearFaults();
      },
    });
    const sent = await sendPlannedRequest(client, applyHttpClient(atomId));
    expect(client.stats.byVerb).toEqual({ CREATE: 2, QUERY: 1 });
    expect(client.stats.byStatus).toEqual({ network: 1, '202': 1, '200': 1 });
    const requests = await versionRequestsOn(admin, atomId);
    expect(requests.map((r) => r.id)).toEqual([sent.id]);
    const audit = await admin.queryAll<AuditLog>(
      'AuditLog',
      and(
        equals('containerId', atomId),
        equals('type', 'as.atom.version'),
        equals('action', 'APPLY_PENDING'),
      ),
    );
    expect(audit).toHaveLength(1);
  });

  it('the answer is lost after the platform applied it: findExisting returns the outstanding request and nothing is sent twice', async () => {
    const admin = platform.client(PROD, DEMO_ADMIN);
    const atomId = await runtimeId(admin, 'Prod West Atom');
    proxy = await startLossyProxy(platform.url);
    proxy.loseNext(1, (method, path) => method === 'POST' && path.endsWith('/AtomVersionUpdateRequest'));
    const client = platformClient(proxy.url, PROD, DEMO_ADMIN);

    const sent = await sendPlannedRequest(client, applyHttpClient(atomId));
    expect(proxy.lost).toBe(1);
    expect(client.stats.byVerb).toEqual({ CREATE: 1, QUERY: 1 });
    const requests = await versionRequestsOn(admin, atomId);
    expect(requests.map((r) => [r.id, r.status])).toEqual([[sent.id, 'WAITING_FOR_INACTIVITY']]);
    expect(sent.status).toBe('WAITING_FOR_INACTIVITY');
  });

  it('the answer is lost and the request finishes before the retry: the finished request is found, nothing is sent twice', async () => {
    const admin = platform.client(PROD, DEMO_ADMIN);
    const atomId = await runtimeId(admin, 'Prod West Atom');
    proxy = await startLossyProxy(platform.url);
    proxy.loseNext(1, (method, path) => method === 'POST' && path.endsWith('/AtomVersionUpdateRequest'));
    // While the client backs off, the runtime restarts and the request completes.
    const client = platformClient(proxy.url, PROD, DEMO_ADMIN, {
      sleep: async () => {
        await platform.control.advance('1m');
      },
    });
    await client.get('Atom', atomId); // the client learns the platform's clock, as observe does first

    const sent = await sendPlannedRequest(client, applyHttpClient(atomId));
    expect(proxy.lost).toBe(1);
    expect(client.stats.byVerb.CREATE).toBe(1);
    expect(sent.status).toBe('COMPLETE');
    const requests = await versionRequestsOn(admin, atomId);
    expect(requests.map((r) => [r.id, r.status])).toEqual([[sent.id, 'COMPLETE']]);
  });

  it('without findExisting, a create whose answer was lost fails with mayHaveApplied instead of being sent again', async () => {
    const admin = platform.client(PROD, DEMO_ADMIN);
    const atomId = await runtimeId(admin, 'Prod West Atom');
    proxy = await startLossyProxy(platform.url);
    proxy.loseNext(1, (method, path) => method === 'POST' && path.endsWith('/AtomVersionUpdateRequest'));
    const client = platformClient(proxy.url, PROD, DEMO_ADMIN);
    const failure = await client
      .create('AtomVersionUpdateRequest', { atomId, action: 'APPLY_PENDING', components: ['HTTP Client'] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect(failure).toMatchObject({ mayHaveApplied: true, attempts: 1 });
    expect((failure as PlatformError).message).toContain('the create may have been applied');
    expect(await versionRequestsOn(admin, atomId)).toHaveLength(1);
  });

  it("an Apply Pending Updates whose answer is lost is found through the runtime's pack versions, not sent twice", async () => {
    const dev = platform.client(DEV, DEMO_ADMIN);
    const devAtom = await runtimeId(dev, 'Dev Atom');
    proxy = await startLossyProxy(platform.url);
    proxy.loseNext(
      1,
      (method, path) => method === 'POST' && path.endsWith('/IntegrationPackPendingUpdateRequest'),
    );
    const client = platformClient(proxy.url, DEV, DEMO_ADMIN);
    const sent = await sendPlannedRequest(client, {
      ...applyHttpClient(devAtom),
      accountId: DEV,
      runtimeName: 'Dev Atom',
      kind: 'IntegrationPackPendingUpdateRequest',
      components: ['Salesforce to NetSuite'],
    });
    expect(proxy.lost).toBe(1);
    expect(client.stats.byVerb.CREATE).toBe(1);
    const requests = await dev.queryAll<{ id: string }>(
      'IntegrationPackPendingUpdateRequest',
      equals('atomId', devAtom),
    );
    expect(requests.map((r) => r.id)).toEqual([sent.id]);
  });

  it('Why 1: an Apply Pending Updates whose answer is lost after the update finished is found (ours, since the first attempt), not sent a second time', async () => {
    const dev = platform.client(DEV, DEMO_ADMIN);
    const devAtom = await runtimeId(dev, 'Dev Atom');
    proxy = await startLossyProxy(platform.url);
    proxy.loseNext(
      1,
      (method, path) => method === 'POST' && path.endsWith('/IntegrationPackPendingUpdateRequest'),
    );
    // While the client backs off, the runtime goes idle and the pack update completes.
    const client = platformClient(proxy.url, DEV, DEMO_ADMIN, {
      sleep: async () => {
        await platform.control.advance('1m');
      },
    });
    await client.get('Atom', devAtom); // the client learns the platform's clock, as observe does first

    const sent = await sendPlannedRequest(client, packRequest(devAtom));
    expect(proxy.lost).toBe(1);
    expect(client.stats.byVerb.CREATE).toBe(1);
    expect(sent.status).toBe('COMPLETE');
    const requests = await dev.queryAll<{ id: string; status: string }>(
      'IntegrationPackPendingUpdateRequest',
      equals('atomId', devAtom),
    );
    expect(requests.map((r) => [r.id, r.status])).toEqual([[sent.id, 'COMPLETE']]);
    const audit = await dev.queryAll<AuditLog>(
      'AuditLog',
      and(
        equals('containerId', devAtom),
        equals('type', 'as.integrationpack'),
        equals('action', 'APPLY_PENDING'),
        equals('modifier', 'ACCEPTED'),
      ),
    );
    expect(audit).toHaveLength(1);
  });

  it('a finished pack request of another user is not taken for ours: the lost create is looked up by who made it and when', async () => {
    const dev = platform.client(DEV, DEMO_ADMIN);
    const devAtom = await runtimeId(dev, 'Dev Atom');
    const earlier = await dev.create<{ id: string }>('IntegrationPackPendingUpdateRequest', {
      atomId: devAtom,
    });
    await platform.control.advance('1m');
    const found = await findOutstandingPackRequest(dev, devAtom, {
      userId: 'someone-else@demo.atomsync',
      sinceMs: 0,
    });
    expect(found).toBeUndefined();
    const ours = await findOutstandingPackRequest(dev, devAtom, { userId: DEMO_ADMIN.userId, sinceMs: 0 });
    expect(ours?.id).toBe(earlier.id);
  });

  it('a reattach whose detach and attach answers are both lost detaches once and attaches once', async () => {
    const prod = platform.client(PROD, DEMO_ADMIN);
    const staging = await runtimeId(prod, 'Staging Atom');
    const early = (await packsOf(prod, staging))[SALESFORCE_PACK]!;
    const stagingEnvironment = await environmentId(prod, 'Staging');
    proxy = await startLossyProxy(platform.url);
    proxy.loseNext(
      1,
      (method, path) => method === 'DELETE' && path.includes('/IntegrationPackEnvironmentAttachment/'),
    );
    const client = platformClient(proxy.url, PROD, DEMO_ADMIN, {
      sleep: async () => {
        if (proxy!.lost === 1) {
          proxy!.loseNext(
            1,
            (method, path) => method === 'POST' && path.endsWith('/IntegrationPackEnvironmentAttachment'),
          );
        }
      },
    });
    const sent = await sendPlannedRequest(client, {
      accountId: PROD,
      runtimeId: staging,
      runtimeName: 'Staging Atom',
      kind: 'ReattachPack',
      components: [SALESFORCE_PACK],
      packs: [
        {
          integrationPackInstanceId: early.integrationPackInstanceId,
          name: SALESFORCE_PACK,
          fromVersion: 8,
          toVersion: 7,
        },
      ],
      environmentId: stagingEnvironment,
      wave: 0,
      keys: [],
    });
    expect(proxy.lost).toBe(2);
    expect(client.stats.byVerb.CREATE).toBe(1);
    const attachments = await prod.queryAll<IntegrationPackEnvironmentAttachment>(
      'IntegrationPackEnvironmentAttachment',
      and(
        equals('environmentId', stagingEnvironment),
        equals('integrationPackInstanceId', early.integrationPackInstanceId),
      ),
    );
    expect(attachments.map((a) => a.id)).toEqual([sent.id]);
    expect((await packsOf(prod, staging))[SALESFORCE_PACK]?.version).toBe(7);
  });
});

function packRequest(atomId: string): PlannedRequest {
  return {
    accountId: DEV,
    runtimeId: atomId,
    runtimeName: 'Dev Atom',
    kind: 'IntegrationPackPendingUpdateRequest',
    components: [SALESFORCE_PACK],
    wave: 0,
    keys: [],
  };
}
