// Starts real simulators on 127.0.0.1:0 (manual clock) and builds real platform clients aimed at them.
// A test file keeps one Simulators and closes everything it started in afterEach.
import { AtomSphereClient, type AtomSphereClientOptions } from '../../../../controller/platform/index.js';
import { startSimulator, type RunningSimulator } from '../../../../simulator/start.js';
import { DEMO_ADMIN, DEMO_SCENARIO_FILE, type PlatformUser } from './demo-world.js';
import { SimControl } from './sim-control.js';

export interface StartOptions {
  stateFile?: string;
  /** R16 limit per account; default 0 (off) so tests are not slowed down by it. */
  rateLimitPerSecond?: number;
}

export interface Platform {
  url: string;
  sim: RunningSimulator;
  /** /_sim/ control as the given admin. */
  control: SimControl;
  /** A client for one account as one user; no client-side rate limit unless the options set one. */
  client(accountId: string, user: PlatformUser, options?: Partial<AtomSphereClientOptions>): AtomSphereClient;
  close(): Promise<void>;
}

export class Simulators {
  private readonly running = new Set<Platform>();

  /** The demo world (examples/sim/demo.yaml), clock stopped at 2026-11-23T08:00:00Z. */
  demo(options: StartOptions = {}): Promise<Platform> {
    return this.start({ scenarioFile: DEMO_SCENARIO_FILE }, DEMO_ADMIN, options);
  }

  /** A scenario given as an object (e.g. smallScenario() changed by the test). */
  scenario(scenario: unknown, admin: PlatformUser, options: StartOptions = {}): Promise<Platform> {
    return this.start({ scenario }, admin, options);
  }

  async closeAll(): Promise<void> {
    const platforms = [...this.running];
    this.running.clear();
    await Promise.all(platforms.map((p) => p.close()));
  }

  private async start(
    source: { scenario?: unknown; scenarioFile?: string },
    admin: PlatformUser,
    options: StartOptions,
  ): Promise<Platform> {
    const sim = await startSimulator({
      ...source,
      ...(options.stateFile !== undefined && { stateFile: options.stateFile }),
      listen: '127.0.0.1:0',
      clock: 'manual',
      rateLimitPerSecond: options.rateLimitPerSecond ?? 0,
    });
    let closed = false;
    const platform: Platform = {
      url: sim.url,
      sim,
      control: new SimControl(sim.url, admin),
      client: (accountId, user, clientOptions = {}) =>
        platformClient(sim.url, accountId, user, clientOptions),
      close: async () => {
        if (closed) return;
        closed = true;
        this.running.delete(platform);
        await sim.close();
      },
    };
    this.running.add(platform);
    return platform;
  }
}

export function platformClient(
  baseUrl: string,
  accountId: string,
  user: PlatformUser,
  options: Partial<AtomSphereClientOptions> = {},
): AtomSphereClient {
  return new AtomSphereClient({
    baseUrl,
    accountId,
    username: `BOOMI_TOKEN.${user.userId}`,
    token: user.token,
    requestsPerSecond: 0,
    retryBaseMs: 5,
    retryMaxMs: 50,
    ...options,
  });
}
