// Replaces known secret values (API tokens, Basic-auth headers, webhook and git secrets) wherever they
// appear in a log line: the last line of defence behind pino's redact paths, for secrets that end up
// inside messages and error texts instead of in a named field.

export const REDACTED = '[REDACTED]';

/** Shorter values are too likely to be ordinary text to replace everywhere. */
const MIN_SECRET_LENGTH = 6;

export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Registers values to scrub; each is also matched in its JSON-escaped and Basic-auth forms. */
  add(...values: (string | undefined)[]): void {
    let changed = false;
    for (const value of values) {
      if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
      for (const form of formsOf(value)) {
        if (this.secrets.has(form)) continue;
        this.secrets.add(form);
        changed = true;
      }
    }
    if (changed) this.pattern = buildPattern([...this.secrets]);
  }

  /** Registers a `user:token` pair as sent in a Basic Authorization header. */
  addBasicAuth(username: string, token: string): void {
    this.add(token, Buffer.from(`${username}:${token}`).toString('base64'));
  }

  get size(): number {
    return this.secrets.size;
  }

  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }
}

function formsOf(value: string): string[] {
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  return jsonEscaped === value ? [value] : [value, jsonEscaped];
}

/** Longest first, so a secret that contains another is replaced whole. */
function buildPattern(values: string[]): RegExp {
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every secret this process has read (API tokens and their Basic forms, webhook, GitHub and git secrets).
 * The platform client scrubs platform text with it before that text is kept anywhere, and the logger
 * scrubs every line with it.
 */
export const processSecrets = new SecretScrubber();
