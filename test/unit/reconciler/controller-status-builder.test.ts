import { describe, expect, it } from 'vitest';
import { buildStatus, type PassFacts } from '../../../controller/reconciler/status-builder.js';
import { findCondition, type AtomVersionStatus, type PinStatus } from '../../../controller/domain/status.js';
import type { DriftItem } from '../../../controller/domain/types.js';
import { atomVersion } from '../domain/builders.js';

const T0 = new Date('2026-11-23T08:00:00Z');
const T1 = new Date('2026-11-23T08:05:00Z');

const inSync: PinStatus = {
  kind: 'runtime',
  name: 'Atom',
  wanted: '26.11.0',
  target: '26.11.0',
  current: '26.11.0',
  outcome: 'InSync',
  message: 'runs the pinned version',
};
const unreachable: PinStatus = {
  kind: 'runtime',
  name: 'Atom',
  wanted: '26.11.0',
  target: '26.11.0',
  current: '26.12.0',
  outcome: 'Blocked',
  reason: 'TargetUnreachable',
  message: 'Atom runs 26.12.0; 26.11.0 is neither pending nor the rollback version',
  advice: 'pin 26.12.0',
};

/** Prod West Atom runs Atom 26.12.0, pinned 26.11.0. */
const atomDrift: DriftItem = {
  key: 'integration/prod-west-atom',
  accountId: 'a',
  runtimeName: 'Prod West Atom',
  kind: 'runtime',
  name: 'Atom',
  wanted: '26.11.0',
  actual: '26.12.0',
  outcome: 'Manual',
};

function facts(extra: Partial<PassFacts> = {}): PassFacts {
  return {
    kind: 'plan',
    doc: atomVersion('prod-west-atom', { version: '26.11.0' }),
    revision: 'abc123def4567890',
    trigger: 'resync',
    startedAt: T0,
    finishedAt: T0,
    pins: [inSync],
    drift: [],
    runtime: { name: 'Prod West Atom', version: '26.11.0' },
    sent: [],
    inFlight: [],
    finished: [],
    ...extra,
  };
}

const condition = (status: AtomVersionStatus, type: 'Ready' | 'Reconciling' | 'Stalled' | 'Drifted') =>
  findCondition(status.conditions, type);

