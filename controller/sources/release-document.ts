// Reads one IntegrationPackRelease document of a pins folder (docs/publisher.md): valid against its CRD's
// schema, exactly one of release and releaseOn, a real calendar date. Every problem points at the node it
// is about, as for AtomVersions (pin-document.ts).
import type { Document, LineCounter } from 'yaml';
import { formatPath, type PathSegment } from '../schema/atomversion-schema.js';
import {
  PACK_RELEASE_API_VERSION,
  PACK_RELEASE_KIND,
  validatePackRelease,
} from '../schema/packrelease-schema.js';
import type { IntegrationPackReleaseSpec } from '../domain/pack-release-types.js';
import type { PinProblemCode } from './pin-problem.js';
import { documentIdentity, isPlainObject, metadataProblems, schemaProblem } from './pin-document.js';
import { documentSyntaxProblems, documentValue, type LocatedProblem } from '../yaml/yaml-file.js';
import { documentStart, locate, type Position } from '../yaml/yaml-positions.js';

export interface ReleaseDocument {
  name: string;
  namespace: string;
  declaredNamespace?: string;
  spec: IntegrationPackReleaseSpec;
  start: Position;
  accountAt: Position;
  packAt: Position;
  nameAt: Position;
  namespaceAt: Position;
}

export type ReleaseDocumentResult =
  | { kind: 'invalid'; problems: LocatedProblem<PinProblemCode>[] }
  | { kind: 'valid'; release: ReleaseDocument };

type Problem = LocatedProblem<PinProblemCode>;

/** Whether a YAML document declares `kind: IntegrationPackRelease` (read before any other check). */
export function isReleaseDocument(doc: Document): boolean {
  return isPlainObject(doc.contents?.toJSON()) && doc.get('kind') === PACK_RELEASE_KIND;
}

export function readReleaseDocument(
  doc: Document,
  lineCounter: LineCounter,
  maxAliasCount?: number,
): ReleaseDocumentResult {
  const syntax = documentSyntaxProblems(doc, lineCounter);
  if (syntax.length > 0) return { kind: 'invalid', problems: syntax };
  const data = documentValue(doc, lineCounter, maxAliasCount);
  if (!data.ok) return { kind: 'invalid', problems: [data.problem] };
  const value = data.value as Record<string, unknown>;
  const at = (segments: PathSegment[], target: 'key' | 'node' = 'node'): Position =>
    locate(doc, segments, lineCounter, target);
  if (value.apiVersion !== PACK_RELEASE_API_VERSION) {
    const message = `expected apiVersion ${PACK_RELEASE_API_VERSION} for kind ${PACK_RELEASE_KIND} (got ${JSON.stringify(value.apiVersion ?? null)})`;
    const problem: Problem = { ...at(['apiVersion']), path: 'apiVersion', code: 'WrongApiVersion', message };
    return { kind: 'invalid', problems: [problem] };
  }
  const problems = [...metadataProblems(value, at)];
  const validation = validatePackRelease(value);
  if (!validation.ok) {
    problems.push(...validation.errors.map((issue) => schemaProblem(issue, doc, at)));
    return { kind: 'invalid', problems };
  }
  const { spec, metadata = {} } = validation.value;
  problems.push(...scheduleProblems(spec, at));
  if (problems.length > 0) return { kind: 'invalid', problems };
  const release: ReleaseDocument = {
    ...documentIdentity(metadata, documentStart(doc, lineCounter), at),
    spec,
    accountAt: at(['spec', 'account']),
    packAt: at(['spec', 'pack']),
  };
  return { kind: 'valid', release };
}

/** Exactly one of release and releaseOn (the CRD says so in CEL, which ajv does not read); a real date. */
export function scheduleProblems(
  spec: IntegrationPackReleaseSpec,
  at: (segments: PathSegment[], target?: 'key' | 'node') => Position,
): Problem[] {
  if (spec.release !== undefined && spec.releaseOn !== undefined) {
    const segments = ['spec', 'releaseOn'];
    const message =
      'set release: immediately or releaseOn: YYYY-MM-DD, not both (remove one: an immediate release reaches every account now)';
    return [{ ...at(segments, 'key'), path: formatPath(segments), code: 'InvalidValue', message }];
  }
  if (spec.release === undefined && spec.releaseOn === undefined) {
    const message =
      "missing the release's timing: add release: immediately, or releaseOn: YYYY-MM-DD for a testing period until that date";
    return [{ ...at(['spec'], 'key'), path: 'spec', code: 'MissingField', message }];
  }
  if (spec.releaseOn !== undefined && !isCalendarDate(spec.releaseOn)) {
    const segments = ['spec', 'releaseOn'];
    const message = `'${spec.releaseOn}' is not a date of the calendar: write yyyy-MM-dd, e.g. 2026-12-10`;
    return [{ ...at(segments), path: formatPath(segments), code: 'InvalidValue', message }];
  }
  return duplicateComponents(spec, at);
}

function duplicateComponents(
  spec: IntegrationPackReleaseSpec,
  at: (segments: PathSegment[]) => Position,
): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  spec.components.forEach((component, index) => {
    const first = seen.get(component.componentId);
    if (first === undefined) return void seen.set(component.componentId, index);
    const segments = ['spec', 'components', index, 'componentId'];
    const message = `component ${component.componentId} is listed twice (also at components[${first}]): a release carries one version of each component`;
    problems.push({ ...at(segments), path: formatPath(segments), code: 'InvalidValue', message });
  });
  return problems;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
