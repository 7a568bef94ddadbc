// Per-AtomVersion status kept on disk under `<stateDir>/status/` as a snapshot plus a journal:
//
//   snapshot.json          every status at the time of the last compaction (written atomically), naming
//                          the journal that continues it;
//   journal-<n>.ndjson     one line per change since then: {"put": status} or {"delete": key}.
//
// A put appends only the status that changed. Puts made while a write is under way go out together in
// the next write (one append for many statuses), and the fsync runs in the background, one for many
// writes. put() resolves once its line is written to the file: from then on a kill -9 cannot lose it
// (the operating system holds it); flush() resolves once it is also fsynced (power loss). A line torn by
// a crash mid-write is the last one and is dropped at start; temp files of an interrupted snapshot
// are removed. At start (and when the journal outgrows the snapshot) the store compacts: a new snapshot,
// a new empty journal, the old journal deleted. Why a journal and not one file per account: docs/
// operations.md, "State directory".
//
// Per-key files of earlier versions (`<key>-<digest>.json`) are read once and folded into the snapshot;
// one that cannot be parsed is moved aside as `<file>.corrupt` and reported, as is a corrupt snapshot —
// never stopping the controller (those keys are simply reconciled again from scratch).

import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isAtomicTempFile, writeFileAtomic } from '../util/atomic-write.js';
import type { AtomVersionStatus } from '../domain/status.js';
import { LineBatcher } from '../util/line-batcher.js';

export type StateProblemCode = 'CorruptStatusFile' | 'UnreadableStatusFile' | 'CorruptJournalLine';

export interface StateProblem {
  code: StateProblemCode;
  /** The file as found. */
  file: string;
  /** Where it was moved, for corrupt files. */
  movedTo?: string;
  message: string;
}

class StateStoreError extends Error {
  constructor(
    readonly code: 'StateDirUnavailable' | 'StatusWriteFailed',
    message: string,
  ) {
    super(message);
    this.name = 'StateStoreError';
  }
}

export interface StateStoreOptions {
  /** Load only: no compaction, no clean-up, no writes (for `atomsync status` beside a running controller). */
  readOnly?: boolean;
  /** Compact once the journal is larger than this and than the snapshot. Default 8 MiB. */
  compactAfterBytes?: number;
}

export const STATUS_SUBDIR = 'status';
export const SNAPSHOT_FILE = 'snapshot.json';
const SNAPSHOT_FORMAT = 'atomsync-status/v1';
const CORRUPT_SUFFIX = '.corrupt';
const JOURNAL_FILE = /^journal-(\d+)\.ndjson$/;
const DEFAULT_COMPACT_AFTER_BYTES = 8 * 1024 * 1024;

