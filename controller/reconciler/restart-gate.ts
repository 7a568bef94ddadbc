// Spreads restarts across AtomVersions the way `apply` spreads them across waves: at most
// maxConcurrentRestarts runtimes restart at once, and PROD runtimes wait while a TEST runtime restarts or
// has a change waiting to be sent. Only AtomVersionUpdateRequests restart a runtime; pack requests pass.
import type { Classification, PlannedRequest } from '../domain/types.js';

export type GateVerdict =
  | { admitted: true }
  | { admitted: false; reason: 'WaitingForRestartSlot' | 'WaitingForTestRuntimes'; message: string };

export class RestartGate {
  /** Runtimes restarting (a request of ours is outstanding) → their classification (undefined: unknown). */
  private readonly restarting = new Map<string, Classification | undefined>();
  /** AtomVersions whose TEST runtimes have a change not yet sent. */
  private readonly pendingTest = new Set<string>();

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
    const newRuntimes = [...runtimes].filter((id) => !this.restarting.has(id));
    if (this.restarting.size + newRuntimes.length > Math.max(1, this.maxConcurrentRestarts)) {
      return {
        admitted: false,
        reason: 'WaitingForRestartSlot',
        message: `${this.restarting.size} runtime(s) are restarting; at most ${this.maxConcurrentRestarts} restart at once (maxConcurrentRestarts)`,
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
  }

  get restartingCount(): number {
    return this.restarting.size;
  }

  private testBusy(key: string): boolean {
    for (const classification of this.restarting.values()) if (classification !== 'PROD') return true;
    for (const other of this.pendingTest) if (other !== key) return true;
    return false;
  }
}

export function restartsRuntime(request: Pick<PlannedRequest, 'kind'>): boolean {
  return request.kind === 'AtomVersionUpdateRequest';
}
