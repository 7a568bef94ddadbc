// Dotted numeric versions (26.11.0, 24.1.2.3) as the platform reports them for runtimes and connectors.

/** Compares two dotted versions numerically, segment by segment; missing segments count as 0. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const left = a.split('.');
  const right = b.split('.');
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = segmentValue(left[i]) - segmentValue(right[i]);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

/** True when `version` is `minimum` or newer. */
export function isAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

function segmentValue(segment: string | undefined): number {
  if (segment === undefined || segment === '') return 0;
  const value = Number.parseInt(segment, 10);
  return Number.isNaN(value) ? 0 : value;
}
