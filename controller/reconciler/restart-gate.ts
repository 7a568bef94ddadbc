// Spreads restarts across AtomVersions the way `apply` spreads them across waves: at most
// maxConcurrentRestarts runtimes restart at once, and PROD runtimes wait while a TEST runtime restarts or
// has a change waiting to be sent. Only AtomVersionUpdateRequests restart a runtime; pack requests pass.
//
// What counts as restarting is the union of two views: the request journal (what this process sent), and
// the platform's truth from the observations the controller makes anyway (runtimes it shows RESTARTING,
// and runtimes with a version request in progress). The second view is what keeps the limits after a
// crash, a lost journal or a failover, when the journal alone would know nothing. A runtime of unknown
// classification counts as TEST: PROD waits rather than guess.
import type { Classification, PlannedRequest, RuntimeState } from '../domain/types.js';

export type GateVerdict =
  | { admitted: true }
  | { admitted: false; reason: 'WaitingForRestartSlot' | 'WaitingForTestRuntimes'; message: string };

export class RestartGate {
  /** Runtimes restarting (a request of ours is outstanding) → their classification (undefined: unknown). */
  private readonly restarting = new Map<string, Classification | undefined>();
  /** AtomVersions whose TEST runtimes have a change not yet sent. */
  private readonly pendingTest = new Set<string>();
  /** Runtimes the platform shows busy → classification and what showed it. */
  private readonly platformBusy = new Map<string, PlatformBusy>();

  constructor(private readonly maxConcurrentRestarts: number) {}

  /**
   * May the key send these requests now? All or nothing. Admission reserves the runtimes' restart slots
   * at once (passes run in parallel: checking now and marking after the send let several through); the
   * sender releases a slot with `finished` when a request fails to go out or ends.
   */
  admit(key: string, requests: readonly PlannedRequest[]): GateVerdict {
    const restarts = requests.filter(restartsRuntime);
    if (restarts.length === 0) return { admitted: true };
    const runtimes = new Set(restarts.map((request) => request.runtimeId));
    const newRuntimes = [...runtimes].filter((id) => !this.isBusy(id)).length;
    const limit = Math.max(1, this.maxConcurrentRestarts);
    // The sum of both views bounds their union: only near the limit is the union counted.
    const busyAtMost = this.restarting.size + this.platformBusy.size;
    const busy = busyAtMost + newRuntimes <= limit ? busyAtMost : this.restartingCount;
    if (busy + newRuntimes > limit) {
      return {
        admitted: false,
        reason: 'WaitingForRestartSlot',
        message: `${busy} runtime(s) are restarting; at most ${this.maxConcurrentRestarts} restart at once (maxConcurrentRestarts)`,
      };
    }
    if (restarts.some((request) => request.classification === 'PROD') && this.testBusy(key)) {
      return {
        admitted: false,
        reason: 'WaitingForTestRuntimes',
        message: 'TEST runtimes restart before PROD ones; waiting for their changes to finish',
      };
    }
    for (const request of restarts) this.started(request.runtimeId, request.classification);
    return { admitted: true };
  }

  /** The key's TEST runtime has a change to make (PROD changes wait for it). */
  noteTestChange(key: string): void {
    this.pendingTest.add(key);
  }

  /** The key has nothing left to send on a TEST runtime. */
  clearTestChange(key: string): void {
    this.pendingTest.delete(key);
  }

  started(runtimeId: string, classification: Classification | undefined): void {
    this.restarting.set(runtimeId, classification);
  }

  finished(runtimeId: string): void {
    this.restarting.delete(runtimeId);
    this.platformBusy.delete(runtimeId);
  }

  /**
   * What an observation of an account showed. A runtime shown RESTARTING, or (when its versions were read:
   * `readInDepth`) with a version request outstanding, is busy; one shown otherwise is not — except that a
   * runtime not read in depth keeps a busy mark that came from a request, which only a read in depth or
   * the journal can clear.
   */
  notePlatform(runtimes: readonly RuntimeState[], readInDepth: (runtimeId: string) => boolean): void {
    for (const runtime of runtimes) {
      const deep = readInDepth(runtime.id);
      const requested = deep && runtime.outstanding.some((request) => restartsRuntime(request));
      const known = this.platformBusy.get(runtime.id);
      const classification = runtime.classification ?? known?.classification;
      if (runtime.restarting === true || requested) {
        // A read in depth knows whether a request is outstanding; only a shallow one keeps an earlier mark.
        // (Kept after a deep read that shows just RESTARTING, the mark would outlive the restart: once the
        // runtime's AtomVersion is in sync nobody reads it in depth again, and its slot stays taken.)
        this.platformBusy.set(runtime.id, {
          classification,
          byRequest: requested || (!deep && known?.byRequest === true),
        });
      } else if (deep || known?.byRequest !== true) {
        this.platformBusy.delete(runtime.id);
      }
    }
  }

  /** Runtimes restarting by either view (counted once when both show one). */
  get restartingCount(): number {
    let count = this.platformBusy.size;
    for (const id of this.restarting.keys()) if (!this.platformBusy.has(id)) count++;
    return count;
  }

  /**
   * Some runtime counts as restarting only because an observation showed it so (no request of this
   * process is outstanding on it). Only a new observation can show that restart end: nothing of ours
   * will call `finished` for it.
   */
  get busyByPlatformOnly(): boolean {
    for (const id of this.platformBusy.keys()) if (!this.restarting.has(id)) return true;
    return false;
  }

  private isBusy(runtimeId: string): boolean {
    return this.restarting.has(runtimeId) || this.platformBusy.has(runtimeId);
  }

  /**
   * A busy runtime is not known to be PROD (the journal's classification first, else the platform's), or
   * another key has a TEST change waiting. Walks the views without copying them: the gate is asked on
   * every pass, with up to every runtime of a fleet restarting.
   */
  private testBusy(key: string): boolean {
    for (const [id, classification] of this.restarting) {
      if ((classification ?? this.platformBusy.get(id)?.classification) !== 'PROD') return true;
    }
    for (const [id, entry] of this.platformBusy) {
      if (!this.restarting.has(id) && entry.classification !== 'PROD') return true;
    }
    for (const other of this.pendingTest) if (other !== key) return true;
    return false;
  }
}

interface PlatformBusy {
  classification: Classification | undefined;
  /** Marked by an outstanding request (not only by a RESTARTING status). */
  byRequest: boolean;
}

export function restartsRuntime(request: { kind: string }): boolean {
  return request.kind === 'AtomVersionUpdateRequest';
}
