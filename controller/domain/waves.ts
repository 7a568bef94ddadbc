// Spreading restarts (docs/rules.md, "The plan"): TEST runtimes first, then runtimes without a classification (they are
// in no environment, so they serve no deployed work), then PROD; at most maxConcurrentRestarts runtimes
// per wave, and a classification never shares a wave with the next one. Order inside a classification:
// account id, runtime name, runtime id — so the same input always gives the same waves.
import type { Classification, PlannedRequest } from './types.js';

/** The requests for one runtime; they restart it once, so they share a wave. */
export interface RuntimeRequestGroup {
  accountId: string;
  runtimeId: string;
  runtimeName: string;
  classification?: Classification;
  /** Their wave is set by assignWaves. */
  requests: PlannedRequest[];
}

function classificationRank(classification: Classification | undefined): number {
  if (classification === 'TEST') return 0;
  if (classification === 'PROD') return 2;
  return 1;
}

function compareRuntimeGroups(a: RuntimeRequestGroup, b: RuntimeRequestGroup): number {
  return (
    classificationRank(a.classification) - classificationRank(b.classification) ||
    compareText(a.accountId, b.accountId) ||
    compareText(a.runtimeName, b.runtimeName) ||
    compareText(a.runtimeId, b.runtimeId)
  );
}

/** Orders the groups into waves (numbered from 1) and returns their requests in wave order. */
export function assignWaves(
  groups: readonly RuntimeRequestGroup[],
  maxConcurrentRestarts: number,
): PlannedRequest[] {
  const perWave = Math.max(1, Math.floor(maxConcurrentRestarts) || 1);
  const ordered = [...groups].sort(compareRuntimeGroups);
  const requests: PlannedRequest[] = [];
  let wave = 0;
  let inWave = perWave;
  let rank = -1;
  for (const group of ordered) {
    const groupRank = classificationRank(group.classification);
    if (inWave >= perWave || groupRank !== rank) {
      wave += 1;
      inWave = 0;
      rank = groupRank;
    }
    inWave += 1;
    for (const request of group.requests) {
      request.wave = wave;
      requests.push(request);
    }
  }
  return requests;
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
