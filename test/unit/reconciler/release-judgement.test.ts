// What `run` does about one IntegrationPackRelease per cycle: a generation is sent once, then followed;
// a failed or undone release and a send interrupted before the answer stall instead of sending again.
import { describe, expect, it } from 'vitest';
import type { PackReleaseResult } from '../../../controller/domain/plan-pack-releases.js';
import { judgeRelease } from '../../../controller/reconciler/release-judgement.js';
import { conditionsOf, type PackReleaseStatus } from '../../../controller/reconciler/release-status.js';

const result = (
  outcome: PackReleaseResult['outcome'],
  extra: Partial<PackReleaseResult> = {},
): PackReleaseResult => ({
  key: 'publishing/workday',
  accountId: 'acme-publisher-A1B2C3',
  pack: 'Workday Sync',
  outcome,
  message: outcome === 'InSync' ? 'released: c-workers 2.0' : 'release c-workers 1.0 → 2.0 now',
  ...extra,
});

const sent = (fields: Partial<PackReleaseStatus>): PackReleaseStatus => ({
  key: 'publishing/workday',
  observedGeneration: 'g1',
  conditions: [],
  pack: 'Workday Sync',
  lastReconciled: '2026-12-01T00:00:00.000Z',
  ...fields,
});

describe('judgeRelease', () => {
  it('sends a planned release of a generation not sent before, and not while suspended', () => {
    expect(judgeRelease({ generation: 'g1', result: result('Release') })).toEqual({ send: true });
    expect(judgeRelease({ generation: 'g1', result: result('Release'), suspended: true })).toMatchObject({
      send: false,
      state: 'NotReady',
      reason: 'Suspended',
    });
  });

  it('never sends a generation twice: an undone SUCCESS and an ERROR stall, an in-progress one is followed', () => {
    const previous = sent({ sentGeneration: 'g1', lastRequestId: 'release-1', releaseStatus: 'SUCCESS' });
    expect(judgeRelease({ generation: 'g1', previous, result: result('Release') })).toMatchObject({
      state: 'Stalled',
      reason: 'ChangedOutsideAtomsync',
    });
    expect(
      judgeRelease({ generation: 'g1', previous, result: result('Release'), followedStatus: 'ERROR' }),
    ).toMatchObject({ state: 'Stalled', reason: 'ReleaseFailed' });
    expect(
      judgeRelease({ generation: 'g1', previous, result: result('Release'), followedStatus: 'INPROGRESS' }),
    ).toMatchObject({ state: 'Reconciling', reason: 'ReleaseInProgress' });
    expect(judgeRelease({ generation: 'g2', previous, result: result('Release') })).toEqual({ send: true });
  });

  it('stalls a send interrupted before the platform answered unless the pack shows the release', () => {
    const previous = sent({ sendingGeneration: 'g1' });
    expect(judgeRelease({ generation: 'g1', previous, result: result('Release') })).toMatchObject({
      state: 'Stalled',
      reason: 'SendOutcomeUnknown',
    });
    expect(judgeRelease({ generation: 'g1', previous, result: result('InSync') })).toMatchObject({
      state: 'Ready',
      reason: 'InSync',
    });
  });

  it('stalls a refused or blocked document with its reason', () => {
    const refusal = { reason: 'UnknownAccount', message: "account 'x' is not in the config" };
    expect(judgeRelease({ generation: 'g1', refusal })).toMatchObject({
      state: 'Stalled',
      reason: 'UnknownAccount',
    });
    const blocked = result('Blocked', { reason: 'NotPublisher', message: 'does not publish' });
    expect(judgeRelease({ generation: 'g1', result: blocked })).toMatchObject({ reason: 'NotPublisher' });
  });
});

describe('conditionsOf', () => {
  it('keeps Ready, sets Reconciling or Stalled only while true, and moves lastTransitionTime on a flip only', () => {
    const t1 = new Date('2026-12-01T00:00:00Z');
    const t2 = new Date('2026-12-01T00:05:00Z');
    const stalled = conditionsOf([], { state: 'Stalled', reason: 'NotPublisher', message: 'm' }, t1);
    expect(stalled.map((c) => `${c.type}=${c.status}`)).toEqual(['Ready=False', 'Stalled=True']);
    const failedAgain = conditionsOf(
      stalled,
      { state: 'Stalled', reason: 'ReleaseFailed', message: 'm2' },
      t2,
    );
    expect(failedAgain[0]?.lastTransitionTime).toBe(t1.toISOString());
    const ready = conditionsOf(failedAgain, { state: 'Ready', reason: 'Released', message: 'ok' }, t2);
    expect(ready).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Released',
        message: 'ok',
        lastTransitionTime: t2.toISOString(),
      },
    ]);
  });
});
