/**
 * A text filter as one SQL condition over `ai_jobs j`, for the queries that need the matching set
 * itself (jobs.count); the jobs list pages through matches its own way (store/jobs.ts `search`).
 * Every typed word must match somewhere in the job, as a quoted prefix term (no user text is ever
 * read as FTS5 syntax), through the contentless index `job_search` and its key table.
 */
import { parseSearch } from './search';

export function ftsCondition(text: string): { sql: string; params: Record<string, string> } | null {
  const phrases = parseSearch(text);
  if (phrases.length === 0) return null;
  const params: Record<string, string> = {};
  const clauses = phrases.map((phrase, index) => {
    params[`term${index}`] = phrase.fts;
    return `j.rowid IN (SELECT k.job_rowid FROM job_search s JOIN job_search_key k ON k.key = s.rowid WHERE job_search MATCH @term${index})`;
  });
  return { sql: clauses.join(' AND '), params };
}
