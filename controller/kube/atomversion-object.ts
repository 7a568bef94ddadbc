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
import type { PinProblem, PinProblemCode } from '../sources/pin-problem.js';
import type { RefusedAtomVersion } from '../sources/source.js';
import { specGeneration } from '../sources/spec-generation.js';
import { checkWindows } from '../sources/window-checks.js';
import { objectKey, splitKey, type KubeObject } from './kube-object.js';

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
  const specProblems = [...windowProblems, ...duplicateNameProblems(key, spec)];
  if (specProblems.length > 0) return { ok: false, key, problems: specProblems };
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
 * Splits the converted objects into what the reconciler works on and what is refused, each on its own:
 * an invalid spec (InvalidSpec) and AtomVersions that pin the same runtime (DuplicateRuntime — all of
 * them, since atomsync cannot know which one is meant). A refusal touches no other AtomVersion.
 */
export function desiredFromObjects(converted: readonly ConvertedAtomVersion[]): {
  desired: DesiredAtomVersion[];
  refused: RefusedAtomVersion[];
} {
  const valid = converted.flatMap((c) => (c.ok ? [c.desired] : []));
  const invalid = converted.flatMap((c) => (c.ok ? [] : [invalidSpec(c.key, c.problems)]));
  const duplicates = duplicateRuntimes(valid);
  return {
    desired: valid.filter((doc) => !duplicates.has(doc.key)),
    refused: [...invalid, ...duplicates.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
}

function invalidSpec(key: string, problems: readonly PinProblem[]): RefusedAtomVersion {
  const { namespace, name } = splitKey(key);
  return {
    key,
    reason: 'InvalidSpec',
    message: problems.map((p) => `${p.path ?? 'spec'}: ${p.message}`).join('; '),
    advice: `fix the spec (kubectl edit atomversion ${name} -n ${namespace}); atomsync acts on no part of this AtomVersion until then`,
  };
}

/** Every AtomVersion that shares its account and runtime (by name or by id) with another one. */
function duplicateRuntimes(docs: readonly DesiredAtomVersion[]): Map<string, RefusedAtomVersion> {
  const byRuntime = new Map<string, DesiredAtomVersion[]>();
  for (const doc of docs) {
    for (const identity of runtimeIdentities(doc))
      byRuntime.set(identity, [...(byRuntime.get(identity) ?? []), doc]);
  }
  const refused = new Map<string, RefusedAtomVersion>();
  for (const group of byRuntime.values()) {
    if (group.length < 2) continue;
    for (const doc of group) {
      const others = group.filter((other) => other !== doc).map((other) => `AtomVersion ${other.key}`);
      const runtime =
        doc.spec.runtime.name !== undefined
          ? `runtime '${doc.spec.runtime.name}'`
          : `runtime id '${doc.spec.runtime.id}'`;
      refused.set(doc.key, {
        key: doc.key,
        reason: 'DuplicateRuntime',
        message: `${runtime} of account ${doc.spec.account} is also pinned by ${others.join(', ')}; a runtime may be pinned by one AtomVersion only, so none of them is applied`,
        advice: 'delete all but one of them, or point the others at another runtime',
      });
    }
  }
  return refused;
}

function runtimeIdentities(doc: DesiredAtomVersion): string[] {
  const { account, runtime } = doc.spec;
  return [
    ...(runtime.name !== undefined ? [`${account}\u0000name\u0000${runtime.name}`] : []),
    ...(runtime.id !== undefined ? [`${account}\u0000id\u0000${runtime.id}`] : []),
  ];
}

/** Connector and pack names must be unique in their list (the CRD says so too, for API servers that check). */
function duplicateNameProblems(key: string, spec: AtomVersionSpecLists): PinProblem[] {
  const lists = [
    { field: 'connectors', label: 'connector', items: spec.connectors },
    { field: 'integrationPacks', label: 'integration pack', items: spec.integrationPacks },
  ];
  return lists.flatMap(({ field, label, items }) => {
    const seen = new Map<string, number>();
    return items.flatMap((item, index): PinProblem[] => {
      const first = seen.get(item.name);
      if (first === undefined) {
        seen.set(item.name, index);
        return [];
      }
      return [
        {
          file: objectLocation(key),
          ...TOP,
          path: `spec.${field}[${index}].name`,
          code: 'InvalidValue',
          message: `${label} '${item.name}' is already listed at spec.${field}[${first}]; each name may appear once`,
        },
      ];
    });
  });
}

interface AtomVersionSpecLists {
  connectors: readonly { name: string }[];
  integrationPacks: readonly { name: string }[];
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
