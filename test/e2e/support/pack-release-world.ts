// The world the publisher's e2e tests share: the demo simulator on loopback (manual clock, no rate limit)
// and a temp folder with an atomsync.yaml naming the demo accounts given, each with the demo admin's token
// unless another token file is named (an expired credential).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../simulator/start.js';
import { ensureBuilt } from './build.js';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { EXAMPLES_DIR, REPO_ROOT } from './repo.js';

export const DEMO_ADMIN = 'BOOMI_TOKEN.admin@demo.atomsync';

export interface WorldAccount {
  alias: string;
  accountId: string;
  /** Default: the demo admin's token. */
  tokenFile?: string;
}

export interface PackReleaseWorld {
  sim: RunningSimulator;
  /** Holds atomsync.yaml (stateDir: .state). */
  dir: string;
  close(): Promise<void>;
}

export async function startPackReleaseWorld(
  prefix: string,
  accounts: (dir: string) => WorldAccount[],
): Promise<PackReleaseWorld> {
  await ensureBuilt();
  const sim = await startSimulator({
    scenarioFile: join(EXAMPLES_DIR, 'sim', 'demo.yaml'),
    listen: '127.0.0.1:0',
    clock: 'manual',
    rateLimitPerSecond: 0,
  });
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeWorldConfig(dir, sim.url, accounts(dir));
  return {
    sim,
    dir,
    close: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * atomsync.yaml in `dir` for the simulator at `simUrl`: the accounts given (the demo admin's token unless
 * another file is named), stateDir .state, and any further top-level lines (sources, server).
 */
export async function writeWorldConfig(
  dir: string,
  simUrl: string,
  accounts: readonly WorldAccount[],
  moreLines: readonly string[] = [],
): Promise<void> {
  const token = join(EXAMPLES_DIR, 'sim', 'demo-admin.token');
  const line = (a: WorldAccount) =>
    `  ${a.alias}: { accountId: ${a.accountId}, username: ${DEMO_ADMIN}, tokenFile: ${a.tokenFile ?? token} }`;
  await writeFile(
    join(dir, 'atomsync.yaml'),
    [
      'apiVersion: atomsync.io/v1alpha1',
      'kind: Config',
      `platform: { url: "${simUrl}", requestsPerSecond: 100, timeoutSeconds: 30 }`,
      'accounts:',
      ...accounts.map(line),
      'stateDir: .state',
      ...moreLines,
      '',
    ].join('\n'),
  );
}

export interface ReleaseDocument {
  name: string;
  /** metadata.namespace; left out, the source's namespace applies. */
  namespace?: string;
  account: string;
  pack: string;
  componentId?: string;
  version: string;
  /** `release: immediately` or `releaseOn: YYYY-MM-DD`. */
  timing: string;
}

/** An IntegrationPackRelease document with one component (default c-workers), as a publisher writes it. */
export function releaseDocument(release: ReleaseDocument): string {
  const metadata = release.namespace
    ? `{ name: ${release.name}, namespace: ${release.namespace} }`
    : `{ name: ${release.name} }`;
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: IntegrationPackRelease',
    `metadata: ${metadata}`,
    'spec:',
    `  account: ${release.account}`,
    `  pack: ${release.pack}`,
    '  components:',
    `    - { componentId: ${release.componentId ?? 'c-workers'}, version: "${release.version}" }`,
    `  ${release.timing}`,
    '',
  ].join('\n');
}

const ADMIN_AUTH = `Basic ${Buffer.from(`${DEMO_ADMIN}:demo-admin-token`).toString('base64')}`;

/** `POST /_sim/…` as the demo admin (moving the clock, playing a UI click). */
export async function simControl(sim: RunningSimulator, path: string, body: object): Promise<Response> {
  return adminPost(`${sim.url}/_sim/${path}`, body);
}

/** A call of the platform API as the demo admin: another person at work in the account. */
export async function platformCall(
  sim: RunningSimulator,
  accountId: string,
  path: string,
  body: object,
): Promise<Response> {
  return adminPost(`${sim.url}/api/rest/v1/${accountId}/${path}`, body);
}

/** The simulator's ReleaseIntegrationPack requests (GET /_sim/state): what was sent, in order. */
export async function packReleasesReceived(
  sim: RunningSimulator,
): Promise<{ requestId: string; releaseSchedule: string; components: { version?: string }[] }[]> {
  const response = await fetch(`${sim.url}/_sim/state`, { headers: { Authorization: ADMIN_AUTH } });
  const dump = (await response.json()) as { packReleases?: Record<string, never> };
  return Object.values(dump.packReleases ?? {});
}

function adminPost(url: string, body: object): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { Authorization: ADMIN_AUTH, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/** What docs/plan.schema.json finds wrong with a plan JSON; null when it is valid. */
export async function planSchemaErrors(plan: unknown): Promise<unknown> {
  const schema = JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'plan.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(plan) ? null : validate.errors;
}
