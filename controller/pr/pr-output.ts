// Writes a PR report in the chosen format. Markdown longer than one GitHub comment is split into
// numbered parts (each with its own marker): with --out they go to numbered files (`plan.1.md`,
// `plan.2.md`, …), on stdout they are separated by a `---` line.

import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { AccountAliases } from '../report/account-names.js';
import { renderPrJson } from './pr-json.js';
import { renderPrMarkdownParts } from './pr-markdown.js';
import type { PrReport } from './pr-report.js';
import { renderPrText } from './pr-text.js';

export type PrReportFormat = 'text' | 'json' | 'markdown';

const PART_SEPARATOR = '\n---\n\n';

export function renderPrReport(
  report: PrReport,
  format: PrReportFormat,
  accountAliases: AccountAliases,
  color: boolean,
): string[] {
  if (format === 'json') return [renderPrJson(report)];
  if (format === 'markdown') return renderPrMarkdownParts(report, accountAliases);
  return [renderPrText(report, { color, accountAliases })];
}

/** The files written (empty when the report went to stdout). */
export async function writePrReport(parts: readonly string[], out: string | undefined): Promise<string[]> {
  if (out === undefined) {
    process.stdout.write(parts.map(withNewline).join(PART_SEPARATOR));
    return [];
  }
  const files = parts.length === 1 ? [out] : parts.map((_, index) => numberedFile(out, index + 1));
  for (const [index, file] of files.entries()) await writeFile(file, parts[index] ?? '');
  return files;
}

/** `plan.md` → `plan.2.md`; `plan` → `plan.2`. */
function numberedFile(out: string, part: number): string {
  const extension = extname(out);
  return extension ? `${out.slice(0, -extension.length)}.${part}${extension}` : `${out}.${part}`;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
