// `atomsync run` as a real child process (the compiled CLI) against the simulator over HTTP: killed with
// SIGKILL between sending a request and its completion, started again, it sends nothing twice and
// converges; SIGTERM drains and exits 0; its logs never show a credential or the webhook secret.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../e2e/support/build.js';
import { runCli } from '../e2e/support/run-cli.js';
import { startFakeKube, type FakeKube } from '../fakes/kube-api-server.js';
import { RequestJournal } from '../../controller/reconciler/request-journal.js';
import { StateStore } from '../../controller/reconciler/state-store.js';
import { githubSignature } from '../../controller/server/webhook-auth.js';
import {
  ACME_PROD,
  ADMIN_TOKEN,
  SimHandle,
  VIEWER_TOKEN,
  eventually,
  pinYaml,
  removeDir,
  tempDir,
} from './controller-harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'atomsync.js');
const WEBHOOK_SECRET = 'process-test-webhook-secret-7731';
const KEY = 'integration/staging-atom';

// One build of the CLI for every test in this file.
beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

interface Child {
  process: ChildProcess;
  output: () => string;
  url: string;
  exited: Promise<number | null>;
}

describe('atomsync run as a process', () => {
  let sim: SimHandle;
  let dir: string;
  const children: Child[] = [];

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    dir = await tempDir('controller-process');
    await mkdir(join(dir, 'pins'), { recursive: true });
    await writeFile(join(dir, 'admin.token'), `${ADMIN_TOKEN}\n`);
    await writeFile(join(dir, 'viewer.token'), `${VIEWER_TOKEN}\n`);
    await writeFile(join(dir, 'atomsync.yaml'), config(sim.url));
    await writeFile(
      join(dir, 'pins', 'staging.yaml'),
      pinYaml('staging-atom', 'acme-prod', 'Staging Atom', '  version: 26.12.0\n'),
    );
    await writeFile(
      join(dir, 'pins', 'eu.yaml'),
      pinYaml('eu-atom', 'acme-eu', 'EU Atom', '  channel: pending\n'),
    );
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    await sim.close();
    await removeDir(dir);
  });

  async function startChild(): Promise<Child> {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--config',
        join(dir, 'atomsync.yaml'),
        '--listen',
        '127.0.0.1:0',
        '--log-format',
        'json',
        '--log-level',
        'debug',
        '--poll-interval',
        '100ms',
        '--resync',
        '1h',
      ],
      {
        cwd: dir,
        env: { ...process.env, ATOMSYNC_WEBHOOK_SECRET: WEBHOOK_SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await eventually(
      async () => {
        const line = output.split('\n').find((entry) => entry.includes('"msg":"listening"'));
        return line ? (JSON.parse(line) as { url: string }).url : undefined;
      },
      () => `the controller to listen; output so far:\n${output}`,
    );
    const handle = { process: child, output: () => output, url, exited };
    children.push(handle);
    return handle;
  }

  async function statusOf(
    child: Child,
  ): Promise<
    { conditions: { type: string; status: string; reason: string }[]; runtimeVersion?: string } | undefined
  > {
    const response = await fetch(`${child.url}/api/v1/atomversions/${KEY}`).catch(() => undefined);
    if (!response || response.status !== 200) return undefined;
    return (await response.json()) as {
      conditions: { type: string; status: string; reason: string }[];
      runtimeVersion?: string;
    };
  }

  const conditionOf = (status: Awaited<ReturnType<typeof statusOf>>, type: string) =>
    status?.conditions.find((entry) => entry.type === type);

  it('after kill -9 between request and completion, a restarted controller sends nothing twice and converges', async () => {
    const atomId = await sim.atomId(ACME_PROD, 'Staging Atom');
    const first = await startChild();
    await eventually(async () => {
      const journal = await RequestJournal.read(join(dir, 'state'));
      return journal.outstanding().some((entry) => entry.platformRequestId !== undefined);
    }, 'the request recorded as outstanding in the journal');
    first.process.kill('SIGKILL');
    await first.exited;
    expect(await sim.versionRequestsCreated(ACME_PROD, atomId)).toBe(1);

    const second = await startChild();
    await eventually(
      async () => conditionOf(await statusOf(second), 'Reconciling')?.status === 'True',
      'following the request',
    );
    await sim.advance('60s');
    const ready = await eventually(
      async () => {
        const status = await statusOf(second);
        return conditionOf(status, 'Ready')?.status === 'True' ? status : undefined;
      },
      () => `Ready after the restart; output:\n${second.output()}`,
    );
    expect(ready.runtimeVersion).toBe('26.12.0');
    expect(await sim.versionRequestsCreated(ACME_PROD, atomId)).toBe(1);
    expect(await sim.version(ACME_PROD, atomId)).toBe('26.12.0');
    expect((await RequestJournal.read(join(dir, 'state'))).outstanding()).toEqual([]);
  });

  it('drains and exits 0 on SIGTERM, and its logs show no token, Authorization header or webhook secret', async () => {
    const child = await startChild();
    await eventually(
      async () => conditionOf(await statusOf(child), 'Reconciling')?.status === 'True',
      'request sent',
    );
    const body = JSON.stringify({ ref: 'refs/heads/main', note: WEBHOOK_SECRET });
    const good = await fetch(`${child.url}/hooks/git`, {
      method: 'POST',
      body,
      headers: { 'X-Hub-Signature-256': githubSignature(body, WEBHOOK_SECRET) },
    });
    const bad = await fetch(`${child.url}/hooks/git`, {
      method: 'POST',
      body,
      headers: { 'X-Gitlab-Token': `${WEBHOOK_SECRET}-wrong` },
    });
    expect([good.status, bad.status]).toEqual([202, 401]);
    expect((await fetch(`${child.url}/metrics`)).status).toBe(200);

    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    children.splice(children.indexOf(child), 1);
    const output = child.output();
    expect(output).toContain('"msg":"atomsync stopped"');
    expect(output).toContain('"msg":"sent requests to the platform"');
    expect(output).toContain('webhook refused');
    const secrets = [
      ADMIN_TOKEN,
      VIEWER_TOKEN,
      WEBHOOK_SECRET,
      Buffer.from(`BOOMI_TOKEN.admin@demo.atomsync:${ADMIN_TOKEN}`).toString('base64'),
      Buffer.from(`BOOMI_TOKEN.viewer@demo.atomsync:${VIEWER_TOKEN}`).toString('base64'),
    ];
    for (const secret of secrets) expect(output).not.toContain(secret);
    const store = await StateStore.open(join(dir, 'state'), { readOnly: true });
    expect(store.get(KEY)?.key).toBe(KEY);
  });

  it('`atomsync status` prints the table from the running controller, then from the state folder once it stopped', async () => {
    await writeFile(join(dir, 'atomsync.yaml'), config(sim.url, `127.0.0.1:${await closedPort()}`));
    const child = await startChild();
    await eventually(
      async () => conditionOf(await statusOf(child), 'Reconciling')?.status === 'True',
      'request sent',
    );
    await eventually(
      async () => (await fetch(`${child.url}/api/v1/atomversions/integration/eu-atom`)).status === 200,
      'the blocked AtomVersion has a status',
    );
    const live = await runCli(['status', '--url', child.url], { cwd: dir });
    expect(live.code).toBe(0);
    expect(live.stdout).toContain(`from controller at ${child.url}`);
    expect(live.stdout).toMatch(/^NAMESPACE\s+NAME\s+RUNTIME\s+VERSION\s+SYNCED\s+READY\s+REASON/m);
    expect(live.stdout).toMatch(
      /^integration\s+staging-atom\s+Staging Atom\s+26\.11\.0\s+0\/1\s+False\s+Progressing/m,
    );
    expect(live.stdout).toMatch(
      /^integration\s+eu-atom\s+EU Atom\s+26\.11\.0\s+0\/1\s+False\s+InsufficientPrivilege/m,
    );

    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    children.splice(children.indexOf(child), 1);
    const offline = await runCli(['status', '--config', join(dir, 'atomsync.yaml')], { cwd: dir });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain('(the controller is not running)');
    expect(offline.stdout).toMatch(/^integration\s+staging-atom\s+/m);
    const json = await runCli(['status', '--config', join(dir, 'atomsync.yaml'), '-o', 'json'], { cwd: dir });
    const view = JSON.parse(json.stdout) as { items: { name: string }[] };
    expect(view.items.map((item) => item.name)).toEqual(['eu-atom', 'staging-atom']);
  });
});

