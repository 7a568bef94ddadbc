// Reads a YAML file defensively: refuses oversized files, rejects bytes that are not UTF-8 (naming the
// first bad one), and turns syntax errors, duplicate keys and alias bombs into positioned problems.

import { resolve } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import {
  isAlias,
  isScalar,
  LineCounter,
  parseAllDocuments,
  visit,
  type Alias,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { bytePosition, firstInvalidUtf8Offset } from './utf8.js';
import { positionAt, type Position } from './yaml-positions.js';

export type YamlProblemCode =
  'ReadError' | 'FileTooLarge' | 'InvalidEncoding' | 'YamlSyntax' | 'DuplicateKey' | 'AliasLimit';

/** A problem inside a file whose name the caller adds. */
export interface LocatedProblem<Code extends string = string> extends Position {
  path?: string;
  message: string;
  code: Code;
}

export interface ParsedYaml {
  text: string;
  lineCounter: LineCounter;
  documents: Document.Parsed[];
}

export type YamlFileResult =
  { ok: true; yaml: ParsedYaml } | { ok: false; problem: LocatedProblem<YamlProblemCode> };

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_ALIAS_COUNT = 100;

/** Reads and parses every document of a YAML file, without resolving anything yet. */
export async function readYamlFile(
  path: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<YamlFileResult> {
  const bytes = await readLimited(path, maxFileBytes);
  if (!(bytes instanceof Uint8Array)) return { ok: false, problem: bytes };
  return parseYamlBytes(bytes, maxFileBytes);
}

/** Parses a file's content already in memory (a git blob), with the same checks as readYamlFile. */
export function parseYamlBytes(bytes: Uint8Array, maxFileBytes = DEFAULT_MAX_FILE_BYTES): YamlFileResult {
  if (bytes.length > maxFileBytes) return { ok: false, problem: tooLarge(bytes.length, maxFileBytes) };
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') return { ok: false, problem: text };
  return parseYamlText(text);
}

function parseYamlText(text: string): YamlFileResult {
  const lineCounter = new LineCounter();
  try {
    const documents = Array.from(
      parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false }),
    );
    return { ok: true, yaml: { text, lineCounter, documents } };
  } catch (error) {
    // The parser itself gave up (e.g. nesting too deep for the stack): the file as a whole is unreadable.
    return { ok: false, problem: yamlFailure(`cannot parse YAML: ${(error as Error).message}`) };
  }
}

async function readLimited(
  path: string,
  maxFileBytes: number,
): Promise<Uint8Array | LocatedProblem<YamlProblemCode>> {
  try {
    const { size } = await stat(path);
    if (size > maxFileBytes) return tooLarge(size, maxFileBytes);
    const bytes = await readFile(path);
    return bytes.length > maxFileBytes ? tooLarge(bytes.length, maxFileBytes) : bytes;
  } catch (error) {
    return { line: 1, col: 1, code: 'ReadError', message: readFailure(error as NodeJS.ErrnoException, path) };
  }
}

function readFailure(error: NodeJS.ErrnoException, path: string): string {
  if (error.code === 'ENOENT') return `file not found (looked for ${resolve(path)})`;
  if (error.code === 'EACCES') return 'permission denied: cannot read the file';
  if (error.code === 'EISDIR') return 'is a directory, not a file';
  return `cannot read the file (${error.code ?? error.message})`;
}

export function tooLarge(size: number, limit: number): LocatedProblem<YamlProblemCode> {
  return {
    line: 1,
    col: 1,
    code: 'FileTooLarge',
    message: `file is ${formatBytes(size)}, more than the ${formatBytes(limit)} limit (maxFileBytes); not parsed — split it into smaller files`,
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function decodeUtf8(bytes: Uint8Array): string | LocatedProblem<YamlProblemCode> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = Math.max(0, firstInvalidUtf8Offset(bytes));
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return {
      ...bytePosition(bytes, offset),
      code: 'InvalidEncoding',
      message: `not valid UTF-8 (byte 0x${byte}); save the file as UTF-8`,
    };
  }
}

function yamlFailure(message: string): LocatedProblem<YamlProblemCode> {
  return { line: 1, col: 1, code: 'YamlSyntax', message };
}

// ---------------------------------------------------------------------------------------------------
// Per document

/** Syntax errors, warnings (unknown tags, …) and duplicate keys of one document. */
export function documentSyntaxProblems(
  doc: Document,
  lineCounter: LineCounter,
): LocatedProblem<YamlProblemCode>[] {
  const reported = [...doc.errors, ...doc.warnings].map((e) => syntaxProblem(e, lineCounter));
  return [...reported, ...duplicateKeys(doc, lineCounter)];
}

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): LocatedProblem<YamlProblemCode> {
  const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
  return { ...positionAt(lineCounter, error.pos[0]), code: 'YamlSyntax', message: `YAML: ${message}` };
}

function duplicateKeys(doc: Document, lineCounter: LineCounter): LocatedProblem<YamlProblemCode>[] {
  const problems: LocatedProblem<YamlProblemCode>[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, Node>();
      for (const { key } of map.items) {
        if (!isScalar(key) || !key.range) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (!first) {
          seen.set(name, key);
          continue;
        }
        const firstAt = positionAt(lineCounter, first.range?.[0] ?? 0);
        problems.push({
          ...positionAt(lineCounter, key.range[0]),
          code: 'DuplicateKey',
          message: `duplicate key '${name}' (first at line ${firstAt.line}, col ${firstAt.col}); keep one of them`,
        });
      }
    },
  });
  return problems;
}

export type DocumentValue =
  { ok: true; value: unknown } | { ok: false; problem: LocatedProblem<YamlProblemCode> };

/** The document as plain data, refusing alias bombs and unresolved aliases. */
export function documentValue(
  doc: Document,
  lineCounter: LineCounter,
  maxAliasCount = DEFAULT_MAX_ALIAS_COUNT,
): DocumentValue {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount }) };
  } catch (error) {
    const message = (error as Error).message;
    const alias = firstAlias(doc, message);
    const at = positionAt(lineCounter, alias?.range?.[0] ?? (doc.contents as Node | null)?.range?.[0] ?? 0);
    if (/excessive alias count/i.test(message)) {
      return {
        ok: false,
        problem: {
          ...at,
          code: 'AliasLimit',
          message: `too many alias expansions (limit ${maxAliasCount}): this looks like a YAML alias bomb ("billion laughs"); the document was not loaded`,
        },
      };
    }
    return { ok: false, problem: { ...at, code: 'YamlSyntax', message: `YAML: ${message}` } };
  }
}

/** The alias a resolution error is about (by anchor name when the message names one), else the first. */
function firstAlias(doc: Document, message: string): Alias | undefined {
  let first: Alias | undefined;
  let named: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      first ??= alias;
      if (!named && isAlias(alias) && message.endsWith(`: ${alias.source}`)) named = alias;
    },
  });
  return named ?? first;
}
