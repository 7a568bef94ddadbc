// A gateway in front of the simulator that, for the requests a rule picks, answers with an error whose
// text echoes every request header — Authorization included — plus terminal escapes, line breaks and a
// long tail, as some API gateways do. Everything else is passed through unchanged.
import type http from 'node:http';
import { forward, pass, startProxyServer } from './forwarding.js';

export interface EchoingGateway {
  url: string;
  /** How many answers were replaced with an echo. */
  echoed: number;
  close(): Promise<void>;
}

export type EchoRule = (method: string, path: string) => number | undefined;

export async function startEchoingGateway(target: string, rule: EchoRule): Promise<EchoingGateway> {
  const server = await startProxyServer(async ({ req, res, method, path, body }) => {
    const status = rule(method, path);
    if (status === undefined) {
      pass(res, await forward(target, req, body));
      return;
    }
    gateway.echoed += 1;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ '@type': 'Error', message: echoText(req) }));
  });
  const gateway: EchoingGateway = { url: server.url, echoed: 0, close: () => server.close() };
  return gateway;
}

function echoText(req: http.IncomingMessage): string {
  const headers = Object.entries(req.headers)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\r\n');
  return `\u001b[31mGateway rejected ${req.method} ${req.url}\u001b[0m\r\nRequest headers:\r\n${headers}\r\n${'#'.repeat(5_000)}`;
}
