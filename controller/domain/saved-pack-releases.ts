// `apply plan.json` sends the releases of the saved plan only while they still hold (docs/publisher.md,
// "Saved plans"): planned again now, each release must be the same change — the same operation, date and
// component versions, made from the same currentVersion / pendingVersion the publisher showed then.
// Otherwise the plan is stale and each difference is named. Pure: the CLI reads the file and the platform.
import type { PackReleaseChange, PackReleasePlan } from './plan-pack-releases.js';

export function releaseStaleness(saved: readonly PackReleaseChange[], now: PackReleasePlan): string[] {
  const current = new Map(now.changes.map((change) => [change.key, change]));
  const savedKeys = new Set(saved.map((change) => change.key));
  return [
    ...saved.flatMap((before) => changeMoved(before, current.get(before.key), now)),
    ...now.changes
      .filter((change) => !savedKeys.has(change.key))
      .map((change) => `release ${change.key}: planned now, ${describeChange(change)} would be sent too`),
  ];
}

function changeMoved(
  before: PackReleaseChange,
  after: PackReleaseChange | undefined,
  now: PackReleasePlan,
): string[] {
  if (after === undefined) return [`release ${before.key}: ${nothingToSend(before.key, now)}`];
  if (identity(before) === identity(after)) return [];
  const observed = componentsMoved(before, after);
  if (observed.length > 0) return observed;
  return [
    `release ${before.key}: planned now, ${describeChange(after)} would be sent instead of ${describeChange(before)}`,
  ];
}

function nothingToSend(key: string, now: PackReleasePlan): string {
  const result = now.results.find((r) => r.key === key);
  if (!result) return 'the release document is gone, or its account is not planned';
  const reason = result.reason ? ` ${result.reason}` : '';
  return `planned now, nothing would be sent (${result.outcome}${reason}: ${result.message})`;
}

/** The publisher's versions that moved since the plan, one line per component. */
function componentsMoved(before: PackReleaseChange, after: PackReleaseChange): string[] {
  return before.components.flatMap((was) => {
    const is = after.components.find((c) => c.componentId === was.componentId);
    if (!is || observedText(was) === observedText(is)) return [];
    return [
      `release ${before.key}: ${before.packName} ${was.componentId} was ${observedText(was)}, now ${observedText(is)}`,
    ];
  });
}

function observedText(component: { currentVersion?: string; pendingVersion?: string }): string {
  const current = `current ${component.currentVersion ?? 'none'}`;
  return component.pendingVersion === undefined ? current : `${current}, pending ${component.pendingVersion}`;
}

function identity(change: PackReleaseChange): string {
  return JSON.stringify([
    change.accountId,
    change.integrationPackId,
    change.operation,
    change.releaseSchedule,
    change.releaseOnDate ?? null,
    change.components.map((c) => [
      c.componentId,
      c.version,
      c.currentVersion ?? null,
      c.pendingVersion ?? null,
    ]),
  ]);
}

function describeChange(change: PackReleaseChange): string {
  const components = change.components.map((c) => `${c.componentId} ${c.version}`).join(', ');
  const when = change.releaseOnDate === undefined ? 'now' : `on ${change.releaseOnDate}`;
  return `${change.operation} ${change.packName} (${components}) ${when}`;
}
