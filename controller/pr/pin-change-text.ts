import { pinLabel } from '../report/describe.js';
import type { PinChange } from '../report/pin-changes.js';

/** `+ integration/qa-molecule connector HTTP Client 26.12.0`, `~ … 26.11.0 → 26.12.0`, `- … 8`. */
export function describePinChange(change: PinChange): string {
  const what = `${change.key} ${pinLabel(change)}`;
  if (change.change === 'added') return `+ ${what} ${change.after ?? ''}`.trimEnd();
  if (change.change === 'removed') return `- ${what} ${change.before ?? ''}`.trimEnd();
  return `~ ${what} ${change.before ?? ''} → ${change.after ?? ''}`;
}
