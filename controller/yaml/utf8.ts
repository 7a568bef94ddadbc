// Finds where a byte buffer stops being valid UTF-8, so an encoding error can name its line and column.

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1 when the buffer is valid. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** Length of the valid sequence starting at `i`, or 0 when it is invalid (RFC 3629 table). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  if (lead < 0x80) return 1;
  const [count, secondMin, secondMax] = leadRule(lead);
  if (count === 0) return 0;
  const second = bytes[i + 1];
  if (second === undefined || second < secondMin || second > secondMax) return 0;
  for (let k = 2; k < count; k++) {
    const next = bytes[i + k];
    if (next === undefined || next < 0x80 || next > 0xbf) return 0;
  }
  return count;
}

function leadRule(lead: number): [count: number, secondMin: number, secondMax: number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}

/** 1-based line and column (in characters) of a byte offset. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) [line, lineStart] = [line + 1, i + 1];
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, col: before.length + 1 };
}
