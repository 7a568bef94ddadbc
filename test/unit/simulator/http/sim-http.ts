// Starts the simulator's HTTP server on 127.0.0.1:0 around a model and calls it over real HTTP.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorldPort } from '../../../../simulator/model/port.js';
import { createSimServer, type SimServerOptions } from '../../../../simulator/http/server.js';
import { USERS } from './fake-model.js';

export interface TestServer {
  base: string;
  server: http.Server;
  close(): Promise<void>;
}

export async function startTestServer(model: WorldPort, opts: SimServerOptions = {}): Promise<TestServer> {
  const server = createSimServer(model, opts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export function userAuth(userId: string): string {
  return basicAuth(`BOOMI_TOKEN.${userId}`, USERS[userId]?.token ?? 'unknown');
}

export interface CallOptions {
  /** A user of the fake model (default admin@test), or null for no Authorization header. */
  user?: string | null;
  authorization?: string;
  json?: unknown;
  text?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into arbitrary JSON bodies
  body: any;
  raw: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const user = opts.user === undefined ? 'admin@test' : opts.user;
  if (opts.authorization) headers['Authorization'] = opts.authorization;
  else if (user !== null) headers['Authorization'] = userAuth(user);
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.text !== undefined) {
    headers['Content-Type'] = 'text/plain';
    body = opts.text;
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body }) });
  const raw = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: raw === '' ? undefined : JSON.parse(raw),
    raw,
  };
}

/** `/api/rest/v1/{account}/{rest}` */
export function api(account: string, rest: string): string {
  return `/api/rest/v1/${account}/${rest}`;
}
