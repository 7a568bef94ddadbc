// A file's AtomVersion has no metadata.generation; its content hash stands in, so any change to the
// spec (and only to the spec) is a new generation.

import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** First 16 hex digits of the sha256 of the spec's canonical JSON. */
export function specGeneration(spec: object): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}
