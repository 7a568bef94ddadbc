// A proxy in front of the simulator that can lose an answer after the platform acted on the request: it
// forwards the request, waits for the simulator's full answer, then resets the client's connection instead
// of passing the answer on. That is the "create whose answer was lost" case a client must not duplicate.
import { forward, pass, startProxyServer } from './forwarding.js';

export interface LossyProxy {
  url: string;
  /** Answers lost so far. */
  lost: number;
  /** Lose the answers of the next `count` requests that match. */
  loseNext(count: number, matches: (method: string, path: string) => boolean): void;
  close(): Promise<void>;
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  let rule: { count: number; matches: (method: string, path: string) => boolean } | undefined;
  const server = await startProxyServer(async ({ req, res, method, path, body }) => {
    const answer = await forward(target, req, body);
    if (rule && rule.count > 0 && rule.matches(method, path)) {
      rule.count -= 1;
      proxy.lost += 1;
      req.socket.destroy();
      return;
    }
    pass(res, answer);
  });
  const proxy: LossyProxy = {
    url: server.url,
    lost: 0,
    loseNext(count, matches) {
      rule = { count, matches };
    },
    close: () => server.close(),
  };
  return proxy;
}
