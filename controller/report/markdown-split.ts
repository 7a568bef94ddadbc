// Splits a Markdown report that is too long for one GitHub comment (65,536 characters) into numbered
// parts. Each part starts with its own marker and a "(part i of n)" line and is whole on its own: cuts
// fall between top-level blocks, and a block too long for any part is cut into smaller whole blocks
// (table rows under a repeated header, a <details> reopened, a code fence reopened).

import { PLAN_MARKER, partMarker } from '../github/comment-markers.js';
import { blockText, parseBlocks, piecesText, toPieces, type Block, type Pieces } from './markdown-blocks.js';

export const GITHUB_COMMENT_LIMIT = 65_536;
const MIN_LIMIT = 512;
const TRUNCATED = ' … (truncated)';
const BLOCK_SEPARATOR = '\n\n';

export function splitForGithub(markdown: string, limit = GITHUB_COMMENT_LIMIT): string[] {
  if (markdown.length <= limit) return [markdown];
  if (limit < MIN_LIMIT) throw new RangeError(`splitForGithub needs a limit of at least ${MIN_LIMIT}`);
  const blocks = parseBlocks(withoutMarker(markdown));
  for (let digits = 1; ; digits += 1) {
    const widest = 10 ** digits - 1;
    const budget = limit - partHeader(widest, widest).length - 1;
    const bodies = pack(blocks, budget);
    if (String(bodies.length).length <= digits) {
      return bodies.map((body, index) => `${partHeader(index + 1, bodies.length)}${body}\n`);
    }
  }
}

function partHeader(index: number, total: number): string {
  return `${partMarker(index, total)}\n(part ${index} of ${total})\n\n`;
}

function withoutMarker(markdown: string): string {
  return markdown.startsWith(`${PLAN_MARKER}\n`) ? markdown.slice(PLAN_MARKER.length + 1) : markdown;
}

/** Packs blocks into part bodies of at most `budget` characters. */
function pack(blocks: readonly Block[], budget: number): string[] {
  const packer = new PartPacker(budget);
  for (const block of blocks) {
    const text = blockText(block);
    if (packer.fits(text)) packer.add(text);
    else if (text.length <= budget) {
      packer.flush();
      packer.add(text);
    } else {
      packLongBlock(block, packer);
    }
  }
  return packer.finish();
}

function packLongBlock(block: Block, packer: PartPacker): void {
  const pieces = toPieces(block);
  let items = pieces.items;
  let open = pieces.open;
  while (items.length > 0) {
    const room = packer.room();
    const count = itemsThatFit(open, items, pieces, room);
    if (count === 0 && !packer.isEmpty()) {
      packer.flush();
      continue;
    }
    const frame = piecesText(open, [''], pieces).length;
    const taken = count > 0 ? items.slice(0, count) : [truncate(items[0] ?? '', room - frame)];
    packer.add(piecesText(open, taken, pieces));
    items = items.slice(taken.length);
    open = pieces.reopen;
    if (items.length > 0) packer.flush();
  }
}

/** How many leading items fit in `room` with the open and close lines (lengths summed, not joined). */
function itemsThatFit(
  open: readonly string[],
  items: readonly string[],
  pieces: Pieces,
  room: number,
): number {
  let length = piecesText(open, [''], pieces).length;
  let count = 0;
  for (const item of items) {
    length += item.length + (count > 0 ? pieces.separator.length : 0);
    if (length > room) break;
    count += 1;
  }
  return count;
}

function truncate(text: string, room: number): string {
  return text.length <= room ? text : text.slice(0, Math.max(0, room - TRUNCATED.length)) + TRUNCATED;
}

class PartPacker {
  private readonly parts: string[] = [];
  private current: string[] = [];
  private used = 0;

  constructor(private readonly budget: number) {}

  /** Characters still free in the current part, after the separator a new block needs. */
  room(): number {
    return this.budget - this.used - (this.current.length > 0 ? BLOCK_SEPARATOR.length : 0);
  }

  fits(text: string): boolean {
    return text.length <= this.room();
  }

  isEmpty(): boolean {
    return this.current.length === 0;
  }

  add(text: string): void {
    this.used += (this.current.length > 0 ? BLOCK_SEPARATOR.length : 0) + text.length;
    this.current.push(text);
  }

  flush(): void {
    if (this.current.length === 0) return;
    this.parts.push(this.current.join(BLOCK_SEPARATOR));
    this.current = [];
    this.used = 0;
  }

  finish(): string[] {
    this.flush();
    return this.parts;
  }
}
