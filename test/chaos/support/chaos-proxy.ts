// A recording proxy in front of the simulator that injects the faults of the issue 16 campaign:
//   drop           — the request reaches the platform, the answer is lost (connection reset);
//   hold-then-drop — the same, after holding the answer for a while (the platform finished meanwhile);
//   503            — the gateway answers 503 without passing the request on;
//   reset          — the connection is reset before the request is passed on;
//   latency        — every answer comes late.
// Every request that reached the platform is recorded, so a test can count the writes a client made
// whatever it was told. A hook may stop the proxy just after the platform accepted a write (a targeted
// kill -9 of the client at the worst moment).
import {
  forward,
  pass,
  startProxyServer,
  type ProxyRequest,
} from '../../integration/platform/support/forwarding.js';

export interface ChaosFaults {
  /** Share of writes whose answer is lost after the platform acted. */
  dropWrites?: number;
  /** Share of writes whose answer is held `holdMs`, then lost. */
  holdThenDropWrites?: number;
  holdMs?: number;
  /** Share of all requests answered 503 by the gateway (not passed on). */
  error503?: number;
  /** Share of all requests whose connection is reset before they are passed on. */
  reset?: number;
  /** Added to every answer. */
  latencyMs?: number;
}

export interface ForwardedWrite {
  method: string;
  path: string;
  body: string;
  /** The platform's status; the client may not have seen it. */
  status: number;
  answerLost: boolean;
}

export interface ChaosProxy {
  url: string;
  faults: ChaosFaults;
  /** Writes that reached the platform, in order. */
  readonly writes: ForwardedWrite[];
  /** Faults injected, by mode. */
  readonly injected: Record<'drop' | 'hold-then-drop' | '503' | 'reset', number>;
  /** Called after the platform answered a write, before the answer goes on; the proxy waits for it. */
  onWrite?: (write: ForwardedWrite) => Promise<'pass' | 'drop'>;
  close(): Promise<void>;
}

/** A create, a delete or an update: anything but a read (`GET`, `…/query`, `…/queryMore`, `…/bulk`). */
export function isWrite(method: string, path: string): boolean {
  if (path.startsWith('/_sim/')) return false;
  if (method === 'DELETE') return true;
  return method === 'POST' && !/\/(query|queryMore|bulk)$/.test(path);
}

export async function startChaosProxy(target: string, random: () => number): Promise<ChaosProxy> {
  const chance = (share: number | undefined) => share !== undefined && share > 0 && random() < share;
  const handle = async ({ req, res, method, path, body }: ProxyRequest): Promise<void> => {
    const { faults } = proxy;
    if (faults.latencyMs) await delay(faults.latencyMs);
    if (chance(faults.reset)) {
      proxy.injected.reset += 1;
      req.socket.destroy();
      return;
    }
    if (chance(faults.error503)) {
      proxy.injected['503'] += 1;
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ '@type': 'Error', message: 'Service Unavailable (chaos gateway)' }));
      return;
    }
    const answer = await forward(target, req, body);
    if (!isWrite(method, path)) return pass(res, answer);
    const write: ForwardedWrite = {
      method,
      path,
      body: body.toString('utf8'),
      status: answer.status,
      answerLost: false,
    };
    proxy.writes.push(write);
    const verdict = (await proxy.onWrite?.(write)) ?? 'pass';
    const mode =
      verdict === 'drop' || chance(faults.dropWrites)
        ? 'drop'
        : chance(faults.holdThenDropWrites)
          ? 'hold-then-drop'
          : undefined;
    if (mode === undefined) return pass(res, answer);
    write.answerLost = true;
    proxy.injected[mode] += 1;
    if (mode === 'hold-then-drop') await delay(faults.holdMs ?? 300);
    req.socket.destroy();
  };
  const server = await startProxyServer(handle);
  const proxy: ChaosProxy = {
    url: server.url,
    faults: {},
    writes: [],
    injected: { drop: 0, 'hold-then-drop': 0, '503': 0, reset: 0 },
    close: () => server.close(),
  };
  return proxy;
}

/**
 * The same write sent more than once: forwarded writes with the same method, path and body, beyond the
 * first. Each planned change has its own body (runtime, action, components; pack instance and
 * environment), so any repeat is a second write of one change.
 */
export function duplicateWrites(writes: readonly ForwardedWrite[]): ForwardedWrite[] {
  const seen = new Set<string>();
  return writes.filter((write) => {
    const key = `${write.method} ${write.path} ${write.body}`;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
