// One writer per stateDir: `run` and `apply` take <stateDir>/atomsync.lock (pid, host, start time, verb)
// before they touch the platform or the state there, so two of them never act on one world at once.
// `plan` only reads and takes no lock. A lock whose process is gone (same host, pid not running) is
// stale: it is named on stderr and taken over.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

const LOCK_FILE_NAME = 'atomsync.lock';

export class StateLock {
  private constructor(
    readonly file: string,
    private readonly holder: LockHolder,
  ) {}

  /** Takes the lock or throws a CliError naming who holds it. */
  static async acquire(
    stateDir: string,
    command: string,
    warn: (text: string) => void = (text) => process.stderr.write(`atomsync: ${text}\n`),
  ): Promise<StateLock> {
    await mkdir(stateDir, { recursive: true });
    const file = join(stateDir, LOCK_FILE_NAME);
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      startedAt: new Date().toISOString(),
      command,
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createExclusive(file, holder)) return new StateLock(file, holder);
      const current = await readHolder(file);
      if (current === undefined) continue; // removed (or half-written) between our two calls: try again
      if (!isStale(current)) throw heldError(file, current, command);
      warn(`${describe(current)} is no longer running: taking over its stale lock ${file}`);
      await rm(file, { force: true });
    }
    throw new CliError(`could not take the lock ${file}; another atomsync is starting on the same stateDir`);
  }

  async release(): Promise<void> {
    const current = await readHolder(this.file);
    if (current?.pid === this.holder.pid && current.host === this.holder.host)
      await rm(this.file, { force: true });
  }
}

async function createExclusive(file: string, holder: LockHolder): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(holder)}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      startedAt: String(parsed.startedAt ?? 'an unknown time'),
      command: String(parsed.command ?? 'atomsync'),
    };
  } catch {
    return undefined;
  }
}

/** Only a lock of this host can be checked: its pid no longer runs. Another host's lock is respected. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function describe(holder: LockHolder): string {
  return `atomsync ${holder.command} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt})`;
}

function heldError(file: string, holder: LockHolder, command: string): CliError {
  return new CliError(
    `the stateDir is in use: ${describe(holder)} holds ${file}. One atomsync run or apply acts on a ` +
      `stateDir at a time, so ${command} did nothing. Wait for it to finish or stop it; if that process ` +
      `is gone (e.g. on another host), delete ${file}.`,
  );
}
