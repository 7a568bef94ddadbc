// A write-ahead journal of platform requests the controller is about to send or has sent and not yet
// seen finish. It lives in `<stateDir>/requests.json`, rewritten atomically on every change.
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
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { removeLeftoverTempFiles, writeFileAtomic } from '../util/atomic-write.js';
import type { RequestKind } from '../domain/types.js';

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

export class RequestJournal {
  private readonly entries = new Map<string, JournalEntry>();
  private recent: CompletedEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private loadProblems: JournalProblem[] = [];

  private constructor(
    readonly file: string,
    private readonly now: () => Date,
  ) {}

  /** Opens the journal in `stateDir`, replaying what a previous run left outstanding. */
  static async open(stateDir: string, options: RequestJournalOptions = {}): Promise<RequestJournal> {
    const journal = new RequestJournal(
      join(stateDir, options.fileName ?? JOURNAL_FILE),
      options.now ?? (() => new Date()),
    );
    await journal.load();
    return journal;
  }

  /** A journal that could not be read at open(); its intents are lost, so resolve from the platform. */
  get problems(): readonly JournalProblem[] {
    return this.loadProblems;
  }

  /** Writes the intent to disk; send the request only after this resolves. */
  async intend(input: IntentInput): Promise<JournalEntry> {
    const entry: JournalEntry = {
      ...structuredClone(input),
      intentId: input.intentId ?? randomUUID(),
      intendedAt: this.now().toISOString(),
    };
    this.entries.set(entry.intentId, entry);
    await this.persist();
    return structuredClone(entry);
  }

  /** The platform accepted the request under `platformRequestId`. False when the intent is unknown. */
  async record(intentId: string, platformRequestId: string): Promise<boolean> {
    const entry = this.entries.get(intentId);
    if (!entry) return false;
    entry.platformRequestId = platformRequestId;
    entry.recordedAt = this.now().toISOString();
    await this.persist();
    return true;
  }

  /**
   * The request reached a final state (`status`: the platform's, or `NotSent`). Removes the intent.
   * False when it was not outstanding (completing twice is harmless).
   */
  async complete(intentId: string, status: string): Promise<boolean> {
    const entry = this.entries.get(intentId);
    if (!entry) return false;
    this.entries.delete(intentId);
    this.recent = [...this.recent, { ...entry, status, completedAt: this.now().toISOString() }].slice(
      -COMPLETED_KEPT,
    );
    await this.persist();
    return true;
  }

  /** Intents not completed yet, oldest first. */
  outstanding(): JournalEntry[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  /** The last COMPLETED_KEPT completed requests, newest last. */
  completed(): CompletedEntry[] {
    return structuredClone(this.recent);
  }

  find(intentId: string): JournalEntry | undefined {
    const entry = this.entries.get(intentId);
    return entry && structuredClone(entry);
  }

  /** Writes the current state; writes happen one at a time, in call order. */
  private persist(): Promise<void> {
    const snapshot: JournalFile = {
      formatVersion: 1,
      outstanding: [...this.entries.values()],
      completed: this.recent,
    };
    const text = `${JSON.stringify(snapshot, null, 2)}\n`;
    const next = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, text));
    this.writing = next;
    return next;
  }

  private async load(): Promise<void> {
    await removeLeftoverTempFiles(this.file);
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.loadProblems.push({
        code: 'UnreadableJournal',
        file: this.file,
        message: `cannot read the request journal ${this.file}: ${reason(error)}`,
      });
      return;
    }
    const parsed = parseJournal(text);
    if (typeof parsed === 'string') {
      await this.moveAside(parsed);
      return;
    }
    for (const entry of parsed.outstanding) this.entries.set(entry.intentId, entry);
    this.recent = parsed.completed ?? [];
  }

  private async moveAside(why: string): Promise<void> {
    const movedTo = `${this.file}.${this.now().getTime()}.corrupt`;
    const moved = await rename(this.file, movedTo).then(
      () => true,
      () => false,
    );
    this.loadProblems.push({
      code: 'CorruptJournal',
      file: this.file,
      ...(moved ? { movedTo } : {}),
      message:
        `the request journal ${this.file} is unusable (${why})` +
        (moved ? `; moved it to ${movedTo}` : '') +
        '. Requests sent before the restart are only known from the platform now.',
    });
  }
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
