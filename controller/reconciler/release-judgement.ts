// What `atomsync run` does about one IntegrationPackRelease in a cycle (docs/publisher.md, "Under run and
// on Kubernetes"), decided from the plan's result, what the last cycles recorded and the status of the
// request atomsync follows. Pure: the release reconciler (release-reconciler.ts) does the I/O.
//
// A generation of a release document is sent at most once: once atomsync began sending it (the status
// records sendingGeneration before the call, sentGeneration and lastRequestId after), it follows that
// request and never sends the same generation again — a release that failed, or that someone undid
// outside atomsync, stalls until the document changes.
import type { PackReleaseResult } from '../domain/plan-pack-releases.js';
import type { PackReleaseStatus } from './release-status.js';

export type ReleaseState = 'Ready' | 'Reconciling' | 'Stalled' | 'NotReady';

export interface Judgement {
  state: ReleaseState;
  /** CamelCase: InSync, Released, Scheduled, ReleaseInProgress, NotPublisher, ReleaseFailed… */
  reason: string;
  message: string;
}

/** A verdict that sends nothing: the status to record. */
export type Hold = { send: false } & Judgement;

export type ReleaseVerdict = Hold | { send: true };

export interface ReleaseFacts {
  generation: string;
  previous?: PackReleaseStatus;
  /** The plan's result; absent when the document was refused before planning. */
  result?: PackReleaseResult;
  refusal?: { reason: string; message: string };
  /** ReleaseIntegrationPackStatus of previous.lastRequestId as read this cycle (absent: not read). */
  followedStatus?: string;
  suspended?: boolean;
}

const FINAL_STATUSES = new Set(['SUCCESS', 'ERROR']);

/** Whether a request's status can still change (atomsync reads it again next cycle). */
export function isFollowed(releaseStatus: string | undefined): boolean {
  return releaseStatus !== undefined && !FINAL_STATUSES.has(releaseStatus);
}

export function judgeRelease(facts: ReleaseFacts): ReleaseVerdict {
  const { result, refusal, previous, generation } = facts;
  if (refusal) return stalled(refusal.reason, refusal.message);
  if (!result) return stalled('NotPlanned', 'the release was not planned');
  const settled = result.outcome === 'InSync' || result.outcome === 'Scheduled';
  if (previous?.sendingGeneration === generation && !settled) return unknownSend(generation);
  if (result.outcome === 'Blocked') return stalled(result.reason ?? 'Blocked', result.message);
  if (previous?.sentGeneration === generation && previous.lastRequestId !== undefined)
    return judgeSent(result, previous.lastRequestId, facts.followedStatus ?? previous.releaseStatus);
  if (result.outcome === 'InSync')
    return { send: false, state: 'Ready', reason: 'InSync', message: result.message };
  if (result.outcome === 'Scheduled')
    return { send: false, state: 'Ready', reason: 'Scheduled', message: result.message };
  if (facts.suspended)
    return {
      send: false,
      state: 'NotReady',
      reason: 'Suspended',
      message: `suspended at run time, nothing is sent: would ${result.message}`,
    };
  return { send: true };
}

/** The status of a request atomsync sent for this generation, as the platform answered or shows it now. */
export function judgeSent(
  result: PackReleaseResult | undefined,
  requestId: string,
  releaseStatus: string | undefined,
): Hold {
  const request = `ReleaseIntegrationPack request ${requestId}`;
  if (releaseStatus === 'ERROR')
    return stalled(
      'ReleaseFailed',
      `${request} ended in ERROR; atomsync does not send this generation again: check the pack in the publisher account, then edit the document to release again`,
    );
  if (releaseStatus === 'SCHEDULED')
    return ready('Scheduled', `${result?.message ?? 'scheduled'} (${request}, SCHEDULED)`);
  if (releaseStatus !== 'SUCCESS')
    return {
      send: false,
      state: 'Reconciling',
      reason: 'ReleaseInProgress',
      message: `${request} is ${releaseStatus ?? 'not read yet'}; following it`,
    };
  if (result === undefined || result.outcome === 'InSync' || result.outcome === 'Scheduled')
    return ready('Released', `${result?.message ?? 'released'} (${request}, SUCCESS)`);
  return stalled(
    'ChangedOutsideAtomsync',
    `${request} succeeded, but the pack does not show it any more (${result.message}); someone released or changed the pack outside atomsync, which sends a generation once: edit the document to release again`,
  );
}

function unknownSend(generation: string): Hold {
  return stalled(
    'SendOutcomeUnknown',
    `atomsync began sending the release of generation ${generation} but stopped before the platform answered, and the pack does not show it; it is not sent twice: check the pack's releases in the publisher account, then edit the document to release again`,
  );
}

function stalled(reason: string, message: string): Hold {
  return { send: false, state: 'Stalled', reason, message };
}

function ready(reason: string, message: string): Hold {
  return { send: false, state: 'Ready', reason, message };
}
