// Escaping for text that comes from pins, the platform or the planner (names, messages), so a name
// such as `A|B <script>` can neither break a table nor inject HTML into a PR comment.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const MARKDOWN_SPECIALS = /[\\`*[\]~|]/g;

/** For text inside HTML (a `<summary>`), where Markdown is not interpreted. */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>"]/g, (char) => HTML_ENTITIES[char] ?? char);
}

/** For running Markdown text: HTML escaped, Markdown punctuation backslash-escaped, one line. */
export function escapeInline(text: string): string {
  return escapeUnderscores(escapeHtml(text).replace(MARKDOWN_SPECIALS, (char) => `\\${char}`));
}

/** For a table cell: as inline text (which escapes `|`), never empty. */
export function escapeCell(text: string): string {
  const escaped = escapeInline(text);
  return escaped === '' ? ' ' : escaped;
}

/** Text for inside a code span: backticks cannot be escaped there, so they become quotes. */
export function codeSpan(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ');
}

/** `_` only needs escaping where it could start or end emphasis: not between letters or digits. */
function escapeUnderscores(text: string): string {
  return text.replace(/_/g, (_match, offset: number) => {
    const before = text[offset - 1] ?? '';
    const after = text[offset + 1] ?? '';
    return /[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after) ? '_' : '\\_';
  });
}
