// The bench's platform process (started by converge-platform.ts): the simulators of sim-fleet.ts in a
// program of their own. Prints {"urls":[…]} once every simulator listens, and {"cpuMs":…} after stopping,
// which it does when stdin closes.
// Usage: node dist/bench/support/sim-host.js '<PlatformSpec as JSON>'
import type { PlatformSpec } from './converge-platform.js';
import { startSimFleet } from './sim-fleet.js';

const fleet = await startSimFleet(JSON.parse(process.argv[2] ?? '{}') as PlatformSpec);
process.stdout.write(`${JSON.stringify({ urls: fleet.urls })}\n`);
await new Promise<void>((resolve) => {
  process.stdin.once('end', resolve);
  process.stdin.once('close', resolve);
  process.stdin.resume();
});
await fleet.stop();
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
