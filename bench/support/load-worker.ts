// A load generator that runs in a worker thread, so the simulator's event loop (main thread) and the
// clients' (this thread) each get a core. Keeps `concurrency` requests in flight over keep-alive
// connections until `maxRequests` were sent or `maxMs` passed, and posts back a LoadReport.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export type Workload = 'atom-query' | 'atom-versions-bulk' | 'atom-get';

export interface LoadSpec {
  baseUrl: string;
  accountId: string;
  authorization: string;
  workload: Workload;
  /** Runtime ids (atom-versions-bulk, atom-get). */
  ids: string[];
  bulkSize: number;
  concurrency: number;
  warmupRequests: number;
  maxRequests: number;
  maxMs: number;
}

export interface LoadReport {
  workload: Workload;
  requests: number;
  failed: number;
  /** Atoms (query) or AtomVersions entries (bulk) received. */
  items: number;
  /** Response body bytes received. */
  bytes: number;
  elapsedMs: number;
  latenciesMs: number[];
  clientEventLoopUtilization: number;
  firstError?: string;
}

interface Answer {
  status: number;
  body: string;
}

const MATCH_ALL = JSON.stringify({ QueryFilter: { expression: { operator: 'and', nestedExpression: [] } } });

class LoadRun {
  private readonly agent: http.Agent;
  private readonly apiBase: string;
  private sent = 0;
  private readonly report: LoadReport;
  private deadline = 0;

  constructor(private readonly spec: LoadSpec) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
    this.apiBase = `${spec.baseUrl}/api/rest/v1/${encodeURIComponent(spec.accountId)}`;
    this.report = {
      workload: spec.workload,
      requests: 0,
      failed: 0,
      items: 0,
      bytes: 0,
      elapsedMs: 0,
      latenciesMs: [],
      clientEventLoopUtilization: 0,
    };
  }

  async run(): Promise<LoadReport> {
    await this.phase(this.spec.warmupRequests, Number.POSITIVE_INFINITY, false);
    const elu = performance.eventLoopUtilization();
    const started = performance.now();
    await this.phase(this.spec.maxRequests, this.spec.maxMs, true);
    this.report.elapsedMs = performance.now() - started;
    this.report.clientEventLoopUtilization = performance.eventLoopUtilization(elu).utilization;
    this.agent.destroy();
    return this.report;
  }

  private async phase(maxRequests: number, maxMs: number, measured: boolean): Promise<void> {
    this.sent = 0;
    this.deadline = performance.now() + maxMs;
    const clients = Array.from({ length: this.spec.concurrency }, (_, client) =>
      this.client(client, maxRequests, measured),
    );
    await Promise.all(clients);
  }

  private more(maxRequests: number): boolean {
    if (this.sent >= maxRequests || performance.now() >= this.deadline) return false;
    this.sent += 1;
    return true;
  }

  private async client(client: number, maxRequests: number, measured: boolean): Promise<void> {
    let queryToken: string | undefined;
    let batch = client;
    while (this.more(maxRequests)) {
      const started = performance.now();
      let answer: Answer;
      let items = 0;
      if (this.spec.workload === 'atom-query') {
        answer = await this.queryPage(queryToken);
        const page = answer.status === 200 ? parseQueryPage(answer.body) : undefined;
        queryToken = page?.queryToken;
        items = page?.count ?? 0;
      } else if (this.spec.workload === 'atom-versions-bulk') {
        const ids = this.batchOfIds(batch);
        batch += this.spec.concurrency;
        answer = await this.post('AtomVersions/bulk', bulkBody(ids), 'application/json');
        items = answer.status === 200 ? countBulkSuccesses(answer.body) : 0;
      } else {
        const id = this.spec.ids[batch % this.spec.ids.length] ?? '';
        batch += this.spec.concurrency;
        answer = await this.send('GET', `Atom/${encodeURIComponent(id)}`);
        items = answer.status === 200 ? 1 : 0;
      }
      if (measured) this.record(answer, items, performance.now() - started);
    }
  }

  private record(answer: Answer, items: number, ms: number): void {
    const report = this.report;
    report.requests += 1;
    report.latenciesMs.push(ms);
    report.items += items;
    report.bytes += answer.body.length;
    if (answer.status !== 200) {
      report.failed += 1;
      report.firstError ??= `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
    }
  }

  private queryPage(token: string | undefined): Promise<Answer> {
    if (token === undefined) return this.post('Atom/query', MATCH_ALL, 'application/json');
    return this.post('Atom/queryMore', token, 'text/plain');
  }

  private batchOfIds(batch: number): string[] {
    const { ids, bulkSize } = this.spec;
    const batches = Math.max(1, Math.ceil(ids.length / bulkSize));
    const start = (batch % batches) * bulkSize;
    return ids.slice(start, start + bulkSize);
  }

  private post(path: string, body: string, contentType: string): Promise<Answer> {
    return this.send('POST', path, { body, contentType });
  }

  private send(
    method: 'GET' | 'POST',
    path: string,
    content?: { body: string; contentType: string },
  ): Promise<Answer> {
    const headers: http.OutgoingHttpHeaders = {
      Authorization: this.spec.authorization,
      Accept: 'application/json',
    };
    if (content) {
      headers['Content-Type'] = content.contentType;
      headers['Content-Length'] = Buffer.byteLength(content.body);
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.apiBase}/${path}`,
        { method, agent: this.agent, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(content?.body);
    });
  }
}

function bulkBody(ids: string[]): string {
  return JSON.stringify({ type: 'GET', request: ids.map((id) => ({ id })) });
}

function parseQueryPage(body: string): { count: number; queryToken?: string } {
  const page = JSON.parse(body) as { result?: unknown[]; queryToken?: string };
  const count = page.result?.length ?? 0;
  return page.queryToken ? { count, queryToken: page.queryToken } : { count };
}

/**
 * Counts the items answered 200 by text, not JSON.parse: parsing every 83 KB answer made this load
 * generator, not the simulator, the bottleneck. The simulator writes compact JSON.
 */
function countBulkSuccesses(body: string): number {
  return body.split('"statusCode":200').length - 1;
}

if (parentPort) {
  const port = parentPort;
  new LoadRun(workerData as LoadSpec)
    .run()
    .then((report) => port.postMessage({ ok: true, report }))
    .catch((err: unknown) =>
      port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
}
