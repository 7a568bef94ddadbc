// A local receiver for atomsync's notifications (`atomsync notify-sink`): POST /webhook takes the generic
// webhook (its signature checked when a secret is given), POST /slack takes Slack's Block Kit messages as
// Slack's own endpoint does (answering `ok`). Each message is printed, appended to a JSON-lines file when
// asked, and listed at GET /messages — so a demo, or a test, sees what would reach people.
import { timingSafeEqual } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, signBody } from './receivers/webhook.js';

const BODY_LIMIT = 1024 * 1024;

export interface SinkMessage {
  receivedAt: string;
  via: 'webhook' | 'slack';
  /** Webhook only: the signature matched the secret (absent when the sink has no secret). */
  verified?: boolean;
  event?: string;
  change?: string;
  title: string;
  text: string;
  steps: string[];
  body: unknown;
}

export interface SinkOptions {
  host?: string;
  port?: number;
  /** Webhook signatures are required and checked when set. */
  secret?: string;
  /** JSON-lines file each message is appended to. */
  out?: string;
  onMessage?: (message: SinkMessage) => void;
}

export interface NotifySink {
  url: string;
  messages: SinkMessage[];
  close(): Promise<void>;
}

export async function startNotifySink(options: SinkOptions = {}): Promise<NotifySink> {
  const messages: SinkMessage[] = [];
  const server = http.createServer((req, res) => {
    handle(req, options, messages).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': body.startsWith('[') ? 'application/json' : 'text/plain' });
        res.end(body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('sink error');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    messages,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  req: http.IncomingMessage,
  options: SinkOptions,
  messages: SinkMessage[],
): Promise<{ status: number; body: string }> {
  const path = new URL(req.url ?? '/', 'http://sink').pathname;
  if (req.method === 'GET' && path === '/messages') return { status: 200, body: JSON.stringify(messages) };
  if (req.method !== 'POST' || (path !== '/webhook' && path !== '/slack'))
    return { status: 404, body: 'POST /webhook or /slack; GET /messages' };
  const raw = await readBody(req);
  if (raw === undefined) return { status: 413, body: 'body too large' };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { status: 400, body: 'invalid_payload' };
  }
  const message = path === '/slack' ? fromSlack(body) : fromWebhook(body, raw, req, options.secret);
  if (typeof message === 'string') return { status: message === 'bad signature' ? 401 : 400, body: message };
  messages.push(message);
  options.onMessage?.(message);
  if (options.out) await appendFile(options.out, `${JSON.stringify(message)}\n`);
  return { status: 200, body: 'ok' };
}

function fromWebhook(
  body: unknown,
  raw: string,
  req: http.IncomingMessage,
  secret: string | undefined,
): SinkMessage | string {
  const data = body as Record<string, unknown>;
  if (typeof data?.title !== 'string') return 'a webhook message needs a title';
  let verified: boolean | undefined;
  if (secret !== undefined) {
    const given = req.headers[SIGNATURE_HEADER.toLowerCase()];
    if (typeof given !== 'string' || !sameText(given, signBody(raw, secret))) return 'bad signature';
    verified = true;
  }
  return {
    receivedAt: new Date().toISOString(),
    via: 'webhook',
    ...(verified !== undefined ? { verified } : {}),
    ...(typeof data.event === 'string' ? { event: data.event } : {}),
    ...(typeof data.change === 'string' ? { change: data.change } : {}),
    title: data.title,
    text: typeof data.text === 'string' ? data.text : '',
    steps: Array.isArray(data.steps) ? data.steps.map(String) : [],
    body,
  };
}

/** Slack's incoming webhooks answer `invalid_payload` / `no_text` for messages they cannot show. */
function fromSlack(body: unknown): SinkMessage | string {
  const data = body as { text?: unknown; blocks?: unknown };
  if (typeof data?.text !== 'string' || data.text === '') return 'no_text';
  if (data.blocks !== undefined && !Array.isArray(data.blocks)) return 'invalid_blocks';
  const texts = (Array.isArray(data.blocks) ? data.blocks : []).map(blockText);
  return {
    receivedAt: new Date().toISOString(),
    via: 'slack',
    title: data.text,
    text: texts.slice(1, 2).join(''),
    steps: texts.slice(2, -1),
    body,
  };
}

function blockText(block: unknown): string {
  const b = block as { text?: { text?: unknown }; elements?: { text?: unknown }[] };
  if (typeof b?.text?.text === 'string') return b.text.text;
  return (b?.elements ?? []).map((element) => String(element.text ?? '')).join(' ');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** How the sink prints a message on its terminal. */
export function formatSinkMessage(message: SinkMessage): string {
  const head = `[${message.via}${message.event ? ` ${message.event}` : ''}${message.change ? ` ${message.change}` : ''}] ${message.title}`;
  const lines = [head, ...(message.text ? [`  ${message.text}`] : [])];
  message.steps.forEach((step) => lines.push(`    ${step}`));
  return `${lines.join('\n')}\n`;
}
