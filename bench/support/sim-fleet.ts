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
  // Each simulator's clock moves on a timer of its own, the timers spread over the pump's period: moving
  // all 100 at once held the platform's event loop 20–50 ms four times a second, and the requests waiting
  // behind it were stamped as arriving together (503s from the rate limit's sliding window).
  const timers: NodeJS.Timeout[] = [];
  const starts = sims.map((sim, a) =>
    setTimeout(
      () => {
        timers.push(setInterval(() => sim.model.advanceClock(spec.advanceMs), spec.pumpEveryMs));
      },
      Math.floor((a * spec.pumpEveryMs) / sims.length),
    ),
  );
  return {
    urls: sims.map((sim) => sim.url),
    async stop() {
      for (const timer of [...starts, ...timers]) clearTimeout(timer);
      await Promise.all(sims.map((sim) => sim.close()));
    },
  };
}
