// Kubernetes timestamps. MicroTime fields (Lease acquireTime/renewTime, Event eventTime and
// series.lastObservedTime) must be written with exactly six fractional digits — a real API server
// refuses JavaScript's three. client-node 1.4.0 hands them back as raw strings, not Dates; atomsync keeps
// such strings as they are.

/** 1764000000123 → `2025-11-24T16:00:00.123000Z`. */
export function microTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}000Z`;
}
