// The simulators of bench/converge's platform: one per account on ephemeral loopback ports, their clocks
// moved by a pump. Run by the platform process (sim-host.ts), or in the caller's process where that
// program is not built (tests running the TypeScript sources).
import { startSimulator } from '../../simulator/start.js';
import { scenario, type PlatformSpec } from './converge-platform.js';

export interface SimFleet {
  urls: string[];
  stop(): Promise<void>;
}

export async function startSimFleet(spec: PlatformSpec): Promise<SimFleet> {
  const sims = await Promise.all(
    Array.from({ length: spec.accounts }, (_, a) =>
      startSimulator({
        scenario: scenario(a, spec.runtimesPerAccount, spec.rateLimitPerSecond),
        listen: '127.0.0.1:0',
        clock: 'manual',
        rateLimitPerSecond: spec.rateLimitPerSecond,
      }),
    ),
  );
  const pump = setInterval(
    () => sims.forEach((sim) => sim.model.advanceClock(spec.advanceMs)),
    spec.pumpEveryMs,
  );
  return {
    urls: sims.map((sim) => sim.url),
    async stop() {
      clearInterval(pump);
      await Promise.all(sims.map((sim) => sim.close()));
    },
  };
}
