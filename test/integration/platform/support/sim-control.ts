// The simulator's /_sim/ control endpoints over HTTP: the test's hand on the clock, runtime activity and
// faults. Same Basic credentials as the API (an admin user).
import type { PlatformUser } from './demo-world.js';

export interface FaultSettings {
  errorRatio503?: number;
  latencyMs?: number;
  resetRatio?: number;
  rateLimit?: number;
  failNextRequests?: { accountId: string; atomId: string; count: number };
}

export class SimControl {
  private readonly authorization: string;

  constructor(
    private readonly url: string,
    user: PlatformUser,
  ) {
    const credentials = `BOOMI_TOKEN.${user.userId}:${user.token}`;
    this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }

  /** Moves model time forward: milliseconds or a duration such as "2s", "1h". */
  async advance(by: number | string): Promise<string> {
    return ((await this.send('POST', 'clock', { advance: by })) as { now: string }).now;
  }

  /** Moves model time to an instant (never backwards). */
  async setNow(iso: string): Promise<string> {
    return ((await this.send('POST', 'clock', { now: iso })) as { now: string }).now;
  }

  async now(): Promise<string> {
    return ((await this.send('GET', 'clock')) as { now: string }).now;
  }

  /** Running executions on a runtime (R5: a busy runtime is not inactive). */
  async activity(accountId: string, atomId: string, runningExecutions: number): Promise<void> {
    await this.send('POST', 'activity', { accountId, atomId, runningExecutions });
  }

  async runtimeStatus(accountId: string, atomId: string, status: 'ONLINE' | 'OFFLINE'): Promise<void> {
    await this.send('POST', 'runtime-status', { accountId, atomId, status });
  }

  /** A person clicks Apply pending / Roll back in the platform's UI (not through the API). */
  async uiVersionAction(click: {
    accountId: string;
    atomId: string;
    action: 'APPLY_PENDING' | 'ROLLBACK';
    components: string[];
    userId: string;
  }): Promise<{ requestId: string }> {
    return (await this.send('POST', 'ui', click)) as { requestId: string };
  }

  async faults(settings: FaultSettings): Promise<void> {
    await this.send('POST', 'faults', settings);
  }

  async clearFaults(): Promise<void> {
    await this.send('DELETE', 'faults');
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the state dump is read loosely by tests
  async state(): Promise<any> {
    return this.send('GET', 'state');
  }

  private async send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<unknown> {
    const headers: Record<string, string> = { Authorization: this.authorization, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.url}/_sim/${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const message = (json as { message?: string } | undefined)?.message ?? text;
      throw new Error(`${method} /_sim/${path} answered ${response.status}: ${message}`);
    }
    return json;
  }
}
