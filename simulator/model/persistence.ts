// The state file: the whole state as JSON, replaced atomically (temp file in the same folder, fsync,
// rename), so a process killed at any moment leaves the last complete save behind.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../controller/util/atomic-write.js';
import { STATE_FORMAT_VERSION, type SimState } from './state.js';

export class StateFileError extends Error {
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
export async function readStateFile(file: string): Promise<SimState | undefined> {
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
  const state = (parsed as { state?: SimState } | null)?.state;
  if (state?.formatVersion !== STATE_FORMAT_VERSION) {
    throw new StateFileError(
      file,
      `is not a simulator state file of format ${STATE_FORMAT_VERSION}; delete it to start again from the scenario.`,
    );
  }
  return state;
}

/** Serializes now (the caller may go on changing the state) and returns the atomic write. */
export function writeStateFile(file: string, state: SimState): Promise<void> {
  const text = JSON.stringify(
    { formatVersion: STATE_FORMAT_VERSION, savedAt: state.clock.now, state },
    null,
    1,
  );
  return writeFileAtomic(file, `${text}\n`, 0o600);
}
