// Per-AtomVersion status kept on disk: one JSON file per key under `<stateDir>/status/`, written
// atomically, all loaded at start. A file that cannot be parsed is moved aside as `<file>.corrupt` and
// reported; it never stops the controller (the key is simply reconciled again from scratch).

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isAtomicTempFile, writeFileAtomic } from '../util/atomic-write.js';
import type { AtomVersionStatus } from './status-types.js';

export type StateProblemCode = 'CorruptStatusFile' | 'UnreadableStatusFile';

export interface StateProblem {
  code: StateProblemCode;
  /** The file as found. */
  file: string;
  /** Where it was moved, for corrupt files. */
  movedTo?: string;
  message: string;
}

export class StateStoreError extends Error {
  constructor(
    readonly code: 'StateDirUnavailable' | 'StatusWriteFailed',
    message: string,
  ) {
    super(message);
    this.name = 'StateStoreError';
  }
}

export const STATUS_SUBDIR = 'status';
const CORRUPT_SUFFIX = '.corrupt';

/** A file name that is safe on every file system (also case-insensitive ones) and unique per key. */
export function statusFileName(key: string): string {
  const readable = key
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .toLowerCase()
    .slice(0, 80);
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable}-${digest}.json`;
}

export class StateStore {
  private readonly statuses = new Map<string, AtomVersionStatus>();
  private readonly writes = new Map<string, Promise<void>>();
  private loadProblems: StateProblem[] = [];

  private constructor(readonly dir: string) {}

  /** Opens (creating it if needed) `<stateDir>/status` and loads every status in it. */
  static async open(stateDir: string): Promise<StateStore> {
    const store = new StateStore(join(stateDir, STATUS_SUBDIR));
    try {
      await mkdir(store.dir, { recursive: true });
    } catch (error) {
      throw new StateStoreError(
        'StateDirUnavailable',
        `cannot create the state directory ${store.dir}: ${reason(error)}`,
      );
    }
    await store.loadAll();
    return store;
  }

  /** Files that could not be loaded at open(). */
  get problems(): readonly StateProblem[] {
    return this.loadProblems;
  }

  get(key: string): AtomVersionStatus | undefined {
    const status = this.statuses.get(key);
    return status && structuredClone(status);
  }

  all(): AtomVersionStatus[] {
    return [...this.statuses.values()].map((status) => structuredClone(status));
  }

  keys(): string[] {
    return [...this.statuses.keys()];
  }

  /** Stores the status (in memory at once, on disk before the promise resolves). */
  put(status: AtomVersionStatus): Promise<void> {
    const copy = structuredClone(status);
    this.statuses.set(copy.key, copy);
    return this.serialize(copy.key, () =>
      writeFileAtomic(this.pathOf(copy.key), `${JSON.stringify(copy, null, 2)}\n`),
    );
  }

  /** Forgets a key (its AtomVersion is gone). */
  delete(key: string): Promise<void> {
    this.statuses.delete(key);
    return this.serialize(key, () => unlink(this.pathOf(key)).catch(ignoreMissing));
  }

  /** Resolves when every write started so far has finished. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  private pathOf(key: string): string {
    return join(this.dir, statusFileName(key));
  }

  /** One write at a time per key, in call order, so an older status never lands after a newer one. */
  private serialize(key: string, write: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    const tracked = next.catch((error: unknown) => {
      throw new StateStoreError('StatusWriteFailed', `cannot write the status of ${key}: ${reason(error)}`);
    });
    this.writes.set(key, tracked);
    void tracked
      .finally(() => {
        if (this.writes.get(key) === tracked) this.writes.delete(key);
      })
      .catch(() => undefined);
    return tracked;
  }

  private async loadAll(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      throw new StateStoreError(
        'StateDirUnavailable',
        `cannot list the state directory ${this.dir}: ${reason(error)}`,
      );
    }
    for (const name of names.sort()) {
      if (isAtomicTempFile(name)) {
        await unlink(join(this.dir, name)).catch(() => undefined);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      await this.loadOne(name);
    }
  }

  private async loadOne(name: string): Promise<void> {
    const file = join(this.dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      this.loadProblems.push({
        code: 'UnreadableStatusFile',
        file,
        message: `cannot read ${file}: ${reason(error)}`,
      });
      return;
    }
    const parsed = parseStatus(text, name);
    if (typeof parsed === 'string') {
      await this.moveAside(file, parsed);
      return;
    }
    this.statuses.set(parsed.key, parsed);
  }

  private async moveAside(file: string, why: string): Promise<void> {
    const movedTo = await freeName(`${file}${CORRUPT_SUFFIX}`, file);
    try {
      await rename(file, movedTo);
      this.loadProblems.push({
        code: 'CorruptStatusFile',
        file,
        movedTo,
        message: `status file ${file} is unusable (${why}); moved it to ${movedTo} and will rebuild the status`,
      });
    } catch (error) {
      this.loadProblems.push({
        code: 'CorruptStatusFile',
        file,
        message: `status file ${file} is unusable (${why}) and could not be moved aside: ${reason(error)}`,
      });
    }
  }
}

/** The status, or why the text is not one. */
function parseStatus(text: string, fileName: string): AtomVersionStatus | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${reason(error)}`;
  }
  if (!isStatusShape(value)) return 'not an AtomVersion status object';
  if (statusFileName(value.key) !== fileName)
    return `holds the status of ${value.key}, which belongs in another file`;
  return value;
}

function isStatusShape(value: unknown): value is AtomVersionStatus {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.key === 'string' &&
    typeof record.observedGeneration === 'string' &&
    Array.isArray(record.conditions) &&
    Array.isArray(record.pins) &&
    Array.isArray(record.history)
  );
}

async function freeName(preferred: string, file: string): Promise<string> {
  if (!(await exists(preferred))) return preferred;
  return `${file}.${Date.now()}${CORRUPT_SUFFIX}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
