/**
 * Turns what a person types into a safe FTS5 query: every word becomes a quoted prefix term, all
 * of which must match. Quoting means no user text is ever read as FTS5 syntax (AND, NEAR, column:).
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((word) => word.replaceAll('"', ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((word) => `"${word}"*`).join(' ');
}
