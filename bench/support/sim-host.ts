// The bench's platform process (started by converge-platform.ts): one simulator per account on ephemeral
// loopback ports, their clocks moved by a pump. Prints {"urls":[…]} once every simulator listens, and
// {"cpuMs":…} after stopping, which it does when stdin closes.
// Usage: node dist/bench/support/sim-host.js '<PlatformSpec as JSON>'
import { startSimulator } from '../../simulator/start.js';
import { scenario, type PlatformSpec } from './converge-platform.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as PlatformSpec;
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
const pump = setInterval(() => sims.forEach((sim) => sim.model.advanceClock(spec.advanceMs)), spec.pumpEveryMs);
process.stdout.write(`${JSON.stringify({ urls: sims.map((sim) => sim.url) })}\n`);
await new Promise<void>((resolve) => {
  process.stdin.once('end', resolve);
  process.stdin.once('close', resolve);
  process.stdin.resume();
});
clearInterval(pump);
await Promise.all(sims.map((sim) => sim.close()));
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
