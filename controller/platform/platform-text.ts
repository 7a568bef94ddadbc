// Text that comes from the platform (error messages, bodies of answers that are not JSON) passes through
// here before it is kept anywhere: every secret this process knows is replaced, so is any Basic or Bearer
// credential the platform (or a gateway in front of it) echoes back; terminal escapes and control characters
// go, and the length is capped. It is then safe to store, show, post and log.
import { processSecrets, REDACTED, type SecretScrubber } from '../log/secret-scrubber.js';

/** Longer platform text is cut: a message is a sentence or two, not a page. */
export const PLATFORM_TEXT_MAX_CHARS = 500;

/** `Authorization: Basic dXNlcjp0b2tlbg==`, `Bearer eyJ…` — whatever the value, wherever it is echoed. */
const SCHEME_CREDENTIAL = /\b(Basic|Bearer|Token)(\s+|%20|\+)[A-Za-z0-9._~+/=:%-]{6,}/gi;

// ANSI/VT escape sequences (CSI, OSC, single-character), then any remaining C0/C1 control or bidi override.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(\u0007|\u001b\\)?|[@-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

export function cleanPlatformText(
  text: string,
  secrets: SecretScrubber = processSecrets,
  maxChars = PLATFORM_TEXT_MAX_CHARS,
): string {
  const scrubbed = secrets
    .scrub(text)
    .replace(SCHEME_CREDENTIAL, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  const printable = scrubbed.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  return capLength(printable, maxChars);
}

function capLength(text: string, maxChars: number): string {
  const chars = [...text];
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, maxChars).join('')}… (${chars.length - maxChars} more characters cut)`;
}
