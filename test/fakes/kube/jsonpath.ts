// The part of Kubernetes JSONPath that printer columns use: `.a.b`, `['a']`, `[0]`, `[*]`, `.*` and
// filters like `[?(@.type=="Ready")]` (==, !=, or existence).

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op?: '==' | '!='; literal?: unknown };

export function evaluateJsonPath(expression: string, root: unknown): unknown[] {
  let values: unknown[] = [root];
  for (const step of parseJsonPath(expression)) values = values.flatMap((v) => applyStep(step, v));
  return values.filter((v) => v !== undefined);
}

/** How `kubectl`'s JSONPath printer renders results: strings raw, the rest as JSON, space separated. */
export function formatJsonPathResults(values: unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
}

function applyStep(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isRecord(value) && step.name in value ? [value[step.name]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const item: unknown = value[step.index < 0 ? value.length + step.index : step.index];
      return item === undefined ? [] : [item];
    }
    case 'wildcard':
      if (Array.isArray(value)) return value;
      return isRecord(value) ? Object.values(value) : [];
    case 'filter':
      return Array.isArray(value) ? value.filter((item) => matchesFilter(step, item)) : [];
  }
}

function matchesFilter(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  let current: unknown = item;
  for (const name of step.path) current = isRecord(current) ? current[name] : undefined;
  if (!step.op) return current !== undefined;
  const equal = current === step.literal;
  return step.op === '==' ? equal : !equal;
}

export function parseJsonPath(expression: string): Step[] {
  const source = stripBraces(expression.trim());
  const steps: Step[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (char === '.') {
      if (source[i + 1] === '*') {
        steps.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const match = /^[^.[\]]+/.exec(source.slice(i + 1));
      if (!match) {
        i += 1;
        continue;
      }
      steps.push({ kind: 'field', name: match[0] });
      i += 1 + match[0].length;
    } else if (char === '[') {
      const end = closingBracket(source, i);
      steps.push(parseBracket(source.slice(i + 1, end).trim()));
      i = end + 1;
    } else {
      throw new Error(`unexpected "${char}" in JSONPath ${expression}`);
    }
  }
  return steps;
}

function stripBraces(text: string): string {
  return text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1).trim() : text;
}

function closingBracket(source: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < source.length; i++) {
    const char = source[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') depth++;
    else if (char === ']' && --depth === 0) return i;
  }
  throw new Error(`unclosed "[" in JSONPath ${source}`);
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
  const filter = /^\?\(\s*@((?:\.[^.=!\s)]+)+)\s*(?:(==|!=)\s*(.+?))?\s*\)$/.exec(inner);
  if (!filter) throw new Error(`unsupported JSONPath selector [${inner}]`);
  const path = (filter[1] ?? '').slice(1).split('.');
  if (!filter[2]) return { kind: 'filter', path };
  return { kind: 'filter', path, op: filter[2] as '==' | '!=', literal: parseLiteral(filter[3] ?? '') };
}

function parseLiteral(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2];
  if (text === 'true' || text === 'false') return text === 'true';
  const number = Number(text);
  return Number.isNaN(number) ? text : number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