describe('status of an AtomVersion after a pass', () => {
  it('is Ready, not Drifted, with the applied revision and printer columns when every pin is in sync', () => {
    const status = buildStatus(undefined, facts());
    expect(condition(status, 'Ready')).toMatchObject({ status: 'True', reason: 'InSync' });
    expect(condition(status, 'Drifted')).toMatchObject({ status: 'False' });
    expect(condition(status, 'Stalled')).toMatchObject({ status: 'False' });
    expect(status).toMatchObject({
      observedGeneration: '1',
      lastAppliedRevision: 'abc123def4567890',
      lastAttemptedRevision: 'abc123def4567890',
      runtimeName: 'Prod West Atom',
      runtimeVersion: '26.11.0',
      synced: '1/1',
    });
    expect(status.history).toHaveLength(1);
  });

  it('reports a blocked pin as Ready False with its reason and advice, and Drifted True since then', () => {
    const drift = [{ ...atomDrift, outcome: 'Blocked' as const, reason: 'TargetUnreachable' as const }];
    const first = buildStatus(undefined, facts({ pins: [unreachable], drift }));
    expect(condition(first, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'TargetUnreachable',
      message: expect.stringContaining('What to do: pin 26.12.0'),
    });
    expect(condition(first, 'Drifted')).toMatchObject({
      status: 'True',
      reason: 'TargetUnreachable',
      message: expect.stringContaining('runs 26.12.0, pinned 26.11.0'),
    });
    expect(first.driftedSince).toBe(T0.toISOString());
    const later = buildStatus(first, facts({ pins: [unreachable], drift, startedAt: T1, finishedAt: T1 }));
    expect(later.driftedSince).toBe(T0.toISOString());
    expect(condition(later, 'Drifted')?.lastTransitionTime).toBe(T0.toISOString());
    const fixed = buildStatus(later, facts({ startedAt: T1, finishedAt: T1 }));
    expect(fixed.driftedSince).toBeUndefined();
  });

  it('is Reconciling while a request it sent is in flight, keeping the pins of the pass that sent it', () => {
    const sentPin: PinStatus = {
      ...inSync,
      current: '26.11.0',
      target: '26.12.0',
      outcome: 'Waiting',
      requestId: 'req-1',
      message: 'apply; request req-1 sent',
    };
    const sent = buildStatus(
      undefined,
      facts({
        pins: [sentPin],
        sent: [
          {
            kind: 'AtomVersionUpdateRequest',
            action: 'APPLY_PENDING',
            runtimeName: 'Prod West Atom',
            components: ['Atom'],
            requestId: 'req-1',
          },
        ],
      }),
    );
    expect(condition(sent, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Progressing' });
    expect(condition(sent, 'Ready')).toMatchObject({ status: 'False', reason: 'Progressing' });
    const polled = buildStatus(sent, {
      ...facts({ kind: 'poll', startedAt: T1, finishedAt: T1 }),
      pins: undefined,
      drift: undefined,
      inFlight: [
        {
          intentId: 'i',
          key: 'integration/prod-west-atom',
          accountId: 'a',
          runtimeId: 'r',
          kind: 'AtomVersionUpdateRequest',
          action: 'APPLY_PENDING',
          components: ['Atom'],
          intendedAt: T0.toISOString(),
          platformRequestId: 'req-1',
          status: 'RESTARTING',
        },
      ],
    });
    expect(polled.pins).toEqual([sentPin]);
    expect(condition(polled, 'Ready')?.message).toContain('req-1');
    expect(condition(polled, 'Ready')?.message).toContain('RESTARTING');
  });

  it('marks a source error as Stalled with the source message and the revision still in use', () => {
    const status = buildStatus(
      undefined,
      facts({
        sourceError: { code: 'GitFetchFailed', message: 'cannot fetch main: repository not found' },
        sourceRevision: 'abc123def4567890',
      }),
    );
    expect(condition(status, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'GitFetchFailed',
      message: 'cannot fetch main: repository not found (still using revision abc123def456)',
    });
    expect(condition(status, 'Ready')?.status).toBe('True');
  });

  it('records a failed pass with its reason and keeps the earlier pins', () => {
    const ok = buildStatus(undefined, facts());
    const failed = buildStatus(ok, {
      ...facts({
        kind: 'poll',
        failure: { reason: 'AccountUnavailable', message: 'account could not be read: ECONNREFUSED' },
      }),
      pins: undefined,
      drift: undefined,
    });
    expect(condition(failed, 'Ready')).toMatchObject({ status: 'False', reason: 'AccountUnavailable' });
    expect(failed.pins).toEqual([inSync]);
    expect(failed.history.at(-1)).toMatchObject({ result: 'Failed' });
    expect(failed.lastAppliedRevision).toBe('abc123def4567890');
  });

  it('does not grow the history with idle resyncs that find the same state, and keeps at most 10 records', () => {
    let status = buildStatus(undefined, facts());
    status = buildStatus(status, facts({ startedAt: T1, finishedAt: T1 }));
    expect(status.history).toHaveLength(1);
    for (let i = 0; i < 15; i++) status = buildStatus(status, facts({ trigger: 'manual' }));
    expect(status.history).toHaveLength(10);
  });

  it('says nothing about drift for an AtomVersion tenancy refuses: the platform was never asked (issue 10, Why 6)', () => {
    const refused: PinStatus = {
      kind: 'runtime',
      name: 'Atom',
      wanted: '26.11.0',
      outcome: 'Blocked',
      reason: 'AccountNotAllowed',
      message:
        'namespace integration may target only acme-prod, acme-dev; account acme-eu is not allowed (tenancy)',
    };
    const status = buildStatus(undefined, facts({ pins: [refused], drift: [], runtime: undefined }));
    expect(condition(status, 'Drifted')).toMatchObject({ status: 'Unknown', reason: 'AccountNotAllowed' });
    expect(condition(status, 'Drifted')?.message).not.toContain('runs what the pins ask');
    expect(condition(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'AccountNotAllowed' });
    expect(status.synced).toBe('Unknown');
  });

  it('is Stalled, not Reconciling, when the platform refused the request as such (issue 10, Why 6)', () => {
    const refusal = { reason: 'PlatformRefused', message: 'the platform refused the request: 400 …' };
    const status = buildStatus(undefined, facts({ pins: [unreachable], refusal }));
    expect(condition(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'PlatformRefused' });
    expect(condition(status, 'Ready')).toMatchObject({ status: 'False', reason: 'PlatformRefused' });
    expect(condition(status, 'Reconciling')).toMatchObject({ status: 'False', reason: 'PlatformRefused' });
    expect(status.history.at(-1)).toMatchObject({ result: 'Blocked', message: refusal.message });
  });

  it('names who changed the runtime: changedBy of the drifted pin first, in the Drifted message, kept by a poll pass', () => {
    const jane =
      'Atom 26.12.0 applied in the UI by jane@acme.example at 2026-12-03 10:32 UTC (AuditLog as.atom UPDATE)';
    const bob =
      'connector HTTP Client 26.11.0 rolled back in the UI by bob@acme.example at 2026-12-03 09:00 UTC';
    const drift = [atomDrift];
    const connector: PinStatus = { ...inSync, kind: 'connector', name: 'HTTP Client', changedBy: bob };
    const drifted: PinStatus = { ...unreachable, outcome: 'Manual', changedBy: jane };
    const status = buildStatus(undefined, facts({ pins: [connector, drifted], drift }));
    expect(status.changedBy).toBe(jane);
    expect(condition(status, 'Drifted')?.message).toBe(`Atom runs 26.12.0, pinned 26.11.0 — ${jane}`);
    const polled = buildStatus(status, facts({ kind: 'poll', pins: undefined, drift: undefined }));
    expect(polled.changedBy).toBe(jane);
    expect(buildStatus(status, facts()).changedBy).toBeUndefined();
  });
});
