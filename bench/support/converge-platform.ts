// The platform of bench/converge, served by a process of its own (sim-host.ts), as the simulator is meant
// to run: a separate program whose CPU does not compete with the controller's event loop. One simulator
// per account (the simulator scans every runtime it holds after each write, simulator/model/restarts.ts;
// accounts are independent on the platform and its rate limit is per account), each pinned runtime on the
// released version with the pending one offered, and the simulators' clocks fast-forwarded by a pump.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ADMIN = { userId: 'admin@bench.atomsync', token: 'bench-admin-token' };
const RELEASED = '26.11.0';
export const PENDING = '26.12.0';

export interface PlatformSpec {
  accounts: number;
  runtimesPerAccount: number;
  rateLimitPerSecond: number;
  /** The pump: every pumpEveryMs of real time, each simulator's clock moves advanceMs. */
  pumpEveryMs: number;
  advanceMs: number;
}

export interface RunningPlatform {
  /** Base URL of each account's simulator, by account index. */
  urls: string[];
  /** `separate`: a process of its own (the bench); `in-process`: the sources run under a test. */
  runsIn: 'separate' | 'in-process';
  /** CPU (user + system, ms) the platform process used until close (0 in-process). */
  close(): Promise<{ cpuMs: number }>;
}

export function accountId(a: number): string {
  return `bench-account-${String(a).padStart(4, '0')}`;
}

export function runtimeName(r: number): string {
  return `Atom ${String(r).padStart(3, '0')}`;
}

export function scenario(a: number, perAccount: number, rateLimitPerSecond: number): unknown {
  return {
    clock: { start: '2026-11-23T08:00:00Z', mode: 'manual' },
    timing: { inactivityWaitSeconds: 30, restartSecondsPerNode: 60 },
    rateLimitPerSecond,
    calendar: {
      platformRelease: '2026-12-05T02:00:00Z',
      components: [{ name: 'Atom', released: RELEASED, pending: PENDING, source: 'RUNTIME_RELEASE' }],
    },
    roles: [{ name: 'Admin', privileges: ['API', 'ATOM_MANAGEMENT'] }],
    users: [{ ...ADMIN, roles: ['Admin'] }],
    accounts: [
      {
        id: accountId(a),
        environments: [{ name: 'Test', classification: 'TEST' }],
        runtimes: Array.from({ length: perAccount }, (_, r) => ({
          name: runtimeName(r),
          type: 'ATOM',
          environment: 'Test',
        })),
      },
    ],
  };
}

const HOST = fileURLToPath(new URL('./sim-host.js', import.meta.url));

/**
 * Starts the platform process and waits until every simulator listens. It stops when its stdin closes
 * (close(), or this process dying), and reports its CPU time on the way out. Where the program is not
 * built (a test importing the TypeScript sources), the simulators run in this process instead.
 */
export async function startPlatform(spec: PlatformSpec): Promise<RunningPlatform> {
  if (!existsSync(HOST)) {
    const { startSimFleet } = await import('./sim-fleet.js');
    const fleet = await startSimFleet(spec);
    return { urls: fleet.urls, runsIn: 'in-process', close: () => fleet.stop().then(() => ({ cpuMs: 0 })) };
  }
  const child = spawn(process.execPath, [HOST, JSON.stringify(spec)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await Promise.race([
    iterator.next(),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the bench platform process exited (${String(code)}) before it listened`);
    }),
  ]);
  const { urls } = JSON.parse(String(first.value)) as { urls: string[] };
  return {
    urls,
    runsIn: 'separate',
    async close() {
      const exited = once(child, 'exit');
      (child.stdin as NonNullable<ChildProcess['stdin']>).end();
      const last = await iterator.next();
      await exited;
      lines.close();
      return JSON.parse(String(last.value ?? '{"cpuMs":0}')) as { cpuMs: number };
    },
  };
}
