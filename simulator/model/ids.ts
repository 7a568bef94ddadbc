// Deterministic, uuid-shaped ids: the same scenario always yields the same ids, so pins, tests and docs
// can name them.
import { createHash } from 'node:crypto';

/** A uuid-shaped id derived from the parts (sha-256; version nibble 5, RFC 4122 variant). */
export function uuidFrom(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
