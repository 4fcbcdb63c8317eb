/**
 * Turns what a person types into a safe FTS5 query: every word becomes a quoted prefix term, all
 * of which must match. Quoting means no user text is ever read as FTS5 syntax (AND, NEAR, column:).
 */
function ftsTerms(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replaceAll('"', ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 16)
    .map((word) => `"${word}"*`);
}

/**
 * SQL for "every word matches somewhere": each term may match the static index (ids, protocol,
 * inputs) or the state index (run id, reason, error, outputs). Parameters: @term0, @term1, ...
 */
export function ftsCondition(text: string): { sql: string; params: Record<string, string> } | null {
  const terms = ftsTerms(text);
  if (terms.length === 0) return null;
  const params: Record<string, string> = {};
  const clauses = terms.map((term, index) => {
    params[`term${index}`] = term;
    return `(j.rowid IN (SELECT rowid FROM ai_jobs_fts WHERE ai_jobs_fts MATCH @term${index})
      OR j.rowid IN (SELECT rowid FROM ai_jobs_fts_state WHERE ai_jobs_fts_state MATCH @term${index}))`;
  });
  return { sql: clauses.join(' AND '), params };
}
