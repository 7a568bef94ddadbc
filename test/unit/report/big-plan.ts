// A large plan (hundreds of runtimes) for the comment-splitting tests.

import type { PinResult, Plan, PlannedRequest } from '../../../controller/domain/types.js';
import { planOf } from './demo-plans.js';

export function bigPlan(runtimeCount: number, accountCount = 3): Plan {
  const pins: PinResult[] = [];
  const changes: PlannedRequest[] = [];
  for (let index = 0; index < runtimeCount; index += 1) {
    const accountId = `acme-tenant-${String(index % accountCount).padStart(2, '0')}`;
    const runtimeId = `runtime-${String(index).padStart(5, '0')}`;
    const runtimeName = `Fleet Atom ${String(index).padStart(5, '0')}`;
    const key = `fleet/atom-${index}`;
    const base = { key, accountId, runtimeId, runtimeName };
    const changing = index % 3 !== 0;
    pins.push({
      ...base,
      kind: 'runtime',
      name: 'Atom',
      wanted: 'channel:pending',
      current: changing ? '26.11.0' : '26.12.0',
      target: '26.12.0',
      outcome: changing ? 'ApplyPending' : 'InSync',
      message: 'Apply the pending runtime version 26.12.0.',
    });
    pins.push({
      ...base,
      kind: 'connector',
      name: 'HTTP Client',
      wanted: '26.11.0',
      current: '26.11.0',
      target: '26.11.0',
      outcome: 'InSync',
      message: 'In sync.',
    });
    if (index % 5 === 0) {
      pins.push({
        ...base,
        kind: 'connector',
        name: 'Database',
        wanted: '26.12.0',
        current: '26.11.0',
        target: '26.12.0',
        outcome: 'Blocked',
        reason: 'RequiresAtomVersion',
        message: 'Database 26.12.0 needs Atom 26.12.0.',
        advice: 'Pin Atom to 26.12.0 in the same AtomVersion.',
      });
    }
    if (changing) {
      changes.push({
        accountId,
        runtimeId,
        runtimeName,
        classification: index % 2 === 0 ? 'TEST' : 'PROD',
        kind: 'AtomVersionUpdateRequest',
        action: 'APPLY_PENDING',
        components: ['Atom'],
        wave: 1 + Math.floor(index / 2),
        keys: [key],
      });
    }
  }
  return planOf(pins, changes);
}
