// The union of what every source wants, keyed by AtomVersion. Sources push whole snapshots; update()
// says which keys appeared, changed (a new spec generation) or disappeared. When two sources hold the same
// key, the source registered first wins and the other copy is ignored (and reported).
import type { DesiredAtomVersion } from '../domain/types.js';
import { formatProblem } from '../sources/load-pins.js';
import type { SourceError, SourceSnapshot } from '../sources/source.js';

export interface DesiredEntry {
  doc: DesiredAtomVersion;
  source: string;
  /** The source's revision the doc was last seen at. */
  revision: string;
}

export interface SourceState {
  name: string;
  /** The revision in use: the newest good one (empty before the first). */
  revision: string;
  error?: SourceError;
  /** Pin documents that did not load (they are not in the desired set). */
  problems: number;
  /** Whether the source has delivered its first snapshot. */
  synced: boolean;
  /** Whether it ever delivered good content (a revision). */
  hasContent: boolean;
}

export interface DesiredDiff {
  added: string[];
  changed: string[];
  removed: string[];
  /** The source's error appeared, changed or cleared: its keys need a status update. */
  errorChanged: boolean;
  /** Keys the source holds after the update. */
  keysOfSource: string[];
  /** Keys this source holds that another source already claims. */
  shadowed: string[];
}

export class DesiredSet {
  private readonly order: string[] = [];
  private readonly perSource = new Map<string, Map<string, DesiredAtomVersion>>();
  private readonly states = new Map<string, SourceState>();
  private readonly merged = new Map<string, DesiredEntry>();

  /** Sources must be registered in precedence order before their first update. */
  register(name: string): void {
    if (this.states.has(name)) return;
    this.order.push(name);
    this.perSource.set(name, new Map());
    this.states.set(name, { name, revision: '', problems: 0, synced: false, hasContent: false });
  }

  update(name: string, snapshot: SourceSnapshot): DesiredDiff {
    this.register(name);
    const previous = this.perSource.get(name) ?? new Map<string, DesiredAtomVersion>();
    const next = new Map(snapshot.desired.map((doc) => [doc.key, doc] as const));
    const error = snapshot.error ?? problemsError(snapshot);
    if (!snapshot.error && error) {
      // A file that stops loading must not read as "pin deleted": its AtomVersions keep their last spec.
      for (const [key, doc] of previous) if (!next.has(key)) next.set(key, doc);
    }
    const state = this.states.get(name);
    const errorBefore = JSON.stringify(state?.error ?? null);
    this.perSource.set(name, next);
    this.states.set(name, {
      name,
      revision: snapshot.revision,
      ...(error ? { error } : {}),
      problems: snapshot.problems.length,
      synced: true,
      hasContent: (state?.hasContent ?? false) || snapshot.revision !== '',
    });
    const diff: DesiredDiff = {
      added: [],
      changed: [],
      removed: [],
      errorChanged: errorBefore !== JSON.stringify(error ?? null),
      keysOfSource: [...next.keys()],
      shadowed: [],
    };
    for (const key of new Set([...previous.keys(), ...next.keys()])) this.remerge(key, diff);
    diff.shadowed = [...next.keys()].filter((key) => this.merged.get(key)?.source !== name);
    return diff;
  }

  get(key: string): DesiredEntry | undefined {
    return this.merged.get(key);
  }

  has(key: string): boolean {
    return this.merged.has(key);
  }

  keys(): string[] {
    return [...this.merged.keys()];
  }

  entries(): DesiredEntry[] {
    return [...this.merged.values()];
  }

  get size(): number {
    return this.merged.size;
  }

  source(name: string): SourceState | undefined {
    const state = this.states.get(name);
    return state && { ...state };
  }

  sources(): SourceState[] {
    return this.order.flatMap((name) => {
      const state = this.states.get(name);
      return state ? [{ ...state }] : [];
    });
  }

  /** True once every registered source delivered its first snapshot. */
  get synced(): boolean {
    return this.order.every((name) => this.states.get(name)?.synced === true);
  }

  /** A source that is failing and never delivered content may be hiding any key. */
  get anySourceWithoutContent(): SourceState | undefined {
    return this.sources().find((state) => state.error !== undefined && !state.hasContent);
  }

  private remerge(key: string, diff: DesiredDiff): void {
    const before = this.merged.get(key);
    const after = this.winner(key);
    if (!after) {
      if (before) {
        this.merged.delete(key);
        diff.removed.push(key);
      }
      return;
    }
    this.merged.set(key, after);
    if (!before) diff.added.push(key);
    else if (before.doc.generation !== after.doc.generation || before.source !== after.source)
      diff.changed.push(key);
  }

  private winner(key: string): DesiredEntry | undefined {
    for (const name of this.order) {
      const doc = this.perSource.get(name)?.get(key);
      if (doc) return { doc, source: name, revision: this.states.get(name)?.revision ?? '' };
    }
    return undefined;
  }
}

/** Pin documents that do not load make the source's state an error (the others still apply). */
function problemsError(snapshot: SourceSnapshot): SourceError | undefined {
  const first = snapshot.problems[0];
  if (!first) return undefined;
  const count = snapshot.problems.length === 1 ? '1 pin problem' : `${snapshot.problems.length} pin problems`;
  return {
    code: 'InvalidPins',
    message: `${count} (first: ${formatProblem(first)}); AtomVersions of files that do not load keep their last good spec`,
  };
}
