// Capabilities and "manual mode": on a platform without atomsync's extension objects (Boomi's own, played
// by the simulator with `platform: { extensions: false }`), the probe says so, the extension objects answer
// 404 as unknown objects, and observeAccount reads versions through AtomConnectorVersions instead.
import { afterEach, describe, expect, it } from 'vitest';
import {
  NotFoundError,
  PlatformError,
  probeCapabilities,
  type AtomConnectorVersions,
  type AtomSphereClient,
} from '../../../controller/platform/index.js';
import { observeAccount } from '../../../controller/platform/observe.js';
import type { Scenario } from '../../../simulator/scenario/scenario-types.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { startSimulator } from '../../../simulator/start.js';
import { DEMO_ADMIN, DEMO_VIEWER, DEV, EU, PROD } from './support/demo-world.js';
import { runtimeId } from './support/lookups.js';
import { Simulators, type Platform } from './support/simulators.js';

const EXTENSION_OBJECTS = [
  'AtomVersions',
  'AtomVersionUpdateRequest',
  'IntegrationPackVersions',
  'IntegrationPackPendingUpdateRequest',
];

const sims = new Simulators();
afterEach(() => sims.closeAll());

function withoutExtensions(): Scenario {
  return { ...smallScenario(), platform: { extensions: false } };
}

async function manualPlatform(): Promise<{ platform: Platform; client: AtomSphereClient }> {
  const platform = await sims.scenario(withoutExtensions(), SMALL.admin);
  return { platform, client: platform.client(SMALL.accountId, SMALL.admin) };
}

async function failure(call: Promise<unknown>): Promise<PlatformError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof PlatformError))
    throw new Error(`expected a PlatformError, got ${String(outcome)}`);
  return outcome;
}

describe('probeCapabilities', () => {
  it('finds both extension families on the demo platform, for the admin and the read-only credential alike', async () => {
    const platform = await sims.demo();
    expect(await probeCapabilities(platform.client(PROD, DEMO_ADMIN))).toEqual({
      versionActions: true,
      packActions: true,
    });
    expect(await probeCapabilities(platform.client(EU, DEMO_VIEWER))).toEqual({
      versionActions: true,
      packActions: true,
    });
  });

  it('finds neither on a platform without the extension objects', async () => {
    const { client } = await manualPlatform();
    expect(await probeCapabilities(client)).toEqual({ versionActions: false, packActions: false });
  });
});

describe('a platform without the extension objects', () => {
  it('answers 404 "Unknown API object" to every call of an extension object, and serves the public objects as before', async () => {
    const { client } = await manualPlatform();
    const atomId = await runtimeId(client, 'Atom One');
    for (const object of EXTENSION_OBJECTS) {
      const calls = [
        client.get(object, atomId),
        client.queryAll(object),
        client.bulkGet(object, [atomId]),
        client.create(object, { atomId, action: 'APPLY_PENDING', components: ['Atom'] }),
      ];
      for (const call of calls) {
        const refused = await failure(call);
        expect(refused, object).toBeInstanceOf(NotFoundError);
        expect(refused.platformMessage).toBe(`Unknown API object '${object}'.`);
      }
    }
    const versions = await client.get<AtomConnectorVersions>('AtomConnectorVersions', atomId);
    expect(versions.ConnectorVersion?.map((c) => c.name)).toEqual([
      'Atom',
      'HTTP Client',
      'Database',
      'Salesforce',
    ]);
  });

  it('observeAccount falls back to AtomConnectorVersions bulk and reports versionActions and packActions false', async () => {
    const { client } = await manualPlatform();
    const snapshot = await observeAccount(
      { accountId: SMALL.accountId, client },
      { runtimes: [{ name: 'Atom One' }], withPacks: [{ name: 'Atom One' }] },
    );
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.capabilities).toEqual({ versionActions: false, packActions: false });
    const [runtime] = snapshot.runtimes;
    expect(runtime?.components).toEqual([
      { name: 'Atom', version: '26.11.0' },
      { name: 'HTTP Client', version: '26.11.0' },
      { name: 'Database', version: '26.11.0' },
      { name: 'Salesforce', version: '26.11.1' },
    ]);
    // AccountUserRole query + Role bulk (principal), Atom query, then one bulk per version source, and —
    // the release schedule being atomsync's lever without version actions (issue 12) — one schedule bulk.
    expect(client.stats.byObject).toEqual({
      AccountUserRole: 1,
      Role: 1,
      Atom: 1,
      AtomVersions: 1,
      AtomConnectorVersions: 1,
      IntegrationPackVersions: 1,
      RuntimeReleaseSchedule: 1,
    });
    expect(client.stats.byStatus['404']).toBe(2);
  });

  it("keeps running the platform's own rules: at the Platform Release the runtime moves, as AtomConnectorVersions shows", async () => {
    const { platform, client } = await manualPlatform();
    const atomId = await runtimeId(client, 'Atom One');
    await platform.control.setNow(SMALL.platformRelease);
    const versions = await client.get<AtomConnectorVersions>('AtomConnectorVersions', atomId);
    expect(versions.ConnectorVersion?.find((c) => c.name === 'Atom')?.version).toBe('26.12.0');
  });

  it('observeAccount on the demo platform reads AtomVersions and IntegrationPackVersions instead', async () => {
    const platform = await sims.demo();
    const client = platform.client(DEV, DEMO_ADMIN);
    const snapshot = await observeAccount(
      { accountId: DEV, client },
      { runtimes: [{ name: 'Dev Atom' }], withPacks: [{ name: 'Dev Atom' }] },
    );
    expect(snapshot.capabilities).toEqual({ versionActions: true, packActions: true });
    const devAtom = snapshot.runtimes.find((r) => r.name === 'Dev Atom');
    expect(devAtom?.components.find((c) => c.name === 'Atom')).toMatchObject({
      version: '26.12.0',
      rollbackVersion: '26.11.0',
    });
    expect(devAtom?.packs.find((p) => p.name === 'Salesforce to NetSuite')).toMatchObject({
      version: 3,
      pendingVersion: 4,
    });
    expect(client.stats.byObject['AtomConnectorVersions']).toBeUndefined();
  });

  it('refuses a scenario whose platform.extensions is not true or false, naming the field', async () => {
    const scenario = { ...smallScenario(), platform: { extensions: 'no' } };
    await expect(startSimulator({ scenario, listen: '127.0.0.1:0', clock: 'manual' })).rejects.toThrow(
      'platform.extensions: must be true or false',
    );
    const unknown = { ...smallScenario(), platform: { actions: false } };
    await expect(
      startSimulator({ scenario: unknown, listen: '127.0.0.1:0', clock: 'manual' }),
    ).rejects.toThrow('platform.actions: unknown field; expected one of extensions');
  });
});
