// Maps a field path (spec.connectors[1].version) back to where it is written in a YAML document.

import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from '../schema/atomversion-schema.js';

export interface Position {
  line: number;
  col: number;
}

export function positionAt(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}

/** Where a document's content begins (its first key), or the document marker when it has none. */
export function documentStart(doc: Document, lineCounter: LineCounter): Position {
  const node = doc.contents as Node | null;
  return positionAt(lineCounter, node?.range?.[0] ?? doc.range?.[0] ?? 0);
}

interface Found {
  node: unknown;
  key?: Node;
}

/**
 * The position of the node at `segments`. With target 'key' it is the field's name (for unknown
 * fields); otherwise a scalar points at its value and a mapping or list at its key (the line a person
 * looks for). Paths that go further than the document point at the deepest part that exists.
 */
export function locate(
  doc: Document,
  segments: readonly PathSegment[],
  lineCounter: LineCounter,
  target: 'key' | 'node' = 'node',
): Position {
  const found = walk(doc, segments, target);
  const offset = offsetOf(found) ?? (doc.contents as Node | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
  return positionAt(lineCounter, offset);
}

/** The node at exactly `segments`, or undefined when the document does not reach that far. */
export function nodeAt(doc: Document, segments: readonly PathSegment[]): unknown {
  let node: unknown = doc.contents;
  for (const segment of segments) {
    const next = step(isAlias(node) ? node.resolve(doc) : node, segment);
    if (!next) return undefined;
    node = next.node;
  }
  return node;
}

function walk(doc: Document, segments: readonly PathSegment[], target: 'key' | 'node'): Found {
  let found: Found = { node: doc.contents };
  for (const [index, segment] of segments.entries()) {
    const node = isAlias(found.node) ? found.node.resolve(doc) : found.node;
    const next = step(node, segment);
    if (!next) break;
    if (target === 'key' && index === segments.length - 1 && next.key) return { node: next.key };
    found = next;
  }
  return found;
}

function step(node: unknown, segment: PathSegment): Found | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
    return pair ? { node: pair.value, key: pair.key as Node } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}

function offsetOf({ node, key }: Found): number | undefined {
  const range = (node as Node | null | undefined)?.range ?? undefined;
  const isEmptyScalar = isScalar(node) && node.value === null && range !== undefined && range[0] === range[1];
  const pointAtKey = key?.range && (isMap(node) || isSeq(node) || isEmptyScalar || !range);
  if (pointAtKey) return key?.range?.[0];
  return range?.[0];
}
