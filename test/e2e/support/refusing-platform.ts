// The simulator behind a pass-through HTTP proxy that answers 400 to update requests for chosen runtimes —
// a platform that refuses a request as such (a rule atomsync's planner does not know). Everything else
// reaches the simulator unchanged; the refusals are counted.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class RefusingPlatform {
  /** POST …/AtomVersionUpdateRequest bodies answered 400. */
  readonly refused: { atomId: string; body: unknown }[] = [];
  private readonly refusedAtomIds = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstreamUrl: string): Promise<RefusingPlatform> {
    const upstream = new URL(upstreamUrl);
    const holder: { platform?: RefusingPlatform } = {};
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const refusal = holder.platform?.refusalFor(req, body);
        if (refusal) {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ '@type': 'Error', message: refusal }));
          return;
        }
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => res.destroy());
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    holder.platform = new RefusingPlatform(server, `http://127.0.0.1:${port}`);
    return holder.platform;
  }

  /** Update requests for this runtime are answered 400 from now on. */
  refuseUpdatesOf(atomId: string): void {
    this.refusedAtomIds.add(atomId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private refusalFor(req: IncomingMessage, body: Buffer): string | undefined {
    if (req.method !== 'POST' || !/\/AtomVersionUpdateRequest$/.test(req.url ?? '')) return undefined;
    let parsed: { atomId?: unknown } = {};
    try {
      parsed = JSON.parse(body.toString('utf8')) as { atomId?: unknown };
    } catch {
      return undefined;
    }
    if (typeof parsed.atomId !== 'string' || !this.refusedAtomIds.has(parsed.atomId)) return undefined;
    this.refused.push({ atomId: parsed.atomId, body: parsed });
    return `Runtime ${parsed.atomId} is locked for updates by the account's administrator.`;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
