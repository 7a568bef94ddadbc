// A problem found while reading a file, pointing at the offending place so a person can jump to it.

export interface SourceProblem<Code extends string = string> {
  /** The file as shown to people (relative where possible, `/` separators). */
  file: string;
  /** 1-based line and column of the offending node (or of the first bad byte). */
  line: number;
  col: number;
  /** Field path inside the document, e.g. `spec.connectors[1].version`. */
  path?: string;
  message: string;
  code: Code;
}

/** `examples/pins/prod.yaml:12:7 spec.connectors[1].version: must match …` */
export function formatProblem(problem: SourceProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where} ${problem.message}`;
}

/** Orders problems by file, then line, then column (stable for equal positions). */
export function compareProblems(a: SourceProblem, b: SourceProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col;
}
