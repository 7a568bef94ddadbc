// `platform: embedded`: the CLI starts the simulator — a separate program, `atomsync sim` — as a child
// process on a free loopback port, with its state under the config's stateDir, so separate invocations
// (plan → apply → plan) see one world. The controller never imports simulator code: it only knows how to
// launch the program and reads the address the child announces as one JSON line on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AtomsyncConfig } from '../config/types.js';
import { CliError } from './errors.js';

export interface EmbeddedPlatform {
  /** Base URL, e.g. http://127.0.0.1:40123 (the API is under /api/rest/v1/{accountId}). */
  url: string;
  /** Stops the simulator; it saves its world before it exits. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

function embeddedStateFile(config: AtomsyncConfig): string {
  return join(config.stateDir, 'simulator-state.json');
}

export async function startEmbeddedPlatform(
  config: AtomsyncConfig,
  scenarioFile: string,
): Promise<EmbeddedPlatform> {
  const args = ['sim', '--child', '--listen', '127.0.0.1:0', '--clock', 'realtime'];
  args.push('--scenario', scenarioFile, '--state', embeddedStateFile(config));
  const child = spawn(process.execPath, [launcherPath(), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const url = await announcedUrl(child, scenarioFile);
  return { url, close: () => stop(child) };
}

/** bin/atomsync.js of this installation: the one launcher of both programs. */
function launcherPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new CliError('cannot find bin/atomsync.js to start the embedded platform');
    dir = parent;
  }
  return join(dir, 'bin', 'atomsync.js');
}

/** The URL of the child's first stdout line; a child that exits first fails with what it printed. */
function announcedUrl(child: ChildProcess, scenarioFile: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const said = stderr.trim().replace(/^atomsync sim: /, '');
      reject(
        new CliError(`the embedded platform (scenario ${scenarioFile}) ${why}${said ? `: ${said}` : ''}`),
      );
    };
    const timer = setTimeout(
      () => fail(`did not start within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err) => fail(`could not be started (${err.message})`));
    child.once('exit', (code) => fail(`stopped before it was ready (exit ${code})`));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n');
      if (line.length < 2) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = urlOf(line[0] ?? '');
      if (url !== undefined) resolve(url);
      else fail(`announced no address (${line[0]})`);
    });
  });
}

function urlOf(line: string): string | undefined {
  try {
    const url = (JSON.parse(line) as { url?: unknown } | null)?.url;
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Closing stdin asks the child to save and stop; SIGKILL only if it does not within 10 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}
