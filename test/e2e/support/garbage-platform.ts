// A tiny HTTP server that speaks like a broken platform, by account id in the path:
//   /api/rest/v1/html-502/…   → 502 with an HTML error page (a proxy in front of a dead platform)
//   /api/rest/v1/truncated/…  → 200 with JSON cut off halfway
//   /api/rest/v1/silent/…     → accepts the connection and never answers
// Anything else is 404. It counts the requests it got, so tests can see what a command sent.
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const HTML_502 = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title><style>body { font-family: sans-serif; }</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>
`;

export class GarbagePlatform {
  readonly requests: { method: string; url: string }[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<GarbagePlatform> {
    const server = createServer();
    const platform = new GarbagePlatform(server);
    server.on('connection', (socket) => {
      platform.sockets.add(socket);
      socket.on('close', () => platform.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      platform.requests.push({ method: req.method ?? '', url: req.url ?? '' });
      req.resume();
      req.on('end', () => answer(req.url ?? '', res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return platform;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function answer(url: string, res: ServerResponse): void {
  const account = /^\/api\/rest\/v1\/([^/]+)\//.exec(url)?.[1];
  if (account === 'silent') return;
  if (account === 'html-502') {
    res.writeHead(502, { 'Content-Type': 'text/html' }).end(HTML_502);
    return;
  }
  if (account === 'truncated') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"@type":"QueryResult","result":[{"@ty');
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"no such account"}');
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
