// Go-style durations, the one parser for maintenance windows and CLI flags: 4h, 30m, 1h30m, 90s, 500ms.

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds in a Go-style duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, hours, minutes, seconds, millis] = match;
  const wholeSeconds = (Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * 60 + Number(seconds ?? 0);
  return wholeSeconds * 1000 + Number(millis ?? 0);
}
