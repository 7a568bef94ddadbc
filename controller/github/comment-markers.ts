// Hidden HTML comments that identify atomsync's PR comments, so a later run finds and updates them.

/** First line of a report that fits in one comment. */
export const PLAN_MARKER = '<!-- atomsync:plan -->';

/** First line of part `index` (1-based) of a report split over `total` comments. */
export function partMarker(index: number, total: number): string {
  return `<!-- atomsync:plan part ${index}/${total} -->`;
}

export interface MarkerInfo {
  /** 1-based; a single-comment report counts as part 1. */
  part: number;
  total: number;
}

const MARKER_LINE = /^<!-- atomsync:plan(?: part (\d+)\/(\d+))? -->\s*$/;

/** Reads the marker on a comment's first line; undefined when the comment is not one of ours. */
export function readMarker(body: string): MarkerInfo | undefined {
  const firstLine = body.split('\n', 1)[0] ?? '';
  const match = MARKER_LINE.exec(firstLine.replace(/\r$/, ''));
  if (!match) return undefined;
  if (match[1] === undefined || match[2] === undefined) return { part: 1, total: 1 };
  const part = Number(match[1]);
  const total = Number(match[2]);
  return part >= 1 ? { part, total } : undefined;
}
