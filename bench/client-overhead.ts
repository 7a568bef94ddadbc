// What the platform client adds to a bare request over the same transport (node:http with a keep-alive
// agent: auth header, token bucket and send window bookkeeping, retry loop, JSON parsing, counters),
// against a local server that answers one Atom; a bare fetch of the same URL beside it for reference (the
// transport the client used before). Prints JSON and a table.
// Run: npm run build && node dist/bench/client-overhead.js
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { AtomSphereClient } from '../controller/platform/client.js';

const ATOM = JSON.stringify({
  '@type': 'Atom',
  id: 'atom-1',
  name: 'Bench Atom',
  type: 'ATOM',
  status: 'ONLINE',
});

export interface ClientOverheadResult {
  name: 'client-overhead';
  requests: number;
  rawFetchMsPerRequest: number;
  /** A bare node:http request with a keep-alive agent, as the client sends. */
  rawHttpMsPerRequest: number;
  clientMsPerRequest: number;
  overheadMsPerRequest: number;
}

const ROUNDS = 10;

export async function runClientOverheadBench(requests = 4000): Promise<ClientOverheadResult> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(ATOM);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const client = new AtomSphereClient({
      baseUrl,
      accountId: 'bench-account',
      username: 'BOOMI_TOKEN.bench@example',
      token: 'bench-token',
      requestsPerSecond: 0,
    });
    const url = `${baseUrl}/api/rest/v1/bench-account/Atom/atom-1`;
    const bareFetch = () => fetch(url).then((r) => r.json());
    const agent = new http.Agent({ keepAlive: true });
    const bareHttp = () => getJson(url, agent);
    const viaClient = () => client.get('Atom', 'atom-1');
    await timePerRequest(500, bareFetch); // warm-up: connection pool, JIT
    await timePerRequest(500, bareHttp);
    await timePerRequest(500, viaClient);
    // Alternate short rounds so drift (GC, CPU frequency) hits every side alike; keep the medians.
    const fetchRounds: number[] = [];
    const httpRounds: number[] = [];
    const clientRounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      fetchRounds.push(await timePerRequest(requests / ROUNDS, bareFetch));
      httpRounds.push(await timePerRequest(requests / ROUNDS, bareHttp));
      clientRounds.push(await timePerRequest(requests / ROUNDS, viaClient));
    }
    agent.destroy();
    const rawHttp = median(httpRounds);
    const viaClientMs = median(clientRounds);
    return {
      name: 'client-overhead',
      requests,
      rawFetchMsPerRequest: round(median(fetchRounds)),
      rawHttpMsPerRequest: round(rawHttp),
      clientMsPerRequest: round(viaClientMs),
      overheadMsPerRequest: round(viaClientMs - rawHttp),
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function getJson(url: string, agent: http.Agent): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function timePerRequest(count: number, request: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await request();
  return (performance.now() - started) / count;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runClientOverheadBench();
  console.log(JSON.stringify(result));
  console.table({
    'bare fetch': { 'ms/request': result.rawFetchMsPerRequest },
    'bare node:http': { 'ms/request': result.rawHttpMsPerRequest },
    AtomSphereClient: { 'ms/request': result.clientMsPerRequest },
    overhead: { 'ms/request': result.overheadMsPerRequest },
  });
}
