import { parseDuration } from '../domain/duration.js';
import { CliError } from './errors.js';

/** A positive duration flag (`--timeout 10m`, `--resync 30s`, `--poll-interval 500ms`) in milliseconds. */
export function durationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw new CliError(`${flag} must be a duration such as 500ms, 30s, 10m or 1h30m (got "${value}")`);
  return ms;
}
