// Reads `apply` progress as printed without a terminal: one line per status change,
// "<runtime>: <what> — <STATUS> [<request id>]".

const PROGRESS_LINE = /^(?<label>.+) — (?<status>[A-Z_]+) \[(?<id>[^\]]+)\]$/;

/** Request id → the last status `apply` printed for it, with the line's label. */
export function finalStatuses(stdout: string): Map<string, { label: string; status: string }> {
  const statuses = new Map<string, { label: string; status: string }>();
  for (const line of stdout.split('\n')) {
    const groups = PROGRESS_LINE.exec(line)?.groups;
    if (groups?.id && groups.label && groups.status) {
      statuses.set(groups.id, { label: groups.label, status: groups.status });
    }
  }
  return statuses;
}