describe('atomsync run with a kubernetes source', () => {
  let sim: SimHandle;
  let kube: FakeKube;
  let dir: string;
  let child: ChildProcess | undefined;
  const LEASE = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    name: 'atomsync-leader',
    namespace: 'atomsync',
  };

  beforeEach(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    kube = await startFakeKube({
      crdFiles: [join(ROOT, 'crds', 'atomversion.yaml')],
      namespaces: ['integration', 'atomsync'],
    });
    dir = await tempDir('controller-kube');
    await writeFile(join(dir, 'admin.token'), `${ADMIN_TOKEN}\n`);
    await writeFile(join(dir, 'viewer.token'), `${VIEWER_TOKEN}\n`);
    const kubeConfig = config(sim.url).replace(
      '  - { kind: directory, path: pins, namespace: integration }',
      '  - { kind: kubernetes, namespaces: [integration] }',
    );
    await writeFile(join(dir, 'atomsync.yaml'), kubeConfig);
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await sim.close();
    await kube.close();
    await removeDir(dir);
  });

  it('leads, reconciles AtomVersion resources into their status subresource, and releases the Lease on SIGTERM', async () => {
    kube.store.create({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      metadata: { name: 'prod-west-atom', namespace: 'integration' },
      spec: { account: 'acme-prod', runtime: { name: 'Prod West Atom' }, channel: 'released' },
    });
    const spawned = spawn(
      process.execPath,
      [CLI, 'run', '--config', join(dir, 'atomsync.yaml'), '--listen', '127.0.0.1:0', '--log-format', 'json'],
      {
        cwd: dir,
        env: {
          ...process.env,
          KUBECONFIG: kube.kubeconfigPath,
          POD_NAMESPACE: 'atomsync',
          POD_NAME: 'atomsync-test-0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = spawned;
    let output = '';
    spawned.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => spawned.once('exit', (code) => resolve(code)));
    const ref = {
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'AtomVersion',
      name: 'prod-west-atom',
      namespace: 'integration',
    };
    type Status = { conditions?: { type: string; status: string }[]; runtimeName?: string };
    const status = await eventually(
      async () => {
        const object = kube.store.get(ref) as { status?: Status } | undefined;
        const ready = object?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        return ready ? object?.status : undefined;
      },
      () => `the status subresource to show Ready; output:\n${output}`,
    );
    expect(status.runtimeName).toBe('Prod West Atom');
    const holder = () =>
      (kube.store.get(LEASE) as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity;
    expect(holder()).toBe('atomsync-test-0');

    spawned.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
    expect(holder() ?? '').toBe('');
  });
});

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(simUrl: string, listen = '127.0.0.1:8080'): string {
  return `apiVersion: atomsync.io/v1alpha1
kind: Config
platform: { url: ${simUrl}, requestsPerSecond: 100, timeoutSeconds: 5 }
accounts:
  acme-prod: { accountId: ${ACME_PROD}, username: BOOMI_TOKEN.admin@demo.atomsync, tokenFile: admin.token }
  acme-eu: { accountId: acme-eu-J1K2L3, username: BOOMI_TOKEN.viewer@demo.atomsync, tokenFile: viewer.token }
sources:
  - { kind: directory, path: pins, namespace: integration }
stateDir: state
server: { listen: ${listen} }
webhook: { secretEnv: ATOMSYNC_WEBHOOK_SECRET }
`;
}
