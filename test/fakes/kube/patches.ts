// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and, for built-in kinds only, a strategic merge
// patch reduced to merge-patch semantics (directives like $patch or $setElementOrder are dropped).
import type { KubeObject } from './kube-types.js';
import { deepClone, isPlainObject } from './kube-types.js';
import { KubeStatusError, badRequest } from './status-errors.js';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? deepClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  return applyMergePatch(target, withoutDirectives(patch));
}

function withoutDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(withoutDirectives);
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith('$')) result[key] = withoutDirectives(value);
  }
  return result;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

export function applyJsonPatch(target: KubeObject, operations: unknown): KubeObject {
  if (!Array.isArray(operations))
    throw badRequest('the server rejected our request due to an error in our request');
  let document: unknown = deepClone(target);
  for (const operation of operations) document = applyOperation(document, operation as JsonPatchOperation);
  if (!isPlainObject(document)) throw badRequest('the patch must keep the object an object');
  return document as KubeObject;
}

function applyOperation(document: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return addAt(document, tokens(operation.path), deepClone(operation.value));
    case 'remove':
      return removeAt(document, tokens(operation.path));
    case 'replace':
      return addAt(
        removeAt(document, tokens(operation.path)),
        tokens(operation.path),
        deepClone(operation.value),
      );
    case 'move': {
      const from = tokens(operation.from ?? '');
      const value = readAt(document, from);
      return addAt(removeAt(document, from), tokens(operation.path), value);
    }
    case 'copy':
      return addAt(
        document,
        tokens(operation.path),
        deepClone(readAt(document, tokens(operation.from ?? ''))),
      );
    case 'test':
      if (JSON.stringify(readAt(document, tokens(operation.path))) !== JSON.stringify(operation.value)) {
        throw new KubeStatusError(422, 'Invalid', `the test operation on ${operation.path} failed`);
      }
      return document;
    default:
      throw badRequest(`Unexpected kind: ${String(operation.op)}`);
  }
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function missing(path: string[]): KubeStatusError {
  return new KubeStatusError(
    422,
    'Invalid',
    `the server rejected our request due to an error in our request: doc is missing path: "/${path.join('/')}"`,
  );
}

function readAt(document: unknown, path: string[]): unknown {
  let current = document;
  for (const token of path) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isPlainObject(current) && token in current) current = current[token];
    else throw missing(path);
  }
  if (current === undefined) throw missing(path);
  return current;
}

function addAt(document: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = readAt(document, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw missing(path);
    parent.splice(index, 0, value);
  } else if (isPlainObject(parent)) {
    parent[last] = value;
  } else {
    throw missing(path);
  }
  return document;
}

function removeAt(document: unknown, path: string[]): unknown {
  readAt(document, path);
  const parent = readAt(document, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isPlainObject(parent)) delete parent[last];
  return document;
}
