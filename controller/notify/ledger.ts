// What the notifier must not forget across restarts, in `<stateDir>/notify.json` (rewritten atomically):
// the tracked items (so a restart sends no message for a state already announced), the ids of one-off
// events already sent, the outbox of messages not yet delivered, and receivers' memory (issue numbers).
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { Notification, TrackedItem } from './notifications.js';
import type { ReceiverMemory } from './receivers/receiver.js';

const NOTIFY_FILE = 'notify.json';
/** One-off event ids remembered (newest kept): far more than a cycle's worth of requests. */
const SENT_EVENTS_LIMIT = 2000;

export interface QueuedDelivery {
  receiver: string;
  notification: Notification;
  attempts: number;
  /** Epoch ms before which it is not tried again. */
  notBefore: number;
  lastError?: string;
}

interface NotifyFile {
  formatVersion: 1;
  items: TrackedItem[];
  sentEvents: string[];
  outbox: QueuedDelivery[];
  memory: Record<string, ReceiverMemory>;
}

export class NotifyLedger {
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly data: NotifyFile,
    /** Set when the file was unreadable and moved aside. */
    readonly problem?: string,
  ) {}

  static async open(stateDir: string): Promise<NotifyLedger> {
    const file = join(stateDir, NOTIFY_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new NotifyLedger(file, emptyFile());
      throw error;
    }
    const data = parseFile(text);
    if (data) return new NotifyLedger(file, data);
    const movedTo = `${file}.corrupt-${Date.now()}`;
    await rename(file, movedTo);
    const problem = `${file} could not be read; moved to ${movedTo}. Open manual tasks will be announced again.`;
    return new NotifyLedger(file, emptyFile(), problem);
  }

  itemsOf(keys: ReadonlySet<string>): TrackedItem[] {
    return this.data.items.filter((item) => keys.has(item.subject.key));
  }

  /** Replaces the tracked items of `keys` with `items`. */
  replaceItems(keys: ReadonlySet<string>, items: readonly TrackedItem[]): void {
    this.data.items = [...this.data.items.filter((item) => !keys.has(item.subject.key)), ...items];
    this.dirty = true;
  }

  /** True the first time an event id is seen (and remembers it). */
  firstTime(eventId: string): boolean {
    if (this.data.sentEvents.includes(eventId)) return false;
    this.data.sentEvents = [...this.data.sentEvents, eventId].slice(-SENT_EVENTS_LIMIT);
    this.dirty = true;
    return true;
  }

  /** The outbox, shared with the dispatcher (which changes it in place and calls touch()). */
  get outbox(): QueuedDelivery[] {
    return this.data.outbox;
  }

  memory(receiver: string): ReceiverMemory {
    this.data.memory[receiver] ??= {};
    return this.data.memory[receiver];
  }

  touch(): void {
    this.dirty = true;
  }

  /** Writes the file when something changed; saves never overlap. */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      await writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
    });
    return this.saving;
  }
}

function emptyFile(): NotifyFile {
  return { formatVersion: 1, items: [], sentEvents: [], outbox: [], memory: {} };
}

function parseFile(text: string): NotifyFile | undefined {
  try {
    const data = JSON.parse(text) as Partial<NotifyFile>;
    if (data.formatVersion !== 1 || !Array.isArray(data.items) || !Array.isArray(data.outbox))
      return undefined;
    return {
      formatVersion: 1,
      items: data.items,
      sentEvents: Array.isArray(data.sentEvents) ? data.sentEvents : [],
      outbox: data.outbox,
      memory: typeof data.memory === 'object' && data.memory !== null ? data.memory : {},
    };
  } catch {
    return undefined;
  }
}
