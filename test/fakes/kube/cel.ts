// A small subset of CEL, enough for the validation rules CRDs carry (x-kubernetes-validations):
//   literals: integers, doubles, 'strings' / "strings", true, false, null
//   self and field access (self.spec.version), has(self.field)
//   ! - && || ?:  == != < <= > >=  + (numbers, strings, durations)
//   size(x) / x.size(), x.matches(re), x.startsWith(s), x.endsWith(s), x.contains(s)
//   duration('4h30m') (Go durations: h, m, s, ms), compared with each other
// Anything else is a compile error, as an unknown function would be on a real API server.

export type CelValue =
  string | number | boolean | null | CelDuration | CelValue[] | { [key: string]: CelValue };

export interface CelDuration {
  durationMs: number;
}

export class CelError extends Error {}

type Node =
  | { kind: 'literal'; value: CelValue }
  | { kind: 'ident'; name: string }
  | { kind: 'member'; target: Node; field: string }
  | { kind: 'call'; target?: Node; name: string; args: Node[] }
  | { kind: 'unary'; op: '!' | '-'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'ternary'; test: Node; then: Node; otherwise: Node };

interface Token {
  type: 'num' | 'str' | 'ident' | 'op' | 'end';
  text: string;
  value?: CelValue;
}

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '-', '+', '(', ')', '.', ',', '?', ':'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] ?? '';
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ type: 'num', text: number[0], value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = source.indexOf(char, i + 1);
      if (end < 0) throw new CelError(`unterminated string at ${i}`);
      const text = source.slice(i + 1, end).replace(/\\\\/g, '\\');
      tokens.push({ type: 'str', text, value: text });
      i = end + 1;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (ident) {
      tokens.push({ type: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (!op) throw new CelError(`Syntax error: token recognition error at: '${char}'`);
    tokens.push({ type: 'op', text: op });
    i += op.length;
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
};

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.expression();
    if (this.peek().type !== 'end') throw new CelError(`Syntax error: unexpected '${this.peek().text}'`);
    return node;
  }

  private expression(): Node {
    const test = this.binary(1);
    if (!this.accept('?')) return test;
    const then = this.expression();
    this.expect(':');
    return { kind: 'ternary', test, then, otherwise: this.expression() };
  }

  private binary(minPrecedence: number): Node {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const precedence = token.type === 'op' ? PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.at += 1;
      left = { kind: 'binary', op: token.text, left, right: this.binary(precedence + 1) };
    }
  }

  private unary(): Node {
    if (this.accept('!')) return { kind: 'unary', op: '!', operand: this.unary() };
    if (this.accept('-')) return { kind: 'unary', op: '-', operand: this.unary() };
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    while (this.accept('.')) {
      const name = this.identifier();
      node = this.accept('(')
        ? { kind: 'call', target: node, name, args: this.args() }
        : { kind: 'member', target: node, field: name };
    }
    return node;
  }

  private primary(): Node {
    const token = this.peek();
    this.at += 1;
    if (token.type === 'num' || token.type === 'str') return { kind: 'literal', value: token.value ?? null };
    if (token.type === 'op' && token.text === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token.type !== 'ident') throw new CelError(`Syntax error: unexpected '${token.text}'`);
    if (token.text === 'true' || token.text === 'false')
      return { kind: 'literal', value: token.text === 'true' };
    if (token.text === 'null') return { kind: 'literal', value: null };
    if (this.accept('(')) return { kind: 'call', name: token.text, args: this.args() };
    return { kind: 'ident', name: token.text };
  }

  private args(): Node[] {
    const args: Node[] = [];
    if (this.accept(')')) return args;
    do args.push(this.expression());
    while (this.accept(','));
    this.expect(')');
    return args;
  }

  private identifier(): string {
    const token = this.peek();
    if (token.type !== 'ident')
      throw new CelError(`Syntax error: expected a field name, got '${token.text}'`);
    this.at += 1;
    return token.text;
  }

  private peek(): Token {
    return this.tokens[this.at] ?? { type: 'end', text: '' };
  }

  private accept(op: string): boolean {
    const token = this.peek();
    if (token.type !== 'op' || token.text !== op) return false;
    this.at += 1;
    return true;
  }

  private expect(op: string): void {
    if (!this.accept(op)) throw new CelError(`Syntax error: expected '${op}'`);
  }
}

const compiled = new Map<string, Node>();

