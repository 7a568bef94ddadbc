// A CLI process that serves until stopped (`atomsync sim`, `atomsync ui`): started with a clean
// environment, resolved once it printed its URL, stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BIN } from '../../e2e/support/repo.js';

export interface Served {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export function serve(
  args: readonly string[],
  cwd: string,
  urlPattern: RegExp,
  env: Record<string, string> = {},
): Promise<Served> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = urlPattern.exec(output);
      if (match?.[1]) resolve({ url: match[1], output: () => output, stop: () => stop(child) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`atomsync ${args.join(' ')} exited ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
