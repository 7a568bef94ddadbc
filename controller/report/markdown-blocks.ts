// A small reader for the Markdown atomsync writes: it cuts a document into top-level blocks (tables,
// lists, <details> sections, code fences, paragraphs) and knows how to cut one block into smaller whole
// blocks — tables re-headed, <details> reopened, fences re-fenced — for splitting long PR comments.

export type BlockKind = 'heading' | 'table' | 'list' | 'details' | 'fence' | 'paragraph';

export interface Block {
  kind: BlockKind;
  lines: string[];
  /** A heading kept with the block it introduces (never left alone at the end of a part). */
  heading?: string;
}

/** A block as header lines, items that may go to different parts, and closing lines. */
export interface Pieces {
  open: string[];
  /** The header lines for the second and later pieces (a heading marked "continued", a reopened tag). */
  reopen: string[];
  items: string[];
  /** Between two items: a newline for rows, a blank line for blocks. */
  separator: string;
  close: string[];
}

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const blocks: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    if ((lines[index] ?? '').trim() === '') {
      index += 1;
      continue;
    }
    const end = blockEnd(lines, index);
    blocks.push(classify(lines.slice(index, end)));
    index = end;
  }
  return attachHeadings(blocks);
}

export function blockText(block: Block): string {
  const body = block.lines.join('\n');
  return block.heading === undefined ? body : `${block.heading}\n\n${body}`;
}

export function toPieces(block: Block): Pieces {
  const pieces = bodyPieces(block);
  if (block.heading === undefined) return pieces;
  return {
    ...pieces,
    open: [block.heading, '', ...pieces.open],
    reopen: [`${block.heading} (continued)`, '', ...pieces.reopen],
  };
}

/** The text of `items` between the open (or reopen) and close lines. */
export function piecesText(open: readonly string[], items: readonly string[], pieces: Pieces): string {
  return [...open, items.join(pieces.separator), ...pieces.close].join('\n');
}

function blockEnd(lines: string[], start: number): number {
  const first = lines[start] ?? '';
  const fence = /^(`{3,}|~{3,})/.exec(first);
  if (fence?.[1]) return fenceEnd(lines, start, fence[1]);
  if (/^<details\b/i.test(first)) return detailsEnd(lines, start);
  let end = start;
  while (end < lines.length && (lines[end] ?? '').trim() !== '') end += 1;
  return end;
}

function fenceEnd(lines: string[], start: number, fence: string): number {
  for (let index = start + 1; index < lines.length; index += 1) {
    if ((lines[index] ?? '').startsWith(fence)) return index + 1;
  }
  return lines.length;
}

function detailsEnd(lines: string[], start: number): number {
  let depth = 0;
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    depth += (line.match(/<details\b/gi)?.length ?? 0) - (line.match(/<\/details>/gi)?.length ?? 0);
    if (depth <= 0) return index + 1;
  }
  return lines.length;
}

function classify(lines: string[]): Block {
  const first = lines[0] ?? '';
  if (/^(`{3,}|~{3,})/.test(first)) return { kind: 'fence', lines };
  if (/^<details\b/i.test(first)) return { kind: 'details', lines };
  if (lines.length === 1 && /^#{1,6}\s/.test(first)) return { kind: 'heading', lines };
  if (isTable(lines)) return { kind: 'table', lines };
  if (isListItemStart(first)) return { kind: 'list', lines };
  return { kind: 'paragraph', lines };
}

function isTable(lines: string[]): boolean {
  return (lines[0] ?? '').startsWith('|') && /^\|?\s*:?-{3,}/.test(lines[1] ?? '');
}

function isListItemStart(line: string): boolean {
  return /^([-*+]|\d+[.)])\s/.test(line);
}

function attachHeadings(blocks: Block[]): Block[] {
  const result: Block[] = [];
  for (let index = 0; index < blocks.length; index += 1) {
    const block = blocks[index] as Block;
    const next = blocks[index + 1];
    if (block.kind === 'heading' && next && next.kind !== 'heading' && next.heading === undefined) {
      result.push({ ...next, heading: block.lines[0] as string });
      index += 1;
    } else {
      result.push(block);
    }
  }
  return result;
}

function bodyPieces(block: Block): Pieces {
  const { lines } = block;
  switch (block.kind) {
    case 'table':
      return rowPieces(lines.slice(0, 2), lines.slice(2), [], lines.slice(0, 2));
    case 'list':
      return { open: [], reopen: [], items: listItems(lines), separator: '\n', close: [] };
    case 'fence':
      return fencePieces(lines);
    case 'details':
      return detailsPieces(lines);
    case 'heading':
    case 'paragraph':
      return { open: [], reopen: [], items: lines, separator: '\n', close: [] };
  }
}

function rowPieces(open: string[], rows: string[], close: string[], reopen: string[]): Pieces {
  return { open, reopen, items: rows, separator: '\n', close };
}

function fencePieces(lines: string[]): Pieces {
  const first = lines[0] ?? '```';
  const fence = /^(`{3,}|~{3,})/.exec(first)?.[1] ?? '```';
  const closed = lines.length > 1 && (lines[lines.length - 1] ?? '').startsWith(fence);
  const inner = lines.slice(1, closed ? -1 : undefined);
  return { open: [first], reopen: [first], items: inner, separator: '\n', close: [fence] };
}

/** `<details><summary>S</summary>`, body, `</details>`: reopened as "S (continued)". */
function detailsPieces(lines: string[]): Pieces {
  const first = lines[0] ?? '<details>';
  const last = lines[lines.length - 1] ?? '';
  const closed = lines.length > 1 && /^<\/details>\s*$/i.test(last);
  const body = lines.slice(1, closed ? -1 : undefined);
  const reopenLine = first.replace(/<\/summary>/i, ' (continued)</summary>');
  const inner = parseBlocks(body.join('\n'));
  const only = inner.length === 1 ? inner[0] : undefined;
  if (only && only.heading === undefined && (only.kind === 'table' || only.kind === 'list')) {
    const innerPieces = bodyPieces(only);
    return {
      open: [first, '', ...innerPieces.open],
      reopen: [reopenLine, '', ...innerPieces.reopen],
      items: innerPieces.items,
      separator: innerPieces.separator,
      close: ['', '</details>'],
    };
  }
  return {
    open: [first, ''],
    reopen: [reopenLine, ''],
    items: inner.map(blockText),
    separator: '\n\n',
    close: ['', '</details>'],
  };
}

/** Top-level list items with their indented continuation lines. */
function listItems(lines: string[]): string[] {
  const items: string[][] = [];
  for (const line of lines) {
    const last = items[items.length - 1];
    if (isListItemStart(line) || !last) items.push([line]);
    else last.push(line);
  }
  return items.map((item) => item.join('\n'));
}
