// Starts the simulator: the model (world) behind the HTTP server, plus a heartbeat that lets a real-time
// clock move the world (restarts, release dates) even when nobody calls the API.
import type { AddressInfo } from 'node:net';
import type { WorldPort } from './model/port.js';
import { createWorld } from './model/world.js';
import { createSimServer } from './http/server.js';

export interface StartSimulatorOptions {
  scenarioFile?: string;
  /** A scenario object, same shape as the YAML (wins over scenarioFile). */
  scenario?: unknown;
  stateFile?: string;
  /** HOST:PORT (IPv6 as [::1]:9090); port 0 picks a free one. Default 127.0.0.1:9090. */
  listen?: string;
  clock?: 'realtime' | 'manual';
  /** Overrides the scenario's per-account rate limit (0 = off). */
  rateLimitPerSecond?: number;
  logger?: (line: object) => void;
}

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:9090 (the API is under /api/rest/v1/{accountId}). */
  url: string;
  model: WorldPort;
  close(): Promise<void>;
}

const DEFAULT_LISTEN = '127.0.0.1:9090';
const HEARTBEAT_MS = 200;
const PERSIST_EVERY_BEATS = 5;

export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const model = await createWorld({
    ...(opts.scenarioFile !== undefined && { scenarioFile: opts.scenarioFile }),
    ...(opts.scenario !== undefined && { scenario: opts.scenario }),
    ...(opts.stateFile !== undefined && { stateFile: opts.stateFile }),
    ...(opts.clock !== undefined && { clock: opts.clock }),
  });
  if (opts.rateLimitPerSecond !== undefined) model.setRateLimit(opts.rateLimitPerSecond);
  const log = opts.logger ?? (() => {});
  const server = createSimServer(model, { logger: log });
  const { host, port } = parseListen(opts.listen ?? DEFAULT_LISTEN);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const stopHeartbeat = startHeartbeat(model, opts.clock !== 'manual', log);
  const address = server.address() as AddressInfo;
  return {
    url: `http://${formatHost(address.address)}:${address.port}`,
    model,
    async close() {
      stopHeartbeat();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await model.persist();
    },
  };
}

/** Ticks the model every 200 ms and, with a real-time clock, persists about once a second. */
function startHeartbeat(model: WorldPort, persistOften: boolean, log: (line: object) => void): () => void {
  let beats = 0;
  let saving = false;
  const timer = setInterval(() => {
    try {
      model.tick();
    } catch (err) {
      log({ msg: 'simulator tick failed', error: err instanceof Error ? err.message : String(err) });
    }
    beats += 1;
    if (!persistOften || saving || beats % PERSIST_EVERY_BEATS !== 0) return;
    saving = true;
    model
      .persist()
      .catch((err: unknown) => log({ msg: 'simulator persist failed', error: String(err) }))
      .finally(() => {
        saving = false;
      });
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen must be HOST:PORT (for example 127.0.0.1:9090), got "${listen}".`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
