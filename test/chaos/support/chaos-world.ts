// One chaos trial's world: the demo platform (simulator in this process, clock moved on while the trial
// runs), the chaos proxy in front of it, and a workspace whose config points the real CLI at the proxy.
// The CLI runs as a child process so it can be killed with SIGKILL at any moment. Judged from the
// platform's side: the writes that reached it (proxy), the restarts it performed (its audit log) and a
// fault-free plan at the end (converged = nothing left to change and nothing in flight).
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, equals, type AuditLog } from '../../../controller/platform/index.js';
import type { AccountTarget } from '../../../controller/platform/observe.js';
import { observeAndPlan } from '../../../controller/pipeline/observe-and-plan.js';
import { loadPins } from '../../../controller/sources/load-pins.js';
import { startSimulator, type RunningSimulator } from '../../../simulator/start.js';
import { CLI_BIN, EXAMPLES_DIR } from '../../e2e/support/repo.js';
import { DEMO_ADMIN, DEMO_SCENARIO_FILE, DEV, PROD } from '../../integration/platform/support/demo-world.js';
import { platformClient } from '../../integration/platform/support/simulators.js';
import { SimControl } from '../../integration/platform/support/sim-control.js';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy.js';

export const MAX_CONCURRENT_RESTARTS = 2;

/** The demo runtimes atomsync restarts, by classification (examples/sim/demo.yaml). */
const TEST_RUNTIMES = new Set(['Staging Atom', 'Dev Atom', 'QA Molecule', 'Dev Spare Atom']);

export interface Restart {
  runtime: string;
  classification: 'TEST' | 'PROD';
  from: number;
  to: number;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliRun>;
  kill(): void;
}

export class ChaosWorld {
  private ticking?: ReturnType<typeof setInterval>;

  private constructor(
    readonly dir: string,
    readonly sim: RunningSimulator,
    readonly proxy: ChaosProxy,
    private readonly control: SimControl,
  ) {}

  static async start(random: () => number): Promise<ChaosWorld> {
    const dir = await mkdtemp(join(tmpdir(), 'atomsync-chaos-'));
    const sim = await startSimulator({
      scenarioFile: DEMO_SCENARIO_FILE,
      listen: '127.0.0.1:0',
      clock: 'manual',
      rateLimitPerSecond: 0,
    });
    const proxy = await startChaosProxy(sim.url, random);
    const world = new ChaosWorld(dir, sim, proxy, new SimControl(sim.url, DEMO_ADMIN));
    await world.writeWorkspace();
    return world;
  }

  private async writeWorkspace(): Promise<void> {
    await mkdir(join(this.dir, 'pins'));
    for (const file of ['acme-prod.yaml', 'acme-dev.yaml']) {
      await cp(join(EXAMPLES_DIR, 'pins', file), join(this.dir, 'pins', file));
    }
    await writeFile(join(this.dir, 'admin.token'), `${DEMO_ADMIN.token}\n`);
  }

  /** A config for a state folder: replicas of `run` (a failover) each have their own. */
  private async configFor(stateDir: string): Promise<string> {
    const file = `atomsync-${stateDir}.yaml`;
    const account = (id: string) =>
      `{ accountId: ${id}, username: BOOMI_TOKEN.${DEMO_ADMIN.userId}, tokenFile: admin.token }`;
    await writeFile(
      join(this.dir, file),
      [
        'apiVersion: atomsync.io/v1alpha1',
        'kind: Config',
        `platform: { url: "${this.proxy.url}", requestsPerSecond: 100, timeoutSeconds: 2 }`,
        'accounts:',
        `  acme-prod: ${account(PROD)}`,
        `  acme-dev: ${account(DEV)}`,
        'sources:',
        '  - { kind: directory, path: pins, namespace: integration }',
        `maxConcurrentRestarts: ${MAX_CONCURRENT_RESTARTS}`,
        'server: { listen: "127.0.0.1:0" }',
        `stateDir: ${stateDir}`,
        '',
      ].join('\n'),
    );
    return file;
  }

  /** The platform's clock runs on (10 s every 50 ms), so inactivity waits and restarts pass. */
  startClock(): void {
    this.ticking ??= setInterval(() => void this.control.advance('10s').catch(() => undefined), 50);
  }

