// Plain-text tables for terminals: every column padded to its widest cell, trailing spaces trimmed.

/** Aligns `rows` (the first row is usually the header) into lines, columns separated by `gap`. */
export function alignColumns(rows: string[][], gap: string): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(gap)
      .trimEnd(),
  );
}
