// Checks on maintenance windows the schema cannot express: a real five-field cron expression, a known
// IANA time zone and a duration longer than zero. Found here, they point at the file, not at a later plan.

import { Cron } from 'croner';
import { parseDuration } from '../domain/duration.js';
import type { PathSegment } from '../schema/atomversion-schema.js';
import type { MaintenanceWindow } from '../domain/types.js';

export interface WindowIssue {
  segments: PathSegment[];
  message: string;
}

export function checkWindows(
  windows: readonly MaintenanceWindow[],
  at: readonly PathSegment[],
): WindowIssue[] {
  return windows.flatMap((window, index) => checkWindow(window, [...at, index]));
}

function checkWindow(window: MaintenanceWindow, at: PathSegment[]): WindowIssue[] {
  const issues: WindowIssue[] = [];
  const zoneProblem = window.timeZone === undefined ? undefined : timeZoneProblem(window.timeZone);
  if (zoneProblem) issues.push({ segments: [...at, 'timeZone'], message: zoneProblem });
  const cronProblem = scheduleProblem(window.schedule);
  if (cronProblem) issues.push({ segments: [...at, 'schedule'], message: cronProblem });
  if (parseDuration(window.duration) === 0) {
    issues.push({ segments: [...at, 'duration'], message: 'must be longer than zero, e.g. 4h' });
  }
  return issues;
}

function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `unknown time zone '${timeZone}' — use an IANA name such as Europe/Berlin or UTC`;
  }
}

function scheduleProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 22 * * SAT"; got ${fields.length} fields`;
  }
  try {
    new Cron(schedule, { paused: true }).stop();
    return undefined;
  } catch (error) {
    return `not a valid cron expression: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}
