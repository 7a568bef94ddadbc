import { describe, expect, it } from 'vitest';
import {
  HISTORY_LIMIT,
  appendHistory,
  findCondition,
  setCondition,
  type Condition,
  type ReconcileRecord,
} from '../../../controller/domain/status.js';

const t0 = '2026-11-23T08:00:00.000Z';
const t1 = new Date('2026-11-23T09:00:00Z');

describe('setCondition', () => {
  it('adds a condition that was not there, stamped now', () => {
    const conditions = setCondition(
      [],
      { type: 'Ready', status: 'True', reason: 'InSync', message: 'in sync' },
      t0,
    );
    expect(conditions).toEqual([
      { type: 'Ready', status: 'True', reason: 'InSync', message: 'in sync', lastTransitionTime: t0 },
    ]);
  });

  it('keeps the transition time when only the reason or message changes', () => {
    const before: Condition[] = [
      { type: 'Ready', status: 'False', reason: 'Applying', message: 'applying', lastTransitionTime: t0 },
    ];
    const after = setCondition(
      before,
      { type: 'Ready', status: 'False', reason: 'Waiting', message: 'waiting' },
      t1,
    );
    expect(after[0]).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'Waiting',
      message: 'waiting',
      lastTransitionTime: t0,
    });
  });

  it('moves the transition time when the status flips, leaving other conditions and the input alone', () => {
    const before: Condition[] = [
      { type: 'Ready', status: 'False', reason: 'Applying', message: 'applying', lastTransitionTime: t0 },
      { type: 'Drifted', status: 'True', reason: 'Drift', message: 'drift', lastTransitionTime: t0 },
    ];
    const after = setCondition(
      before,
      { type: 'Ready', status: 'True', reason: 'InSync', message: 'in sync' },
      t1,
    );
    expect(findCondition(after, 'Ready')?.lastTransitionTime).toBe(t1.toISOString());
    expect(findCondition(after, 'Drifted')).toBe(before[1]);
    expect(before[0]!.status).toBe('False');
  });
});

describe('appendHistory', () => {
  it('keeps only the newest ten records', () => {
    let history: ReconcileRecord[] = [];
    for (let i = 0; i < 13; i++) {
      history = appendHistory(history, {
        revision: `r${i}`,
        trigger: 'change',
        actions: [],
        result: 'InSync',
        durationMs: 1,
        at: t0,
      });
    }
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]!.revision).toBe('r3');
    expect(history.at(-1)!.revision).toBe('r12');
  });
});
