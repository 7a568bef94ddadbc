import { parseDuration } from '../domain/duration.js';
import { CliError } from './errors.js';

/** A duration flag in milliseconds: 500ms, 30s, 5m, 1h. */
export function durationFlag(name: string, value: string): number {
  const millis = /^(\d+)ms$/.exec(value.trim());
  const ms = millis ? Number(millis[1]) : parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw new CliError(`${name} must be a duration such as 500ms, 30s, 5m or 1h (got "${value}")`);
  return ms;
}
