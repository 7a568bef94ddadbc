// Desired state from a folder of pin files, watched with chokidar. Changes are debounced so an editor's
// save, a `git pull` or a rename arrives as one snapshot; the revision is a hash of the YAML files'
// paths and contents, so a touch that changes nothing emits nothing.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { loadPins, type LoadPinsOptions } from './load-pins.js';
import { listPinFiles } from './pin-files.js';
import type { Source, SourceError, SourceSnapshot } from './source.js';
import type { SourceNamespaces } from './source-namespaces.js';
import { CoalescingRunner } from '../util/coalescing-runner.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';

export interface DirectorySourceOptions {
  /** The pins folder (the CLI resolves it against the config file's folder). */
  path: string;
  name?: string;
  /** Quiet time after the last change before reloading. Default 300 ms. */
  debounceMs?: number;
  /** chokidar's awaitWriteFinish: wait until a file's size stops changing. `false` turns it off. */
  awaitWriteFinish?: { stabilityThreshold: number; pollInterval: number } | false;
  /** Poll instead of using native events (network file systems, some containers). */
  usePolling?: boolean;
  loadOptions?: Omit<LoadPinsOptions, 'origin'>;
  /** The namespace(s) the config gives the folder's files; without it, each file's metadata.namespace. */
  namespaces?: SourceNamespaces;
  timers?: Timers;
}

const DEFAULT_DEBOUNCE_MS = 300;
const DEFAULT_WRITE_FINISH = { stabilityThreshold: 150, pollInterval: 50 };
const YAML_FILE = /\.ya?ml$/i;

export class DirectorySource implements Source {
  readonly name: string;
  private readonly root: string;
  private readonly timers: Timers;
  private watcher?: FSWatcher;
  private onChange?: (snapshot: SourceSnapshot) => void;
  private debounce?: TimerHandle;
  private readonly loader = new CoalescingRunner(() => this.loadAndEmit());
  private stopped = false;
  private lastGood: SourceSnapshot = { revision: '', desired: [], problems: [] };
  private lastEmitted?: string;

  constructor(private readonly options: DirectorySourceOptions) {
    this.root = resolve(options.path);
    this.name = options.name ?? `directory:${options.path}`;
    this.timers = options.timers ?? realTimers;
  }

  async start(onChange: (snapshot: SourceSnapshot) => void): Promise<void> {
    this.onChange = onChange;
    // Watch first, then load: a change made while loading schedules another load instead of being lost.
    this.watcher = watch(this.root, {
      ignoreInitial: true,
      ignored: (path, stats) => isIgnoredPath(this.root, path, stats),
      awaitWriteFinish: this.options.awaitWriteFinish ?? DEFAULT_WRITE_FINISH,
      usePolling: this.options.usePolling ?? false,
      persistent: true,
    });
    this.watcher.on('all', (event, path) => {
      if (event === 'addDir' || event === 'unlinkDir' || YAML_FILE.test(path)) this.schedule();
    });
    this.watcher.on('error', () => this.schedule());
    await new Promise<void>((ready) => this.watcher?.once('ready', ready));
    await this.syncNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    await this.watcher?.close();
    await this.loader.idle();
  }

  triggerNow(): void {
    void this.syncNow();
  }

  /** Reads the folder now (emitting if it changed); resolves once a read that started after the call is done. */
  syncNow(): Promise<void> {
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    this.debounce = undefined;
    return this.loader.run();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    this.debounce = this.timers.setTimeout(() => {
      this.debounce = undefined;
      void this.loader.run();
    }, this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  private async loadAndEmit(): Promise<void> {
    if (this.stopped) return;
    const snapshot = await this.read();
    if (this.stopped) return;
    const identity = `${snapshot.revision}\n${snapshot.error?.code ?? ''}\n${snapshot.error?.message ?? ''}`;
    if (identity === this.lastEmitted) return;
    this.lastEmitted = identity;
    try {
      this.onChange?.(snapshot);
    } catch {
      // a failing listener must not stop the watch
    }
  }

  private async read(): Promise<SourceSnapshot> {
    const notFound = {
      code: 'DirectoryNotFound',
      message: `pins directory ${this.options.path} does not exist or cannot be read`,
    };
    try {
      const revision = await directoryRevision(this.root);
      if (revision === undefined) return this.failed(notFound);
      const root = {
        path: this.root,
        ...(this.options.namespaces && { namespaces: this.options.namespaces }),
      };
      // Pins of one runtime are kept: the controller refuses each with a status (domain/pin-refusals.ts).
      const { desired, releases, problems } = await loadPins(root, {
        duplicateRuntimes: 'keep',
        ...this.options.loadOptions,
        origin: { source: 'file' },
      });
      if (problems.some((problem) => problem.code === 'DirectoryNotFound'))
        return this.failed(notFound, problems);
      this.lastGood = { revision, desired, releases, problems };
      return this.lastGood;
    } catch (error) {
      const message = `cannot read pins directory ${this.options.path}: ${(error as Error).message}`;
      return this.failed({ code: 'DirectoryReadFailed', message });
    }
  }

  private failed(error: SourceError, problems = this.lastGood.problems): SourceSnapshot {
    return { ...this.lastGood, problems, error };
  }
}

/** The watcher's filter: hidden entries are skipped; of files, only YAML counts; directories are walked. */
export function isIgnoredPath(root: string, path: string, stats?: Stats): boolean {
  const inside = relative(root, path);
  if (inside === '') return false;
  if (inside.split(sep).some((segment) => segment.startsWith('.'))) return true;
  if (stats?.isFile()) return !YAML_FILE.test(basename(path));
  return false;
}

/** sha256 over the sorted (path, sha256 of content) list of the folder's YAML files; undefined when unreadable. */
async function directoryRevision(dir: string): Promise<string | undefined> {
  const listing = await listPinFiles(dir);
  if (!listing.ok) return undefined;
  const lines: string[] = [];
  for (const file of listing.files) {
    const content = file.linksOutsideTo ? undefined : await readFile(file.path).catch(() => undefined);
    const digest = content ? createHash('sha256').update(content).digest('hex') : 'not read';
    lines.push(`${file.relative}\0${digest}`);
  }
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
