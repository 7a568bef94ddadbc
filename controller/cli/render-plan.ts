// Renders a plan in the chosen format, to --out or stdout.
import { writeFile } from 'node:fs/promises';
import type { Plan } from '../domain/types.js';
import { renderJson, type PlanProvenance } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderText, shouldColor } from '../report/text.js';
import { CliError } from './errors.js';

export type PlanFormat = 'text' | 'json' | 'markdown';

export function parseFormat(value: string): PlanFormat {
  if (value === 'text' || value === 'json' || value === 'markdown') return value;
  throw new CliError(`--format must be text, json or markdown (got "${value}")`);
}

/** --format as given; without one, JSON for an --out file ending in .json (a saved plan), else text. */
export function formatFor(format: string | undefined, out: string | undefined): PlanFormat {
  if (format !== undefined) return parseFormat(format);
  return out !== undefined && out.toLowerCase().endsWith('.json') ? 'json' : 'text';
}

export function renderPlan(
  plan: Plan,
  format: PlanFormat,
  aliases: Record<string, string>,
  toTty: boolean,
  provenance?: PlanProvenance,
): string {
  if (format === 'json') return renderJson(plan, provenance);
  if (format === 'markdown') return renderMarkdown(plan, { accountAliases: aliases });
  return renderText(plan, { color: toTty && shouldColor(process.stdout), accountAliases: aliases });
}

export async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, text);
  else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Terraform's -detailed-exitcode: 0 when nothing differs, 2 when there are changes, drift or manual steps. */
export function detailedExitCode(plan: Plan): 0 | 2 {
  return plan.changes.length > 0 || plan.drift.length > 0 || plan.manual.length > 0 ? 2 : 0;
}
