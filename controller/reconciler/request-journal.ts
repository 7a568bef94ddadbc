// A write-ahead journal of platform requests the controller is about to send or has sent and not yet
// seen finish. It lives in `<stateDir>` as two files:
//
//   requests.json   the outstanding requests and the last few completed ones at the last compaction
//                   (written atomically);
//   requests.log    one line per change since then: {"intend": entry}, {"record": …} or {"complete": …}.
//
// A change appends one line, so sending N requests costs O(N) bytes, not the O(N²) of rewriting the whole
// list each time. Changes made while an append is under way go out together in the next append, each
// append fsynced before its callers resume (a group commit): intend() resolving means the intent survives
// kill -9 and power loss. A line torn by a crash is the last one and is dropped on open. The log is folded
// into requests.json on open, on close, when nothing is outstanding (the file is then tiny), and when it
// has grown to several times the outstanding list.
//
// The contract:
// 1. `await intend(entry)` BEFORE sending the request. The intent id is generated here (client side).
// 2. `await record(intentId, platformRequestId)` as soon as the platform answered with its request id.
// 3. `await complete(intentId, status)` once the request reached a final state (or was found not sent).
// 4. On start, `outstanding()` lists what a crash may have left behind:
//    - with `platformRequestId`: poll that request and complete() it;
//    - without: the request may or may not have reached the platform. The caller MUST find out by
//      querying the platform (its outstanding requests / the runtime's versions) and then record() or
//      complete(intentId, 'NotSent'). It must NEVER re-send blindly: a duplicate apply or rollback is a
//      second restart of a production runtime.

