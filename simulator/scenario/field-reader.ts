// Reading an untyped scenario document field by field; every problem is a ScenarioError naming the file
// and the field (accounts[1].runtimes[0].type) with what was expected.

export class ScenarioError extends Error {
  readonly code = 'SCENARIO_INVALID';
  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: ${field}: ${detail}`);
    this.name = 'ScenarioError';
  }
}

export type Path = string;

export function at(path: Path, key: string | number): Path {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export class FieldReader {
  constructor(readonly source: string) {}

  fail(path: Path, detail: string): never {
    throw new ScenarioError(this.source, path === '' ? '(document)' : path, detail);
  }

  record(value: unknown, path: Path, allowedKeys?: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, 'must be a mapping');
    const record = value as Record<string, unknown>;
    if (allowedKeys) {
      const unknown = Object.keys(record).find((k) => !allowedKeys.includes(k));
      if (unknown !== undefined)
        this.fail(at(path, unknown), `unknown field; expected one of ${allowedKeys.join(', ')}`);
    }
    return record;
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value;
  }

  text(value: unknown, path: Path): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, 'must be a non-empty string');
    return value;
  }

  optionalText(value: unknown, path: Path): string | undefined {
    return value === undefined || value === null ? undefined : this.text(value, path);
  }

  /** Versions are strings: 26.11.0. A YAML number (26.11) would lose digits, so it is refused. */
  version(value: unknown, path: Path): string {
    if (typeof value === 'number') this.fail(path, `write the version as a quoted string ("${value}")`);
    const text = this.text(value, path);
    if (!/^\d+(\.\d+)*([-+.][0-9A-Za-z.-]+)?$/.test(text))
      this.fail(path, `"${text}" is not a version like 26.11.0`);
    return text;
  }

  optionalVersion(value: unknown, path: Path): string | undefined {
    return value === undefined || value === null ? undefined : this.version(value, path);
  }

  instant(value: unknown, path: Path): string {
    const text = value instanceof Date ? value.toISOString() : this.text(value, path);
    const ms = Date.parse(text);
    if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
      this.fail(path, `"${text}" is not an ISO instant like 2026-11-23T08:00:00Z`);
    }
    return new Date(ms).toISOString();
  }

  optionalInstant(value: unknown, path: Path): string | undefined {
    return value === undefined || value === null ? undefined : this.instant(value, path);
  }

  oneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) {
      this.fail(path, `must be one of ${allowed.join(', ')}; got ${JSON.stringify(value ?? null)}`);
    }
    return value as T;
  }

  optionalOneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T | undefined {
    return value === undefined || value === null ? undefined : this.oneOf(value, path, allowed);
  }

  integer(value: unknown, path: Path, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(
        path,
        `must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`,
      );
    }
    return value;
  }

  optionalInteger(value: unknown, path: Path, min: number, max?: number): number | undefined {
    return value === undefined || value === null ? undefined : this.integer(value, path, min, max);
  }

  number(value: unknown, path: Path, min: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
      this.fail(path, `must be a number >= ${min}`);
    return value;
  }

  optionalNumber(value: unknown, path: Path, min: number): number | undefined {
    return value === undefined || value === null ? undefined : this.number(value, path, min);
  }

  optionalBoolean(value: unknown, path: Path): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  texts(value: unknown, path: Path): string[] {
    return this.list(value, path).map((v, i) => this.text(v, at(path, i)));
  }
}
