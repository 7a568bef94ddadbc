// A gateway in front of the simulator that, for the requests a rule picks, answers with an error whose
// text echoes every request header — Authorization included — plus terminal escapes, line breaks and a
// long tail, as some API gateways do. Everything else is passed through unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, readAll } from './lossy-proxy.js';

export interface EchoingGateway {
  url: string;
  /** How many answers were replaced with an echo. */
  echoed: number;
  close(): Promise<void>;
}

export type EchoRule = (method: string, path: string) => number | undefined;

export async function startEchoingGateway(target: string, rule: EchoRule): Promise<EchoingGateway> {
  const gateway: EchoingGateway = {
    url: '',
    echoed: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const method = req.method ?? 'GET';
      const status = rule(method, (req.url ?? '/').split('?', 1)[0] ?? '/');
      if (status !== undefined) {
        gateway.echoed += 1;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ '@type': 'Error', message: echoText(req) }));
        return;
      }
      const answer = await forward(target, req, body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gateway;
}

function echoText(req: http.IncomingMessage): string {
  const headers = Object.entries(req.headers)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\r\n');
  return `\u001b[31mGateway rejected ${req.method} ${req.url}\u001b[0m\r\nRequest headers:\r\n${headers}\r\n${'#'.repeat(5_000)}`;
}