import { randomUUID } from 'node:crypto';
import { open, readFile, rename, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { removeLeftoverTempFiles, writeFileAtomic } from '../util/atomic-write.js';
import type { RequestKind } from '../domain/types.js';
import { LineBatcher } from '../util/line-batcher.js';

export interface IntentInput {
  /** Generated when absent. */
  intentId?: string;
  /** The AtomVersion (`namespace/name`) the request serves. */
  key: string;
  accountId: string;
  runtimeId: string;
  kind: RequestKind;
  action?: 'APPLY_PENDING' | 'ROLLBACK';
  /** Component names (AtomVersionUpdateRequest) or pack names (pack kinds). */
  components: string[];
}

export interface JournalEntry extends IntentInput {
  intentId: string;
  /** ISO-8601, when intend() was called. */
  intendedAt: string;
  /** The platform's id, once record() was called. */
  platformRequestId?: string;
  recordedAt?: string;
}

export interface CompletedEntry extends JournalEntry {
  /** The final status given to complete(). */
  status: string;
  completedAt: string;
}

export interface JournalProblem {
  code: 'CorruptJournal' | 'UnreadableJournal';
  file: string;
  movedTo?: string;
  message: string;
}

export interface RequestJournalOptions {
  now?: () => Date;
  /** Defaults to `requests.json`. */
  fileName?: string;
}

interface JournalFile {
  formatVersion: 1;
  outstanding: JournalEntry[];
  /** The last few completed requests, newest last, for the status API and post-mortems. */
  completed?: CompletedEntry[];
}

const JOURNAL_FILE = 'requests.json';
const COMPLETED_KEPT = 20;
/** The log is folded into the snapshot once it has this many lines and more than LOG_LINES_PER_ENTRY per outstanding request. */
const COMPACT_MIN_LINES = 1_000;
const LOG_LINES_PER_ENTRY = 4;

type LogLine =
  | { intend: JournalEntry }
  | { record: { intentId: string; platformRequestId: string; recordedAt: string } }
  | { complete: { intentId: string; status: string; completedAt: string } };

export class RequestJournal {
  private readonly entries = new Map<string, JournalEntry>();
  /** Intent ids by AtomVersion key, so a pass finds its own entries without scanning them all. */
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byAccount = new Map<string, Set<string>>();
  private recent: CompletedEntry[] = [];
  private loadProblems: JournalProblem[] = [];
  private readonly batcher = new LineBatcher({
    write: async (text, count) => {
      await this.appendAndSync(text);
      this.logLines += count;
      this.appends += 1;
    },
    failure: (error) => new Error(`cannot write the request journal ${this.logFile}: ${reason(error)}`),
    afterBatch: async () => {
      if (this.shouldCompact()) await this.compact().catch(() => undefined);
    },
  });
  private handle?: Promise<FileHandle>;
  private logLines = 0;
  /** Appends so far (one per batch of changes), for benchmarks and tests. */
  appends = 0;

  private constructor(
    readonly file: string,
    private readonly now: () => Date,
  ) {}

  /** Opens the journal in `stateDir`, replaying what a previous run left outstanding, and compacts it. */
  static async open(stateDir: string, options: RequestJournalOptions = {}): Promise<RequestJournal> {
    const journal = new RequestJournal(
      join(stateDir, options.fileName ?? JOURNAL_FILE),
      options.now ?? (() => new Date()),
    );
    await removeLeftoverTempFiles(journal.file);
    await journal.load(true);
    if (journal.logLines > 0) await journal.compact();
    return journal;
  }

  /** What the journal in `stateDir` holds, read without writing anything (status tools, tests). */
  static async read(stateDir: string, options: RequestJournalOptions = {}): Promise<RequestJournal> {
    const journal = new RequestJournal(
      join(stateDir, options.fileName ?? JOURNAL_FILE),
      options.now ?? (() => new Date()),
    );
    await journal.load(false);
    return journal;
  }

  /** A journal that could not be read at open(); its intents are lost, so resolve from the platform. */
  get problems(): readonly JournalProblem[] {
    return this.loadProblems;
  }

  /** The append-only part beside the snapshot file. */
  get logFile(): string {
    return logFileOf(this.file);
  }

  /** Writes the intent to disk; send the request only after this resolves. */
  async intend(input: IntentInput): Promise<JournalEntry> {
    const entry: JournalEntry = {
      ...structuredClone(input),
      intentId: input.intentId ?? randomUUID(),
      intendedAt: this.now().toISOString(),
    };
    this.add(entry);
    await this.append({ intend: entry });
    return structuredClone(entry);
  }

  /** The platform accepted the request under `platformRequestId`. False when the intent is unknown. */
  async record(intentId: string, platformRequestId: string): Promise<boolean> {
    const entry = this.entries.get(intentId);
    if (!entry) return false;
    entry.platformRequestId = platformRequestId;
    entry.recordedAt = this.now().toISOString();
    await this.append({ record: { intentId, platformRequestId, recordedAt: entry.recordedAt } });
    return true;
  }

  /**
   * The request reached a final state (`status`: the platform's, or `NotSent`). Removes the intent.
   * False when it was not outstanding (completing twice is harmless).
   */
  async complete(intentId: string, status: string): Promise<boolean> {
    if (!this.entries.has(intentId)) return false;
    const completedAt = this.now().toISOString();
    this.applyComplete(intentId, status, completedAt);
    await this.append({ complete: { intentId, status, completedAt } });
    return true;
  }

  /** Intents not completed yet, oldest first. */
  outstanding(): JournalEntry[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  /** The outstanding intents of one AtomVersion, oldest first. */
  outstandingOf(key: string): JournalEntry[] {
    return this.indexed(this.byKey, key).map((entry) => structuredClone(entry));
  }

  /** The outstanding intents in one account, oldest first (not copied: read, do not change). */
  outstandingOfAccount(accountId: string): readonly Readonly<JournalEntry>[] {
    return this.indexed(this.byAccount, accountId);
  }

  /** How many intents of the account are outstanding. */
  outstandingCountOf(accountId: string): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }

  /** Whether an outstanding intent of the account matches (without listing them; not copied). */
  anyOutstandingInAccount(
    accountId: string,
    matches: (entry: Readonly<JournalEntry>) => boolean = () => true,
  ): boolean {
    for (const id of this.byAccount.get(accountId) ?? []) {
      const entry = this.entries.get(id);
      if (entry && matches(entry)) return true;
    }
    return false;
  }

  private indexed(index: Map<string, Set<string>>, name: string): JournalEntry[] {
    return [...(index.get(name) ?? [])].flatMap((id) => {
      const entry = this.entries.get(id);
      return entry ? [entry] : [];
    });
  }

  /** The last COMPLETED_KEPT completed requests, newest last. */
  completed(): CompletedEntry[] {
    return structuredClone(this.recent);
  }

  find(intentId: string): JournalEntry | undefined {
    const entry = this.entries.get(intentId);
    return entry && structuredClone(entry);
  }

  /** Waits for pending appends, folds the log into requests.json and closes the log. */
  async close(): Promise<void> {
    await this.batcher.idle();
    await this.compact();
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }

  private add(entry: JournalEntry): void {
    this.entries.set(entry.intentId, entry);
    indexUnder(this.byKey, entry.key, entry.intentId);
    indexUnder(this.byAccount, entry.accountId, entry.intentId);
  }

  private applyComplete(intentId: string, status: string, completedAt: string): void {
    const entry = this.entries.get(intentId);
    if (!entry) return;
    this.entries.delete(intentId);
    unindex(this.byKey, entry.key, intentId);
    unindex(this.byAccount, entry.accountId, intentId);
    this.recent.push({ ...entry, status, completedAt });
    if (this.recent.length > COMPLETED_KEPT) this.recent = this.recent.slice(-COMPLETED_KEPT);
  }

  /** One append + fsync per batch of what came in while the previous one ran. */
  private append(line: LogLine): Promise<void> {
    return this.batcher.append(`${JSON.stringify(line)}\n`);
  }

  private async appendAndSync(text: string): Promise<void> {
    this.handle ??= open(this.logFile, 'a', 0o600);
    const handle = await this.handle.catch((error: unknown) => {
      this.handle = undefined;
      throw error;
    });
    await handle.appendFile(text);
    await handle.datasync();
  }

  private shouldCompact(): boolean {
    if (this.logLines === 0) return false;
    if (this.entries.size === 0) return true;
    return this.logLines >= COMPACT_MIN_LINES && this.logLines > LOG_LINES_PER_ENTRY * this.entries.size;
  }

  /** Snapshot first (atomically), then the log emptied: a crash in between replays lines already folded in, which is harmless. */
  private async compact(): Promise<void> {
    const snapshot: JournalFile = {
      formatVersion: 1,
      outstanding: [...this.entries.values()],
      completed: this.recent,
    };
    await writeFileAtomic(this.file, `${JSON.stringify(snapshot, null, 2)}\n`);
    const handle = await this.handle?.catch(() => undefined);
    if (handle) await handle.truncate(0);
    else await truncate(this.logFile, 0).catch(ignoreMissing);
    this.logLines = 0;
  }

  private async load(repair: boolean): Promise<void> {
    // The log before the snapshot: a compaction renames the new snapshot into place before it empties the
    // log, so a reader beside a running journal never misses a line (lines the snapshot holds replay harmlessly).
    const logText = await readFile(this.logFile, 'utf8').catch(() => '');
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.loadProblems.push({
          code: 'UnreadableJournal',
          file: this.file,
          message: `cannot read the request journal ${this.file}: ${reason(error)}`,
        });
      }
      text = '';
    }
    if (text !== '') {
      const parsed = parseJournal(text);
      if (typeof parsed === 'string') {
        if (repair) await this.moveAside(this.file, parsed);
      } else {
        for (const entry of parsed.outstanding) this.add(entry);
        this.recent = parsed.completed ?? [];
      }
    }
    await this.replayLog(logText, repair);
  }

  private async replayLog(text: string, repair: boolean): Promise<void> {
    const lines = text.split('\n');
    const last = lines.length - 1;
    for (const [index, raw] of lines.entries()) {
      if (raw.trim() === '') continue;
      const line = parseLogLine(raw);
      if (line) {
        this.replay(line);
        this.logLines += 1;
        continue;
      }
      // A torn last line is a write a crash cut short: its caller never went on. Anything else is damage.
      if (index === last) continue;
      if (repair) await this.moveAside(this.logFile, `line ${index + 1} is not a journal record`);
      return;
    }
  }

  private replay(line: LogLine): void {
    if ('intend' in line) {
      if (!this.recent.some((done) => done.intentId === line.intend.intentId)) this.add(line.intend);
    } else if ('record' in line) {
      const entry = this.entries.get(line.record.intentId);
      if (entry) Object.assign(entry, line.record);
    } else {
      this.applyComplete(line.complete.intentId, line.complete.status, line.complete.completedAt);
    }
  }

  private async moveAside(file: string, why: string): Promise<void> {
    const movedTo = `${file}.${this.now().getTime()}.corrupt`;
    const moved = await rename(file, movedTo).then(
      () => true,
      () => false,
    );
    this.loadProblems.push({
      code: 'CorruptJournal',
      file,
      ...(moved ? { movedTo } : {}),
      message:
        `the request journal ${file} is unusable (${why})` +
        (moved ? `; moved it to ${movedTo}` : '') +
        '. Requests sent before the restart are only known from the platform now.',
    });
  }
}

