// An AtomVersion custom resource → the DesiredAtomVersion the reconciler works with. The API server has
// already validated it against the same schema, but defaults, window checks and the strict view of the
// schema are applied here again, so a CR means exactly what the same document means in a pin file.

import { createHash } from 'node:crypto';
import {
  ATOMVERSION_API_VERSION,
  ATOMVERSION_KIND,
  formatPath,
  validateAtomVersion,
  type SchemaIssue,
} from '../schema/atomversion-schema.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { findDuplicates } from '../sources/pin-duplicates.js';
import type { PinProblem, PinProblemCode } from '../sources/pin-problem.js';
import { specGeneration } from '../sources/spec-generation.js';
import { checkWindows } from '../sources/window-checks.js';
import { objectKey, type KubeObject } from './kube-object.js';

export type ConvertedAtomVersion =
  { ok: true; desired: DesiredAtomVersion } | { ok: false; key: string; problems: PinProblem[] };

const TOP = { line: 1, col: 1 };

const CODE_BY_KEYWORD: Record<string, PinProblemCode> = {
  additionalProperties: 'UnknownField',
  type: 'WrongType',
  required: 'MissingField',
};

/** How problems name a custom resource, in place of a file: `kubernetes:integration/prod-east`. */
function objectLocation(key: string): string {
  return `kubernetes:${key}`;
}

export function desiredFromObject(obj: KubeObject): ConvertedAtomVersion {
  const key = objectKey(obj);
  const name = obj.metadata?.name ?? '';
  const namespace = obj.metadata?.namespace ?? 'default';
  const validation = validateAtomVersion({
    apiVersion: ATOMVERSION_API_VERSION,
    kind: ATOMVERSION_KIND,
    metadata: { name, namespace },
    spec: obj.spec,
  });
  if (!validation.ok) {
    return { ok: false, key, problems: validation.errors.map((issue) => schemaProblem(key, issue)) };
  }
  const { spec } = validation.value;
  const windowProblems = checkWindows(spec.policy.windows, ['spec', 'policy', 'windows']).map(
    (issue): PinProblem => ({
      file: objectLocation(key),
      ...TOP,
      path: formatPath(issue.segments),
      code: 'InvalidValue',
      message: issue.message,
    }),
  );
  if (windowProblems.length > 0) return { ok: false, key, problems: windowProblems };
  const generation = obj.metadata?.generation;
  return {
    ok: true,
    desired: {
      key,
      name,
      namespace,
      generation: typeof generation === 'number' ? String(generation) : specGeneration(spec),
      spec,
      origin: { source: 'kubernetes' },
    },
  };
}

/**
 * Converts every object; invalid ones and AtomVersions that pin the same runtime become problems
 * (neither of two conflicting pins is applied, as with files).
 */
export function desiredFromObjects(converted: readonly ConvertedAtomVersion[]): {
  desired: DesiredAtomVersion[];
  problems: PinProblem[];
} {
  const valid = converted.flatMap((c) => (c.ok ? [c.desired] : []));
  const problems = converted.flatMap((c) => (c.ok ? [] : c.problems));
  const duplicates = findDuplicates(
    valid.map((d) => ({
      key: d.key,
      account: d.spec.account,
      runtime: d.spec.runtime,
      file: objectLocation(d.key),
      runtimeAt: TOP,
      nameAt: TOP,
    })),
  );
  return {
    desired: valid.filter((_, index) => !duplicates.conflicted.has(index)),
    problems: [...problems, ...duplicates.problems],
  };
}

/** sha256 over the sorted `key resourceVersion` lines: any change to any object is a new revision. */
export function objectsRevision(objects: readonly KubeObject[]): string {
  const lines = objects.map((o) => `${objectKey(o)}\u0000${o.metadata?.resourceVersion ?? ''}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function schemaProblem(key: string, issue: SchemaIssue): PinProblem {
  return {
    file: objectLocation(key),
    ...TOP,
    ...(issue.path ? { path: issue.path } : {}),
    code: CODE_BY_KEYWORD[issue.keyword] ?? 'InvalidValue',
    message: issue.message,
  };
}
