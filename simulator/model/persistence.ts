// The state file: the whole state as JSON, replaced atomically (temp file in the same folder, fsync,
// rename), so a process killed at any moment leaves the last complete save behind.
// The simulator is a program of its own, so it has its own small atomic write rather than the controller's.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { STATE_FORMAT_VERSION, type WorldState } from './state.js';

class StateFileError extends Error {
  readonly code = 'STATE_FILE_INVALID';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'StateFileError';
  }
}

/** The saved state, or undefined when the file does not exist yet. */
export async function readStateFile(file: string): Promise<WorldState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(
      file,
      `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StateFileError(file, 'is not valid JSON; delete it to start again from the scenario.');
  }
  const state = (parsed as { state?: WorldState } | null)?.state;
  if (state?.formatVersion !== STATE_FORMAT_VERSION) {
    throw new StateFileError(
      file,
      `is not a simulator state file of format ${STATE_FORMAT_VERSION}; delete it to start again from the scenario.`,
    );
  }
  return state;
}

/** Serializes now (the caller may go on changing the state) and returns the atomic write. */
export function writeStateFile(file: string, state: WorldState): Promise<void> {
  const text = JSON.stringify(
    { formatVersion: STATE_FORMAT_VERSION, savedAt: state.clock.now, state },
    null,
    1,
  );
  return replaceFile(file, `${text}\n`);
}

/** Temp file beside the target (same file system), fsync, rename over it, fsync the folder. */
async function replaceFile(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(file));
}

/** Best effort: some platforms cannot fsync a folder; the rename is then as durable as they allow. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}
