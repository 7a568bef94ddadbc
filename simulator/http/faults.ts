// Transport faults for /api and /partner routes: a share of 503s, added latency and connection resets.
// Draws come from a seeded PRNG so tests are reproducible.
import { SimError } from '../model/port.js';

export interface FaultSettings {
  /** Share of requests answered 503, 0..1. */
  errorRatio503: number;
  /** Milliseconds added before answering. */
  latencyMs: number;
  /** Share of requests whose connection is destroyed before answering, 0..1. */
  resetRatio: number;
}

export type FaultDecision = { kind: 'reset' } | { kind: 'unavailable' } | { kind: 'none' };

const NO_FAULTS: FaultSettings = { errorRatio503: 0, latencyMs: 0, resetRatio: 0 };

/** mulberry32: small, fast, good enough for fault dice. Returns values in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private current: FaultSettings = { ...NO_FAULTS };
  private readonly random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  settings(): FaultSettings {
    return { ...this.current };
  }

  /** The settings `patch` would give (validated, nothing applied); absent fields keep their value. */
  prepare(patch: Record<string, unknown>): FaultSettings {
    const next = { ...this.current };
    if (patch['errorRatio503'] !== undefined)
      next.errorRatio503 = ratio(patch['errorRatio503'], 'errorRatio503');
    if (patch['resetRatio'] !== undefined) next.resetRatio = ratio(patch['resetRatio'], 'resetRatio');
    if (patch['latencyMs'] !== undefined) next.latencyMs = nonNegative(patch['latencyMs'], 'latencyMs');
    return next;
  }

  set(settings: FaultSettings): void {
    this.current = { ...settings };
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
  }

  /** Rolls the dice for one request. A ratio of 0 draws nothing, so sequences stay reproducible. */
  decide(): FaultDecision {
    if (this.roll(this.current.resetRatio)) return { kind: 'reset' };
    if (this.roll(this.current.errorRatio503)) return { kind: 'unavailable' };
    return { kind: 'none' };
  }

  private roll(share: number): boolean {
    if (share <= 0) return false;
    if (share >= 1) return true;
    return this.random() < share;
  }
}

function ratio(value: unknown, name: string): number {
  const n = nonNegative(value, name);
  if (n > 1) throw new SimError(400, `${name} must be between 0 and 1.`);
  return n;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SimError(400, `${name} must be a number >= 0.`);
  }
  return value;
}
