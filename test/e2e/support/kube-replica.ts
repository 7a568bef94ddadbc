// One `atomsync run` replica as a child process (the built CLI) with a kubernetes source: POD_NAME is its
// identity in the Lease, POD_NAMESPACE its own namespace, KUBECONFIG the fake API server. Its JSON log is
// captured line by line so tests can see what this replica — and only this one — did.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BIN } from './repo.js';

export interface ReplicaOptions {
  podName: string;
  home: string;
  configFile: string;
  kubeconfigPath: string;
  namespace: string;
  /** More `atomsync run` flags. */
  args?: string[];
  /** More environment variables. */
  env?: Record<string, string>;
}

export interface LogLine {
  msg?: string;
  [field: string]: unknown;
}

interface SentAction {
  requestId?: string;
  runtimeName?: string;
}

export class KubeReplica {
  private output = '';
  readonly exited: Promise<number | null>;
  private running = true;

  private constructor(
    readonly podName: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.running = false;
        resolve(code);
      }),
    );
  }

  static spawn(options: ReplicaOptions): KubeReplica {
    const args = [
      'run',
      '--config',
      options.configFile,
      '--listen',
      '127.0.0.1:0',
      '--log-format',
      'json',
      '--poll-interval',
      '200ms',
      ...(options.args ?? []),
    ];
    return KubeReplica.spawnProcess(options.podName, args, {
      cwd: options.home,
      env: {
        ...process.env,
        KUBECONFIG: options.kubeconfigPath,
        POD_NAMESPACE: options.namespace,
        POD_NAME: options.podName,
        ...options.env,
      },
    });
  }

  /** `atomsync <args>` with exactly this environment and working folder. */
  static spawnProcess(
    podName: string,
    args: string[],
    options: { cwd: string; env: Record<string, string | undefined> },
  ): KubeReplica {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new KubeReplica(podName, child);
  }

  /** Sends the signal and waits for the exit (no-op when it already ended). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  /** Everything it printed (for failure messages). */
  text(): string {
    return this.output;
  }

  logLines(): LogLine[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LogLine];
        } catch {
          return [];
        }
      });
  }

  /** Ids of the platform requests this replica logged as sent. */
  sentRequestIds(): string[] {
    return this.logLines()
      .filter((line) => line.msg === 'sent requests to the platform')
      .flatMap((line) => (line.actions as SentAction[] | undefined) ?? [])
      .flatMap((action) => (action.requestId ? [action.requestId] : []));
  }

  /** The URL its HTTP server listens on (/metrics, /api), once it logged it. */
  url(): string | undefined {
    const line = this.logLines().find((l) => l.msg === 'listening');
    return typeof line?.url === 'string' ? line.url : undefined;
  }

  /** True once it logged that it leads. */
  leads(): boolean {
    return this.logLines().some((line) => line.msg === 'leading: this replica reconciles');
  }
}
