// labelSelector (=, ==, !=, in, notin, exists, !exists) and fieldSelector (=, ==, !=) matching.
import type { KubeObject, ResourceType } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import { badRequest } from './status-errors.js';

export type Selector = (obj: KubeObject) => boolean;

const MATCH_ALL: Selector = () => true;

export function parseLabelSelector(text: string | null): Selector {
  if (!text) return MATCH_ALL;
  const requirements = splitTopLevel(text).map(parseLabelRequirement);
  return (obj) => requirements.every((matches) => matches(obj.metadata?.labels ?? {}));
}

function parseLabelRequirement(raw: string): (labels: Record<string, string>) => boolean {
  const text = raw.trim();
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in'
      ? (labels) => key in labels && values.includes(labels[key] ?? '')
      : (labels) => !(key in labels) || !values.includes(labels[key] ?? '');
  }
  const equality = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(text);
  if (equality) {
    const [, key = '', op, value = ''] = equality;
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  if (/^![^\s!=]+$/.test(text)) return (labels) => !(text.slice(1) in labels);
  if (/^[^\s!=()]+$/.test(text)) return (labels) => text in labels;
  throw badRequest(`unable to parse requirement: ${JSON.stringify(text)}`);
}

export function parseFieldSelector(text: string | null, type: ResourceType): Selector {
  if (!text) return MATCH_ALL;
  const requirements = text.split(',').map((raw) => parseFieldRequirement(raw.trim(), type));
  return (obj) => requirements.every((matches) => matches(obj));
}

function parseFieldRequirement(text: string, type: ResourceType): Selector {
  const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(text);
  if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${text}'`);
  const [, field = '', op, value = ''] = match;
  if (!isSelectableField(field, type)) {
    throw badRequest(`field label not supported: ${field}`);
  }
  const path = field.split('.');
  return op === '!=' ? (obj) => fieldText(obj, path) !== value : (obj) => fieldText(obj, path) === value;
}

/** CRs answer only metadata.name and metadata.namespace; built-in kinds also their own fields. */
function isSelectableField(field: string, type: ResourceType): boolean {
  if (field === 'metadata.name' || field === 'metadata.namespace') return true;
  return !type.custom;
}

function fieldText(obj: KubeObject, path: string[]): string {
  let current: unknown = obj;
  for (const key of path) current = isPlainObject(current) ? current[key] : undefined;
  return current === undefined || current === null ? '' : String(current);
}

/** Splits on commas outside parentheses (`a in (x,y),b=c`). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}
