// "Did you mean …?": the names closest to a misspelled one, for suggestions in errors (an account alias,
// a runtime name, a schema field). Pure.

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return closestNames(word, candidates, 1)[0];
}

/**
 * Up to `limit` candidates close enough to `word` to be likely typos of it, closest first (ties in the
 * candidates' order). Close enough: at most a third of the word's letters differ (at least one).
 */
export function closestNames(word: string, candidates: readonly string[], limit = 3): string[] {
  const budget = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  return [...new Set(candidates)]
    .map((candidate, order) => ({ candidate, order, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter((scored) => scored.distance <= budget && scored.candidate !== word)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, limit)
    .map((scored) => scored.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** ` — did you mean 'a'?` / ` — did you mean 'a' or 'b'?`, or '' without suggestions. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `'${s}'`);
  const last = quoted.pop() as string;
  return ` — did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
