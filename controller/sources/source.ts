// A source of desired state (docs/architecture.md, "Data flow"): a pins directory, a git repository or the Kubernetes API.
// A source pushes whole snapshots; the reconciler diffs them against the previous one.

import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import type { PinProblem } from './pin-problem.js';

export interface SourceError {
  /** Machine readable: GitFetchFailed, InvalidRevision, DirectoryNotFound… */
  code: string;
  /** What went wrong, for a person (never holds a secret). */
  message: string;
}

/**
 * An AtomVersion the source holds but refuses on its own (a Kubernetes object stands alone, unlike a pin
 * file): it is not in `desired`, makes no source error, and its refusal is reported on it alone.
 */
export interface RefusedAtomVersion {
  /** `namespace/name`. */
  key: string;
  /** CamelCase: InvalidSpec, DuplicateRuntime. */
  reason: string;
  /** What is wrong, naming the field or the other AtomVersion. */
  message: string;
  /** What to do about it. */
  advice: string;
}

export interface SourceSnapshot {
  /** Identifies the content: a commit SHA for git, a content hash for a directory. */
  revision: string;
  desired: DesiredAtomVersion[];
  problems: PinProblem[];
  /** AtomVersions refused one by one (see RefusedAtomVersion); absent when the source has none. */
  refused?: RefusedAtomVersion[];
  /** IntegrationPackRelease documents of the same files (docs/publisher.md); absent for sources without them. */
  releases?: DesiredPackRelease[];
  /**
   * Set while the source cannot deliver its newest content (remote unreachable, a commit that does not
   * load). `revision` and `desired` are then the last good ones (empty when there never was one), so the
   * consumer keeps working from them and reports Stalled with this message.
   */
  error?: SourceError;
}

export interface Source {
  readonly name: string;
  /** Reads the initial content, emits its snapshot, then keeps watching. Resolves once that first snapshot was emitted. */
  start(onChange: (snapshot: SourceSnapshot) => void): Promise<void>;
  /** Stops watching; resolves when nothing of the source runs any more. */
  stop(): Promise<void>;
  /** Look now instead of at the next interval (a webhook arrived). */
  triggerNow?(): void;
}
