// A proxy in front of the simulator that can lose an answer after the platform acted on the request: it
// forwards the request, waits for the simulator's full answer, then resets the client's connection instead
// of passing the answer on. That is the "create whose answer was lost" case a client must not duplicate.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const proxy: LossyProxy = {
    url: '',
    lost: 0,
    loseNext(count, matches) {
      rule = { count, matches };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const answer = await forward(target, req, body);
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      if (rule && rule.count > 0 && rule.matches(method, path)) {
        rule.count -= 1;
        proxy.lost += 1;
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

interface Answer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

export function forward(target: string, req: http.IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (res) => {
        readAll(res)
          .then((data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }))
          .catch(reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
