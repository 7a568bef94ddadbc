// Reads one YAML document of a pins file: is it an AtomVersion, is it valid against the CRD's schema,
// and if so, what does it pin. Every problem points at the node it is about.

import { isScalar, type Document, type LineCounter } from 'yaml';
import {
  ATOMVERSION_API_VERSION,
  ATOMVERSION_GROUP,
  ATOMVERSION_KIND,
  formatPath,
  validateAtomVersion,
  type PathSegment,
  type SchemaIssue,
} from '../schema/atomversion-schema.js';
import type { AtomVersionSpec } from '../domain/types.js';
import type { PinProblemCode } from './pin-problem.js';
import { checkWindows } from './window-checks.js';
import { documentSyntaxProblems, documentValue, type LocatedProblem } from '../yaml/yaml-file.js';
import { documentStart, locate, nodeAt, type Position } from '../yaml/yaml-positions.js';

export interface PinDocument {
  name: string;
  namespace: string;
  /** metadata.namespace as written; undefined when the file does not say. */
  declaredNamespace?: string;
  spec: AtomVersionSpec;
  /** Where the document's content starts, where spec.account, spec.runtime and metadata.name are written. */
  start: Position;
  accountAt: Position;
  runtimeAt: Position;
  nameAt: Position;
  namespaceAt: Position;
}

export type PinDocumentResult =
  | { kind: 'empty' }
  | { kind: 'skipped' }
  | { kind: 'invalid'; problems: LocatedProblem<PinProblemCode>[] }
  | { kind: 'valid'; pin: PinDocument };

type Problem = LocatedProblem<PinProblemCode>;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function readPinDocument(
  doc: Document,
  lineCounter: LineCounter,
  maxAliasCount?: number,
): PinDocumentResult {
  const syntax = documentSyntaxProblems(doc, lineCounter);
  if (syntax.length > 0) return { kind: 'invalid', problems: syntax };
  const data = documentValue(doc, lineCounter, maxAliasCount);
  if (!data.ok) return { kind: 'invalid', problems: [data.problem] };
  if (data.value === null || data.value === undefined) return { kind: 'empty' };

  const at = (segments: PathSegment[], target: 'key' | 'node' = 'node'): Position =>
    locate(doc, segments, lineCounter, target);
  if (!isPlainObject(data.value)) {
    const problem = { ...at([]), code: 'NotAMapping' as const, message: notAMapping(data.value) };
    return { kind: 'invalid', problems: [problem] };
  }
  const header = headerCheck(data.value, at);
  if (header === 'skip') return { kind: 'skipped' };
  if (header) return { kind: 'invalid', problems: [header] };

  const problems = [...metadataProblems(data.value, at)];
  const validation = validateAtomVersion(data.value);
  if (!validation.ok) {
    problems.push(...validation.errors.map((issue) => schemaProblem(issue, doc, at)));
    return { kind: 'invalid', problems };
  }
  const { spec, metadata = {} } = validation.value;
  for (const issue of checkWindows(spec.policy.windows, ['spec', 'policy', 'windows'])) {
    problems.push({
      ...at(issue.segments),
      path: formatPath(issue.segments),
      code: 'InvalidValue',
      message: issue.message,
    });
  }
  if (problems.length > 0) return { kind: 'invalid', problems };
  const pin: PinDocument = {
    ...documentIdentity(metadata, documentStart(doc, lineCounter), at),
    spec,
    accountAt: at(['spec', 'account']),
    runtimeAt: at(['spec', 'runtime']),
  };
  return { kind: 'valid', pin };
}

