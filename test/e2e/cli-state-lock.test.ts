// Issue 11, "one writer": `run` and `apply` on one stateDir at once both acted (4 and 6 requests), each
// with its own embedded world writing the same state file. Now the first takes <stateDir>/atomsync.lock
// and a second run or apply fails at once, naming the holder; plan reads without the lock; a lock left
// by a process that is gone is named and taken over.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { CLI_BIN } from './support/repo.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

let ws: Workspace;
let controller: ChildProcess | undefined;
let controllerOutput = '';
const cli = (...args: string[]) => runCli([...args, '--config', 'atomsync.yaml'], { cwd: ws.dir });
const lockFile = () => ws.path('.atomsync', 'atomsync.lock');

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting for ${what}; output:\n${controllerOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
}, 120_000);

afterAll(async () => {
  if (controller && controller.exitCode === null) {
    controller.kill('SIGKILL');
  }
  await ws?.remove();
});

describe('while atomsync run holds the stateDir', () => {
  let secondApply: CliResult;
  let secondRun: CliResult;
  let plan: CliResult;
  beforeAll(async () => {
    controller = spawn(
      process.execPath,
      [CLI_BIN, 'run', '--config', 'atomsync.yaml', '--listen', '127.0.0.1:0', '--log-format', 'json'],
      { cwd: ws.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, NO_COLOR: '1' } },
    );
    controller.stdout?.on('data', (chunk: Buffer) => (controllerOutput += chunk.toString()));
    controller.stderr?.on('data', (chunk: Buffer) => (controllerOutput += chunk.toString()));
    await waitFor('the controller to listen', () => controllerOutput.includes('"msg":"listening"'));
    [secondApply, secondRun, plan] = await Promise.all([
      cli('apply', '--yes'),
      runCli(['run', '--config', 'atomsync.yaml', '--listen', '127.0.0.1:0'], { cwd: ws.dir }),
      cli('plan'),
    ]);
  }, 180_000);

  it('the lock names the process: pid, host, start time', async () => {
    const holder = JSON.parse(await readFile(lockFile(), 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: controller?.pid, host: hostname(), command: 'run' });
    expect(Date.parse(String(holder['startedAt']))).not.toBeNaN();
  });

  it('a second apply fails with a clear error naming the holder and sends nothing', () => {
    expect(secondApply.code).toBe(1);
    expect(secondApply.stderr).toContain(
      `the stateDir is in use: atomsync run (pid ${controller?.pid} on ${hostname()}`,
    );
    expect(secondApply.stderr).toContain('apply did nothing');
    expect(secondApply.stdout).toBe('');
  });

  it('a second run fails the same way', () => {
    expect(secondRun.code).toBe(1);
    expect(secondRun.stderr).toContain(`atomsync run (pid ${controller?.pid}`);
    expect(secondRun.stderr).toContain('run did nothing');
  });

  it('plan reads without the lock', () => {
    expect(plan.stderr).not.toContain('in use');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Plan:');
  });

  it('the lock goes when run stops', async () => {
    controller?.kill('SIGTERM');
    await waitFor('the controller to stop', () => controller?.exitCode !== null);
    expect(existsSync(lockFile())).toBe(false);
  }, 60_000);
});

describe('a lock left behind by a process that is gone', () => {
  it('is named as stale and taken over; apply goes on and then releases it', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']);
    await mkdir(ws.path('.atomsync'), { recursive: true });
    const pid = gone.pid as number;
    await writeFile(
      lockFile(),
      JSON.stringify({ pid, host: hostname(), startedAt: '2026-12-01T10:00:00.000Z', command: 'apply' }),
    );
    const result = await cli('apply', '--yes');
    expect(result.stderr).toContain(
      `atomsync apply (pid ${pid} on ${hostname()}, started 2026-12-01T10:00:00.000Z) is no longer running: taking over its stale lock`,
    );
    expect(result.code).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
  }, 120_000);
});
