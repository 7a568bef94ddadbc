// Refused AtomVersions (domain/pin-refusals.ts) as load problems: file:line:col of the field they are
// about, the reason as the code, and what to do.
import type { PinRefusal } from '../domain/pin-refusals.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { compareProblems } from '../yaml/problem.js';
import type { PinProblem } from './pin-problem.js';

export function refusalProblems(
  docs: readonly DesiredAtomVersion[],
  refusals: ReadonlyMap<string, PinRefusal>,
): PinProblem[] {
  const problems: PinProblem[] = [];
  for (const doc of docs) {
    const refusal = refusals.get(doc.key);
    if (refusal) problems.push(problemOf(doc, refusal));
  }
  return problems.sort(compareProblems);
}

function problemOf(doc: DesiredAtomVersion, refusal: PinRefusal): PinProblem {
  const { file, line, at } = doc.origin;
  const position = at?.[refusal.field === 'spec.account' ? 'account' : 'runtime'] ?? {
    line: line ?? 1,
    col: 1,
  };
  return {
    file: file ?? `AtomVersion ${doc.key}`,
    ...position,
    path: refusal.field,
    code: refusal.reason,
    message: `${refusal.message}${refusal.message.endsWith('?') ? '' : '.'} ${capitalized(refusal.advice)}`,
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