/** Name and namespace of a valid document (namespace `default` when unsaid), and where each is written. */
export function documentIdentity(
  metadata: { name?: unknown; namespace?: string },
  start: Position,
  at: (segments: PathSegment[]) => Position,
): Pick<PinDocument, 'name' | 'namespace' | 'declaredNamespace' | 'start' | 'nameAt' | 'namespaceAt'> {
  return {
    name: String(metadata.name),
    namespace: metadata.namespace ?? 'default',
    ...(metadata.namespace !== undefined && { declaredNamespace: metadata.namespace }),
    start,
    nameAt: at(['metadata', 'name']),
    namespaceAt: at(['metadata', metadata.namespace === undefined ? 'name' : 'namespace']),
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

function notAMapping(value: unknown): string {
  const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  return `expected a mapping with apiVersion, kind, metadata and spec, found ${what}`;
}

/** 'skip' for another group's documents; a problem for atomsync.io documents that are not AtomVersions. */
function headerCheck(
  value: Record<string, unknown>,
  at: (segments: PathSegment[]) => Position,
): Problem | 'skip' | undefined {
  const { apiVersion, kind } = value;
  const expected = `expected apiVersion ${ATOMVERSION_API_VERSION} and kind ${ATOMVERSION_KIND}`;
  if (apiVersion === undefined) {
    return { ...at([]), code: 'MissingApiVersion', message: `missing apiVersion: ${expected}` };
  }
  if (typeof apiVersion !== 'string') {
    return { ...at(['apiVersion']), path: 'apiVersion', code: 'WrongApiVersion', message: expected };
  }
  if (apiVersion.split('/')[0] !== ATOMVERSION_GROUP) return 'skip';
  if (apiVersion !== ATOMVERSION_API_VERSION) {
    const message = `unsupported '${apiVersion}': this atomsync reads ${ATOMVERSION_API_VERSION}`;
    return { ...at(['apiVersion']), path: 'apiVersion', code: 'WrongApiVersion', message };
  }
  if (kind === ATOMVERSION_KIND) return undefined;
  const message =
    kind === undefined
      ? `missing kind: ${expected}`
      : `'${String(kind)}' does not belong in a pins directory: ${expected}`;
  return {
    ...at(kind === undefined ? [] : ['kind']),
    path: kind === undefined ? undefined : 'kind',
    code: 'WrongKind',
    message,
  };
}

export function metadataProblems(
  value: Record<string, unknown>,
  at: (segments: PathSegment[]) => Position,
): Problem[] {
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const problems: Problem[] = [];
  if (metadata.name === undefined || metadata.name === null || metadata.name === '') {
    const message = `missing required field 'name': every ${String(value.kind ?? 'AtomVersion')} needs one, e.g. prod-east-molecule`;
    problems.push({ ...at(['metadata']), path: 'metadata', code: 'MissingName', message });
  } else if (!isName(metadata.name, DNS_SUBDOMAIN, 253)) {
    problems.push(nameProblem(at, 'name', metadata.name, 'lowercase letters, digits, - and .'));
  }
  if (metadata.namespace !== undefined && !isName(metadata.namespace, DNS_LABEL, 63)) {
    problems.push(nameProblem(at, 'namespace', metadata.namespace, 'lowercase letters, digits and -'));
  }
  return problems;
}

function isName(value: unknown, pattern: RegExp, maxLength: number): boolean {
  return typeof value === 'string' && value.length <= maxLength && pattern.test(value);
}

function nameProblem(
  at: (s: PathSegment[]) => Position,
  field: string,
  value: unknown,
  allowed: string,
): Problem {
  return {
    ...at(['metadata', field]),
    path: `metadata.${field}`,
    code: 'InvalidName',
    message: `'${String(value)}' is not a valid Kubernetes ${field}: use ${allowed}, starting and ending with a letter or digit`,
  };
}

const CODE_BY_KEYWORD: Record<string, PinProblemCode> = {
  additionalProperties: 'UnknownField',
  type: 'WrongType',
  required: 'MissingField',
};

export function schemaProblem(
  issue: SchemaIssue,
  doc: Document,
  at: (s: PathSegment[], t: 'key' | 'node') => Position,
): Problem {
  return {
    ...at(issue.segments, issue.target),
    ...(issue.path ? { path: issue.path } : {}),
    code: CODE_BY_KEYWORD[issue.keyword] ?? 'InvalidValue',
    message: issue.message + quoteHint(issue, doc),
  };
}

/** `version: 26.10` is read as the number 26.1: say how to write it so it stays text. */
function quoteHint(issue: SchemaIssue, doc: Document): string {
  if (issue.keyword !== 'type' || !issue.message.startsWith('must be a string')) return '';
  const node = nodeAt(doc, issue.segments);
  if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.source !== 'string') return '';
  return ` — write it in quotes: "${node.source}"`;
}