/** Compiles (cached) and evaluates `rule` with `self` bound; throws CelError on a compile or runtime error. */
export function evaluateCel(rule: string, self: unknown): CelValue {
  let node = compiled.get(rule);
  if (!node) {
    node = new Parser(tokenize(rule)).parse();
    compiled.set(rule, node);
  }
  return evaluate(node, { self: self as CelValue });
}

function evaluate(node: Node, scope: Record<string, CelValue>): CelValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'ident':
      if (!(node.name in scope)) throw new CelError(`undeclared reference to '${node.name}'`);
      return scope[node.name] ?? null;
    case 'member':
      return member(evaluate(node.target, scope), node.field);
    case 'unary': {
      const value = evaluate(node.operand, scope);
      if (node.op === '!') return !asBool(value);
      if (typeof value !== 'number') throw new CelError("no such overload: '-' on a non-number");
      return -value;
    }
    case 'ternary':
      return asBool(evaluate(node.test, scope))
        ? evaluate(node.then, scope)
        : evaluate(node.otherwise, scope);
    case 'binary':
      return binary(node.op, node.left, node.right, scope);
    case 'call':
      return call(node, scope);
  }
}

function binary(op: string, leftNode: Node, rightNode: Node, scope: Record<string, CelValue>): CelValue {
  if (op === '&&') return asBool(evaluate(leftNode, scope)) && asBool(evaluate(rightNode, scope));
  if (op === '||') return asBool(evaluate(leftNode, scope)) || asBool(evaluate(rightNode, scope));
  const left = comparable(evaluate(leftNode, scope));
  const right = comparable(evaluate(rightNode, scope));
  switch (op) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right);
    case '!=':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '+':
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      throw new CelError("no such overload: '+'");
    case '-':
      if (typeof left === 'number' && typeof right === 'number') return left - right;
      throw new CelError("no such overload: '-'");
  }
  if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string'))
    throw new CelError(`no such overload: '${op}'`);
  const l = left as number | string;
  const r = right as number | string;
  return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
}

/** Durations compare by their length. */
function comparable(value: CelValue): CelValue {
  return isDuration(value) ? value.durationMs : value;
}

function call(node: Extract<Node, { kind: 'call' }>, scope: Record<string, CelValue>): CelValue {
  if (node.name === 'has' && !node.target) {
    const [arg] = node.args;
    if (node.args.length !== 1 || arg?.kind !== 'member')
      throw new CelError('invalid argument to has() macro');
    const target = evaluate(arg.target, scope);
    return isMap(target) && arg.field in target;
  }
  const args = node.args.map((a) => evaluate(a, scope));
  const target = node.target ? evaluate(node.target, scope) : (args.shift() ?? null);
  switch (node.name) {
    case 'size':
      if (typeof target === 'string') return [...target].length;
      if (Array.isArray(target)) return target.length;
      if (isMap(target)) return Object.keys(target).length;
      throw new CelError("no such overload: 'size'");
    case 'matches':
      return new RegExp(stringArg(args[0])).test(stringOf(target, 'matches'));
    case 'startsWith':
      return stringOf(target, 'startsWith').startsWith(stringArg(args[0]));
    case 'endsWith':
      return stringOf(target, 'endsWith').endsWith(stringArg(args[0]));
    case 'contains':
      return stringOf(target, 'contains').includes(stringArg(args[0]));
    case 'duration':
      return { durationMs: parseGoDuration(stringOf(target, 'duration')) };
    default:
      throw new CelError(`undeclared reference to '${node.name}'`);
  }
}

function member(target: CelValue, field: string): CelValue {
  if (!isMap(target) || !(field in target)) throw new CelError(`no such key: ${field}`);
  return target[field] ?? null;
}

function parseGoDuration(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!match || text === '') throw new CelError(`invalid duration '${text}'`);
  const [, h, m, s, ms] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000 + Number(ms ?? 0);
}

function asBool(value: CelValue): boolean {
  if (typeof value !== 'boolean') throw new CelError('no matching overload: expected a bool');
  return value;
}

function stringOf(value: CelValue, fn: string): string {
  if (typeof value !== 'string') throw new CelError(`no such overload: '${fn}' on a non-string`);
  return value;
}

function stringArg(value: CelValue | undefined): string {
  if (typeof value !== 'string') throw new CelError('expected a string argument');
  return value;
}

function isDuration(value: CelValue): value is CelDuration {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'durationMs' in value;
}

function isMap(value: CelValue): value is { [key: string]: CelValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isDuration(value);
}
