/**
 * jobs.count: how many jobs match a filter, in total and per state: from the per-(kind, state)
 * count table where the filter allows, else from indexes only where the schema allows (1,000,000
 * jobs in tens of milliseconds; see bench/rpc.ts).
 */
import type Database from 'better-sqlite3';
import { JOB_STATES, type JobState } from '../../src-shared/enums';
import type { JobCounts, StateCounts } from '../../src-shared/inspector';
import { Conditions } from '../db/conditions';
import { StatementCache } from '../db/statement-cache';
import { conditionsWithoutState, type JobFilter } from '../store/job-filter';
import { parseSearch, phraseHits, SEARCHED, type Phrase } from '../store/search';

/**
 * A text filter counts at most this many matching jobs. Counting every match of a word in 90%
 * of 1,000,000 jobs took 1.6 s, and the jobs list asks for counts with every search; the first
 * 1,000 matches take under 10 ms whatever the history's size (10,000 took 89 ms on a cold
 * 1,000,000-job file). Past the cap the counts are lower bounds and say so (`capped_at`): "1,000+ jobs".
 */
export const TEXT_COUNT_CAP = 1_000;

/**
 * The text part as one FTS5 query (each typed word a quoted prefix phrase, all of them ANDed), and
 * the rest of the filter over the jobs it matches, newest first (the index's key order, as the list
 * reads it) until one past the cap.
 */
function cappedTextSql(filter: JobFilter, cap: number): { sql: string; params: Record<string, unknown> } | null {
  const phrases = parseSearch(filter.text ?? '');
  if (phrases.length === 0) return null;
  const where = conditionsWithoutState(filter, { text: false });
  where.raw('job_search MATCH @text_match', { text_match: phrases.map((phrase) => phrase.fts).join(' AND ') });
  return {
    sql: `SELECT status, count(*) AS n FROM (SELECT j.status AS status FROM job_search s
      JOIN job_search_key k ON k.key = s.rowid JOIN ai_jobs j ON j.rowid = k.job_rowid
      ${where.toSql()} ORDER BY s.rowid DESC LIMIT ${cap + 1}) GROUP BY status`,
    params: where.params,
  };
}

/**
 * A filter of kinds and states alone (the Jobs view's badges, with or without a kind chosen) is
 * answered from job_state_counts, which triggers keep exact per (kind, state): at most 120 rows.
 */
function readsCountTable(filter: JobFilter): boolean {
  return filter.created_from === undefined && filter.created_to === undefined && !filter.text?.trim() && !filter.trace_id && !filter.workflow_run_id;
}

/**
 * With a time range but no kind, text or id filter, each state's count is a range of the (status, created_at)
 * index, so ten range counts read the index and never the table. The other filters select their
 * rows through their own index (kind, FTS, trace); one pass over those rows, grouped by status,
 * is then cheaper than ten.
 */
function readsStateIndex(filter: JobFilter): boolean {
  return !filter.job_kind?.length && !filter.text?.trim() && !filter.trace_id && !filter.workflow_run_id;
}

export function countSql(filter: JobFilter, cap = TEXT_COUNT_CAP): { sql: string; params: Record<string, unknown>; capped: boolean } {
  const text = filter.text?.trim() ? cappedTextSql(filter, cap) : null;
  if (text) return { ...text, capped: true };
  return { ...exactCountSql(filter), capped: false };
}

function exactCountSql(filter: JobFilter): { sql: string; params: Record<string, unknown> } {
  if (readsCountTable(filter)) {
    const kinds = new Conditions();
    kinds.oneOf('c.job_kind', 'kind', filter.job_kind);
    return { sql: `SELECT c.status AS status, sum(c.n) AS n FROM job_state_counts c ${kinds.toSql()} GROUP BY c.status`, params: kinds.params };
  }
  const where = conditionsWithoutState(filter);
  if (!readsStateIndex(filter)) {
    return { sql: `SELECT j.status AS status, count(*) AS n FROM ai_jobs j ${where.toSql()} GROUP BY j.status`, params: where.params };
  }
  const perState = JOB_STATES.map((state) => {
    const inState = conditionsWithoutState(filter);
    inState.raw(`j.status = '${state}'`);
    return `SELECT '${state}' AS status, count(*) AS n FROM ai_jobs j ${inState.toSql()}`;
  });
  return { sql: perState.join(' UNION ALL '), params: where.params };
}

/**
 * A word most jobs hold is counted without the index: its FTS5 prefix query loads the word's whole
 * list of matches (900,000 of them: 73 ms) before the first row. The newest jobs, read in list order
 * and checked as the list checks them, hold the cap's worth of matches within this many rows.
 */
const COUNT_SCAN_FACTOR = 4;

export class JobCounter {
  private readonly statements: StatementCache;

  constructor(
    db: Database.Database,
    private readonly textCap = TEXT_COUNT_CAP,
  ) {
    this.statements = new StatementCache(db, 32);
  }

  count(filter: JobFilter): JobCounts {
    const phrases = filter.text?.trim() ? parseSearch(filter.text) : [];
    const newest = phrases.length > 0 ? this.newestMatches(filter, phrases) : null;
    if (newest) return this.countsOf(filter, newest, true);
    const { sql, params, capped } = countSql(filter, this.textCap);
    return this.countsOf(filter, this.statements.get(sql).all(params) as Array<{ status: JobState; n: number }>, capped);
  }

  /** The states of the newest cap + 1 matches when a scan of the newest jobs finds them, else null. */
  private newestMatches(filter: JobFilter, phrases: Phrase[]): Array<{ status: JobState; n: number }> | null {
    const where = conditionsWithoutState(filter, { text: false });
    const sql = `SELECT j.status, ${SEARCHED.map((column) => `j.${column}`).join(', ')} FROM ai_jobs j ${where.toSql()}
      ORDER BY j.created_at DESC, j.rowid DESC LIMIT ${COUNT_SCAN_FACTOR * this.textCap}`;
    const found = new Map<JobState, number>();
    let matched = 0;
    for (const row of this.statements.get(sql).iterate(where.params) as Iterable<{ status: JobState } & Record<(typeof SEARCHED)[number], string | null>>) {
      if (!phraseHits(row, phrases).every(Boolean)) continue;
      found.set(row.status, (found.get(row.status) ?? 0) + 1);
      matched += 1;
      if (matched > this.textCap) return [...found].map(([status, n]) => ({ status, n }));
    }
    return null;
  }

  private countsOf(filter: JobFilter, rows: Array<{ status: JobState; n: number }>, capped: boolean): JobCounts {
    const byState = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as StateCounts;
    for (const row of rows) byState[row.status] = row.n;
    const read = rows.reduce((sum, row) => sum + row.n, 0);
    const chosen = new Set(filter.state?.length ? filter.state : JOB_STATES);
    const total = [...chosen].reduce((sum, state) => sum + byState[state], 0);
    return capped && read > this.textCap ? { total, by_state: byState, capped_at: this.textCap } : { total, by_state: byState };
  }
}