  stopClock(): void {
    if (this.ticking) clearInterval(this.ticking);
    this.ticking = undefined;
  }

  /** `atomsync apply --yes --wait` against the proxy. */
  apply(stateDir = 'state'): Promise<RunningCli> {
    return this.cli(['apply', '--yes', '--wait'], stateDir);
  }

  /** `atomsync run`, polling requests every 200 ms. */
  run(stateDir = 'state'): Promise<RunningCli> {
    return this.cli(['run', '--poll-interval', '200ms', '--log-level', 'warn'], stateDir);
  }

  private async cli(args: string[], stateDir: string): Promise<RunningCli> {
    const config = await this.configFor(stateDir);
    const started = Date.now();
    const child = spawn(process.execPath, [CLI_BIN, ...args, '--config', config], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = new Promise<CliRun>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - started }));
    });
    return { child, done, kill: () => child.kill('SIGKILL') };
  }

  private targets(): AccountTarget[] {
    return [
      { accountId: PROD, alias: 'acme-prod', client: platformClient(this.sim.url, PROD, DEMO_ADMIN) },
      { accountId: DEV, alias: 'acme-dev', client: platformClient(this.sim.url, DEV, DEMO_ADMIN) },
    ];
  }

  /** Nothing left to change and nothing in flight, read straight from the platform (no faults). */
  async converged(): Promise<boolean> {
    const { desired } = await loadPins(join(this.dir, 'pins'));
    const { plan } = await observeAndPlan(this.targets(), desired, {
      maxConcurrentRestarts: MAX_CONCURRENT_RESTARTS,
      defaultWindows: [],
    });
    return plan.changes.length === 0 && !plan.pins.some((pin) => pin.outcome === 'Waiting');
  }

  /** Ids of the PROD runtimes the demo pins change: a targeted kill waits for a write to one of them. */
  async prodRuntimeIds(): Promise<Set<string>> {
    const atoms = await this.targets()[0]!.client.queryAll<{ id: string; name: string }>('Atom');
    return new Set(atoms.filter((atom) => !TEST_RUNTIMES.has(atom.name)).map((atom) => atom.id));
  }

  /** Every restart the platform performed, from its audit log (RESTARTING until COMPLETE or FAILED). */
  async restarts(): Promise<Restart[]> {
    const found: Restart[] = [];
    for (const { client } of this.targets()) {
      const names = new Map(
        (await client.queryAll<{ id: string; name: string }>('Atom')).map((a) => [a.id, a.name] as const),
      );
      const records = await client.queryAll<AuditLog>(
        'AuditLog',
        and(equals('type', 'as.atom.version'), equals('action', 'STATUS')),
      );
      const open = new Map<string, number>();
      for (const record of [...records].sort((a, b) => Date.parse(a.date) - Date.parse(b.date))) {
        const runtime = names.get(record.containerId ?? '') ?? '?';
        const at = Date.parse(record.date);
        if (record.modifier === 'RESTARTING' && !open.has(runtime)) open.set(runtime, at);
        if ((record.modifier === 'COMPLETE' || record.modifier === 'FAILED') && open.has(runtime)) {
          const classification = TEST_RUNTIMES.has(runtime) ? 'TEST' : 'PROD';
          found.push({ runtime, classification, from: open.get(runtime)!, to: at });
          open.delete(runtime);
        }
      }
    }
    return found;
  }

  async close(): Promise<void> {
    this.stopClock();
    await this.proxy.close();
    await this.sim.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The most runtimes restarting at one moment. */
export function mostAtOnce(restarts: readonly Restart[]): number {
  return Math.max(
    0,
    ...restarts.map((r) => restarts.filter((o) => o.from <= r.from && r.from < o.to).length),
  );
}

/** PROD restarts that began before the last TEST restart ended. */
export function prodBeforeTest(restarts: readonly Restart[]): Restart[] {
  const tests = restarts.filter((r) => r.classification === 'TEST');
  if (tests.length === 0) return [];
  const testEnd = Math.max(...tests.map((r) => r.to));
  return restarts.filter((r) => r.classification === 'PROD' && r.from < testEnd);
}
