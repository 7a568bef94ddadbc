// What every test proxy in front of the simulator shares: an HTTP server on 127.0.0.1:0 whose handler
// gets each request with its body read, and a way to pass a request on to the simulator and read its
// whole answer. The lossy proxy, the echoing gateway and the chaos proxy differ only in their handler.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

export interface ProxyRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** The path without the query. */
  path: string;
  body: Buffer;
}

export interface ProxyServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `handle` for every request; a handler that throws resets the connection. */
export async function startProxyServer(
  handle: (request: ProxyRequest) => Promise<void>,
): Promise<ProxyServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      await handle({ req, res, method, path, body });
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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

export function pass(res: http.ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
