// Runs the built CLI as a user would: `node bin/atomsync.js …` in its own process, with a clean
// environment (no inherited tokens or colours), NO_COLOR set, and no terminal: stdin is a pipe that is
// closed at once (after `input`, when given), stdout and stderr are pipes.
import { spawn } from 'node:child_process';
import { CLI_BIN } from './repo.js';

export interface CliResult {
  /** The exit code; null when the process was killed (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd: string;
  /** Added to the clean environment; `undefined` removes a variable (e.g. NO_COLOR). */
  env?: Record<string, string | undefined>;
  /** A CLI that hangs is killed after this long, so a broken CLI fails the test instead of stalling. */
  killAfterMs?: number;
  /** Written to stdin before it is closed (an answer to a prompt). Default: nothing. */
  input?: string;
}

const DEFAULT_KILL_AFTER_MS = 120_000;

export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.killAfterMs ?? DEFAULT_KILL_AFTER_MS,
    });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    NO_COLOR: '1',
  };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * stderr without the retry lines (`…: HTTP 503; retrying (attempt 2 of 6)`). A CLI started right after
 * another one can meet the platform's per-second window still holding the first one's calls: the 503 is
 * retried as Boomi asks, and the line saying so is information, not an error.
 */
export function stderrWithoutRetries(result: CliResult): string {
  return result.stderr
    .split('\n')
    .filter((line) => !/; retrying \(attempt \d+ of \d+\)$/.test(line))
    .join('\n');
}
