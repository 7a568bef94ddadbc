// What a CLI that started the embedded platform may ask of it beyond Boomi's API, through the simulator's
// /_sim/ control endpoints (docs/simulator.md): its own release calendar, so plans name exact slots (issue
// 12, Deliver 2: "the simulator's own calendar when embedded"), and its clock, so `apply --wait` can move
// the simulated world to a release-schedule slot hours ahead instead of waiting for it. Only ever used
// against the embedded platform: a real account has no /_sim/.
import { configCredentialSource } from '../config/credential-source.js';
import type { AccountConfig } from '../config/types.js';
import type { ReleaseCalendar } from '../domain/types.js';

export interface EmbeddedControl {
  /** The simulated world's release dates; undefined once its Platform Release has passed. */
  releaseCalendar(): Promise<ReleaseCalendar | undefined>;
  /** Moves the simulated clock forward to `at` (not when it is already past it), running every event due on the way. */
  moveClockTo(at: Date): Promise<Date>;
}

const CONTROL_TIMEOUT_MS = 30_000;

/** /_sim/ with the credential of the first configured account (it needs ATOM_MANAGEMENT there). */
export function embeddedControl(baseUrl: string, account: AccountConfig): EmbeddedControl {
  const call = async (method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> => {
    const { username, token } = await configCredentialSource().credentialsFor(account);
    const response = await fetch(`${baseUrl}/_sim/${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `the embedded platform refused ${method} /_sim/${path} (HTTP ${response.status}): ${text}`,
      );
    }
    return JSON.parse(text) as unknown;
  };
  return {
    async releaseCalendar() {
      const answer = (await call('GET', 'calendar')) as {
        runtimeReleaseWindowOpens?: string | null;
        platformRelease?: string | null;
      };
      const { runtimeReleaseWindowOpens, platformRelease } = answer;
      if (typeof runtimeReleaseWindowOpens !== 'string' || typeof platformRelease !== 'string')
        return undefined;
      return { runtimeReleaseWindowOpens, platformRelease };
    },
    async moveClockTo(at) {
      const clock = (await call('GET', 'clock')) as { now: string };
      if (Date.parse(clock.now) >= at.getTime()) return new Date(clock.now);
      const answer = (await call('POST', 'clock', { now: at.toISOString() })) as { now: string };
      return new Date(answer.now);
    },
  };
}