/** The file name earlier versions kept one key's status in (still read, then folded into the snapshot). */
export function statusFileName(key: string): string {
  const readable = key
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .toLowerCase()
    .slice(0, 80);
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${readable}-${digest}.json`;
}

function journalFileName(generation: number): string {
  return `journal-${generation}.ndjson`;
}

type JournalRecord = { put: AtomVersionStatus } | { delete: string };

export class StateStore {
  /**
   * Each status as the JSON it was written as: one serialisation per put serves the journal line, the
   * comparison that skips an unchanged status and the snapshot, and a string is smaller than the objects.
   */
  private readonly statuses = new Map<string, string>();
  private loadProblems: StateProblem[] = [];
  private journal = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private readonly batcher = new LineBatcher({
    write: (text) => this.appendLines(text),
    failure: (error) =>
      new StateStoreError(
        'StatusWriteFailed',
        `cannot write statuses to ${this.journalPath()}: ${reason(error)}`,
      ),
    afterBatch: async () => {
      if (this.shouldCompact()) await this.compact(false).catch(() => undefined);
    },
  });
  private syncing?: Promise<void>;
  private unsynced = false;
  private syncError?: Error;
  /** The journal, open for appending while the store is in use. */
  private handle?: Promise<FileHandle>;
  /** Appends so far (one per batch of puts and deletes), for benchmarks and tests. */
  writes = 0;

  private constructor(
    readonly dir: string,
    private readonly options: StateStoreOptions,
  ) {}

  /** Opens (creating it if needed) `<stateDir>/status`, loads every status and compacts. */
  static async open(stateDir: string, options: StateStoreOptions = {}): Promise<StateStore> {
    const store = new StateStore(join(stateDir, STATUS_SUBDIR), options);
    try {
      await mkdir(store.dir, { recursive: true });
    } catch (error) {
      throw new StateStoreError(
        'StateDirUnavailable',
        `cannot create the state directory ${store.dir}: ${reason(error)}`,
      );
    }
    const found = await store.load();
    if (!options.readOnly) await store.compact(found);
    return store;
  }

  /** Files that could not be loaded at open(). */
  get problems(): readonly StateProblem[] {
    return this.loadProblems;
  }

  get(key: string): AtomVersionStatus | undefined {
    const json = this.statuses.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as AtomVersionStatus);
  }

  all(): AtomVersionStatus[] {
    return [...this.statuses.values()].map((json) => JSON.parse(json) as AtomVersionStatus);
  }

  keys(): string[] {
    return [...this.statuses.keys()];
  }

  /** Stores the status: in memory at once, in the journal (safe from kill -9) when the promise resolves. */
  put(status: AtomVersionStatus): Promise<void> {
    const json = JSON.stringify(status);
    this.statuses.set(status.key, json);
    return this.appendLine(`{"put":${json}}\n`);
  }

  /** Forgets a key (its AtomVersion is gone). */
  delete(key: string): Promise<void> {
    if (!this.statuses.delete(key)) return Promise.resolve();
    return this.append({ delete: key });
  }

  /** Resolves when every change so far is written and fsynced; rejects if any of that failed. */
  async flush(): Promise<void> {
    while (this.batcher.busy || this.syncing || this.unsynced) {
      await this.batcher.idle();
      if (!this.syncing && this.unsynced) this.startSync();
      await this.syncing;
    }
    const error = this.syncError;
    this.syncError = undefined;
    if (error) throw error;
  }

  private append(record: JournalRecord): Promise<void> {
    return this.appendLine(`${JSON.stringify(record)}\n`);
  }

  private appendLine(line: string): Promise<void> {
    if (this.options.readOnly) {
      return Promise.reject(new StateStoreError('StatusWriteFailed', 'the state store was opened read-only'));
    }
    return this.batcher.append(line);
  }

  private async appendLines(text: string): Promise<void> {
    this.handle ??= open(this.journalPath(), 'a', 0o600);
    const handle = await this.handle.catch((error: unknown) => {
      this.handle = undefined;
      throw error;
    });
    await handle.write(text);
    this.writes++;
    this.journalBytes += Buffer.byteLength(text);
    this.unsynced = true;
    if (!this.syncing) this.startSync();
  }

  /** One fsync at a time; the writes that land meanwhile are covered by the next one. */
  private startSync(): void {
    this.unsynced = false;
    const handle = this.handle;
    this.syncing = (handle ? handle.then((open) => open.sync()) : Promise.resolve())
      .catch((error: unknown) => {
        this.syncError = new StateStoreError(
          'StatusWriteFailed',
          `cannot fsync ${this.journalPath()}: ${reason(error)}`,
        );
      })
      .finally(() => {
        this.syncing = undefined;
        if (this.unsynced) this.startSync();
      });
  }

  /** Flushes, then closes the journal (the store can still be read; a later put reopens it). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.closeJournal();
    }
  }

  private async closeJournal(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close().catch(() => undefined);
  }

  private shouldCompact(): boolean {
    const limit = this.options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    return this.journalBytes > limit && this.journalBytes > this.snapshotBytes;
  }

  /**
   * A new snapshot of everything in memory naming the next journal, then the old files go. A crash
   * between the two leaves files the next start recognises as stale and removes.
   */
  private async compact(found: Found | false): Promise<void> {
    if (found && !found.needsCompaction) return;
    const next = this.journal + 1;
    const head = JSON.stringify({ format: SNAPSHOT_FORMAT, journal: next }).slice(0, -1);
    const text = `${head},"statuses":[${[...this.statuses.values()].join(',')}]}\n`;
    await writeFileAtomic(join(this.dir, SNAPSHOT_FILE), text);
    const previous = this.journal;
    while (this.syncing) await this.syncing;
    await this.closeJournal();
    this.journal = next;
    this.journalBytes = 0;
    this.snapshotBytes = Buffer.byteLength(text);
    const stale = found ? found.staleFiles : [journalFileName(previous)];
    await Promise.all(stale.map((name) => unlink(join(this.dir, name)).catch(() => undefined)));
  }

  private journalPath(): string {
    return join(this.dir, journalFileName(this.journal));
  }

  // ---- loading ------------------------------------------------------------------------------------

  private async load(): Promise<Found> {
    const names = await this.listDir();
    const found: Found = { needsCompaction: false, staleFiles: [] };
    for (const name of names.filter(isAtomicTempFile)) {
      if (!this.options.readOnly) await unlink(join(this.dir, name)).catch(() => undefined);
    }
    for (const name of names.filter(isLegacyStatusFile)) {
      await this.loadLegacyFile(name);
      found.staleFiles.push(name);
      found.needsCompaction = true;
    }
    const journalFrom = names.includes(SNAPSHOT_FILE) ? await this.loadSnapshot() : 0;
    for (const { name, generation } of journals(names)) {
      found.staleFiles.push(name);
      found.needsCompaction = true;
      if (generation >= journalFrom) await this.replayJournal(name);
    }
    this.journal = Math.max(journalFrom, ...journals(names).map((journal) => journal.generation));
    if (!names.includes(SNAPSHOT_FILE)) found.needsCompaction = true;
    return found;
  }

  private async listDir(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).sort();
    } catch (error) {
      throw new StateStoreError(
        'StateDirUnavailable',
        `cannot list the state directory ${this.dir}: ${reason(error)}`,
      );
    }
  }

  /** The journal generation the snapshot continues with (0 when it is unusable). */
  private async loadSnapshot(): Promise<number> {
    const file = join(this.dir, SNAPSHOT_FILE);
    const text = await this.readText(file);
    if (text === undefined) return 0;
    const snapshot = parseSnapshot(text);
    if (typeof snapshot === 'string') {
      await this.moveAside(file, snapshot);
      return 0;
    }
    for (const status of snapshot.statuses) this.statuses.set(status.key, JSON.stringify(status));
    this.snapshotBytes = text.length;
    return snapshot.journal;
  }

  private async replayJournal(name: string): Promise<void> {
    const file = join(this.dir, name);
    const text = await this.readText(file);
    if (text === undefined) return;
    const lines = text.split('\n');
    // The last element is '' after a complete final line, or a line a crash cut short: dropped either way.
    lines.pop();
    lines.forEach((line, index) => {
      const record = parseRecord(line);
      if (record === undefined) {
        this.loadProblems.push({
          code: 'CorruptJournalLine',
          file,
          message: `line ${index + 1} of ${file} is not a status record; skipped it (that key will be reconciled again)`,
        });
      } else if ('put' in record) this.statuses.set(record.put.key, JSON.stringify(record.put));
      else this.statuses.delete(record.delete);
    });
  }

  private async loadLegacyFile(name: string): Promise<void> {
    const file = join(this.dir, name);
    const text = await this.readText(file);
    if (text === undefined) return;
    const parsed = parseLegacyStatus(text, name);
    if (typeof parsed === 'string') await this.moveAside(file, parsed);
    else this.statuses.set(parsed.key, JSON.stringify(parsed));
  }

  private async readText(file: string): Promise<string | undefined> {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      this.loadProblems.push({
        code: 'UnreadableStatusFile',
        file,
        message: `cannot read ${file}: ${reason(error)}`,
      });
      return undefined;
    }
  }

  private async moveAside(file: string, why: string): Promise<void> {
    if (this.options.readOnly) {
      this.loadProblems.push({
        code: 'CorruptStatusFile',
        file,
        message: `status file ${file} is unusable (${why})`,
      });
      return;
    }
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

interface Found {
  needsCompaction: boolean;
  /** Journals and per-key files the next snapshot replaces. */
  staleFiles: string[];
}

function journals(names: readonly string[]): { name: string; generation: number }[] {
  return names
    .map((name) => ({ name, match: JOURNAL_FILE.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map(({ name, match }) => ({ name, generation: Number(match?.[1]) }))
    .sort((a, b) => a.generation - b.generation);
}

function isLegacyStatusFile(name: string): boolean {
  return name.endsWith('.json') && name !== SNAPSHOT_FILE && !isAtomicTempFile(name);
}

function parseSnapshot(text: string): { journal: number; statuses: AtomVersionStatus[] } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${reason(error)}`;
  }
  const record = value as { format?: unknown; journal?: unknown; statuses?: unknown } | null;
  if (
    record?.format !== SNAPSHOT_FORMAT ||
    !Number.isInteger(record.journal) ||
    !Array.isArray(record.statuses) ||
    !record.statuses.every(isStatusShape)
  ) {
    return `not a ${SNAPSHOT_FORMAT} snapshot`;
  }
  return { journal: record.journal as number, statuses: record.statuses };
}

function parseRecord(line: string): JournalRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<{ put: unknown; delete: unknown }>;
    if (isStatusShape(value.put)) return { put: value.put };
    if (typeof value.delete === 'string') return { delete: value.delete };
  } catch {
    // reported by the caller
  }
  return undefined;
}

/** The status, or why the text is not one. */
function parseLegacyStatus(text: string, fileName: string): AtomVersionStatus | string {
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

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