function indexUnder(index: Map<string, Set<string>>, name: string, id: string): void {
  const ids = index.get(name) ?? new Set<string>();
  ids.add(id);
  index.set(name, ids);
}

function unindex(index: Map<string, Set<string>>, name: string, id: string): void {
  const ids = index.get(name);
  ids?.delete(id);
  if (ids?.size === 0) index.delete(name);
}

function logFileOf(file: string): string {
  return file.replace(/\.json$/, '') + '.log';
}

function parseLogLine(raw: string): LogLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const line = value as Record<string, Record<string, unknown> | undefined> | null;
  if (!line || typeof line !== 'object') return undefined;
  if (isEntry(line.intend)) return line as LogLine;
  const record = line.record;
  if (typeof record?.intentId === 'string' && typeof record.platformRequestId === 'string')
    return line as LogLine;
  const complete = line.complete;
  if (typeof complete?.intentId === 'string' && typeof complete.status === 'string') return line as LogLine;
  return undefined;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function parseJournal(text: string): JournalFile | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${reason(error)}`;
  }
  const file = value as Partial<JournalFile> | null;
  const outstanding = file?.outstanding;
  if (!Array.isArray(outstanding) || !outstanding.every(isEntry)) return 'not a request journal';
  const completed = Array.isArray(file?.completed) ? file.completed.filter(isEntry) : [];
  return { formatVersion: 1, outstanding, completed };
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.intentId === 'string' &&
    typeof entry.key === 'string' &&
    typeof entry.accountId === 'string' &&
    typeof entry.runtimeId === 'string' &&
    typeof entry.kind === 'string' &&
    Array.isArray(entry.components)
  );
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
