/**
 * Full-text search over jobs, off the commit path (migration 0005). A trigger notes every inserted
 * or changed job in job_search_pending; `catchUp` indexes pending jobs in batches, set-based in
 * SQL. The index is keyed by creation order (job_search_key), so a "newest first" (or oldest
 * first) search reads matches in page order and stops when the page is full: its cost follows the
 * page size, not the number of jobs a word matches.
 */
import type Database from 'better-sqlite3';

/** 2^21: a key is created_at * KEY_SPAN + the rowid's low 21 bits (kept inside SQL: keys exceed 2^53). */
const KEY_SPAN = 2_097_152;
const LOW_BITS = KEY_SPAN - 1;

/** Words as the index's unicode61 tokenizer sees them: letters and digits, case and accents folded. */
export function tokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter((token) => token.length > 0);
}

/** One typed word: its tokens, the last one a prefix, and the same as a safe FTS5 term. */
export interface Phrase {
  tokens: string[];
  /** Quoted, so no user text is ever read as FTS5 syntax (AND, NEAR, column:). */
  fts: string;
}

/** What a person typed, as phrases that must all match somewhere in a job (at most 16). */
export function parseSearch(text: string): Phrase[] {
  return text
    .split(/\s+/)
    .map((word) => word.replaceAll('"', ''))
    .map((word) => ({ tokens: tokens(word), fts: `"${word}"*` }))
    .filter((phrase) => phrase.tokens.length > 0)
    .slice(0, 16);
}

/** The indexed columns, in job_search's order. */
export const SEARCHED = ['job_id', 'trace_id', 'protocol_id', 'job_inputs', 'workflow_run_id', 'status_reason', 'error_message', 'job_outputs'] as const;
const COLUMNS = SEARCHED.join(', ');

function phraseIn(columnTokens: string[], phrase: string[]): boolean {
  const last = phrase.length - 1;
  for (let start = 0; start + last < columnTokens.length; start += 1) {
    let ok = true;
    for (let i = 0; i < last && ok; i += 1) ok = columnTokens[start + i] === phrase[i];
    if (ok && columnTokens[start + last]!.startsWith(phrase[last]!)) return true;
  }
  return false;
}

/** Only ASCII: no character above U+007F. */
const ASCII = /^[^\u0080-\uffff]*$/;

/** Which phrases a job row holds, read the way the index reads it (same columns, same tokens). */
export function phraseHits(row: Record<(typeof SEARCHED)[number], string | null>, phrases: Phrase[]): boolean[] {
  const texts = SEARCHED.map((column) => row[column] ?? '');
  const all = texts.join('\n');
  // ASCII text holds a phrase only if it holds its first token as a substring: most rows are
  // ruled out by that, before any tokenising (which folding would make unsafe for other text).
  const lower = ASCII.test(all) ? all.toLowerCase() : null;
  let columns: string[][] | null = null;
  return phrases.map((phrase) => {
    if (lower !== null && !lower.includes(phrase.tokens[0]!)) return false;
    columns ??= texts.map(tokens);
    return columns.some((columnTokens) => phraseIn(columnTokens, phrase.tokens));
  });
}

/**
 * The statements that read the batch's jobs. CROSS JOIN makes the small batch drive each one: left
 * to the planner, with statistics for a large ai_jobs and none for the temp table, it scanned
 * ai_jobs and probed the batch, so indexing one job took 40-70 ms in a 100,000-job history.
 */
export const BATCH_JOINS = {
  addKeys: `INSERT OR IGNORE INTO job_search_key(key, job_rowid)
    SELECT j.created_at * ${KEY_SPAN} + (j.rowid & ${LOW_BITS}), j.rowid FROM temp.search_batch b CROSS JOIN ai_jobs j ON j.rowid = b.job_rowid`,
  unkeyed: `SELECT b.job_rowid FROM temp.search_batch b CROSS JOIN ai_jobs j ON j.rowid = b.job_rowid
    WHERE NOT EXISTS (SELECT 1 FROM job_search_key k WHERE k.job_rowid = b.job_rowid)`,
  index: `INSERT INTO job_search(rowid, ${COLUMNS})
    SELECT k.key, ${SEARCHED.map((c) => `j.${c}`).join(', ')}
    FROM temp.search_batch b CROSS JOIN ai_jobs j ON j.rowid = b.job_rowid CROSS JOIN job_search_key k ON k.job_rowid = j.rowid`,
};

export class JobSearch {
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    // The batch being indexed: per connection, so it never reaches the database file.
    db.exec('CREATE TEMP TABLE IF NOT EXISTS search_batch (job_rowid INTEGER NOT NULL PRIMARY KEY)');
    const inBatch = 'job_rowid IN (SELECT job_rowid FROM temp.search_batch)';
    this.sql = {
      lag: db.prepare('SELECT count(*) FROM job_search_pending').pluck(),
      lagUpTo: db.prepare('SELECT count(*) FROM (SELECT 1 FROM job_search_pending LIMIT ?)').pluck(),
      fill: db.prepare('INSERT INTO temp.search_batch SELECT job_rowid FROM job_search_pending ORDER BY job_rowid LIMIT ?'),
      dropOld: db.prepare(`DELETE FROM job_search WHERE rowid IN (SELECT key FROM job_search_key WHERE ${inBatch})`),
      dropGone: db.prepare(`DELETE FROM job_search_key WHERE ${inBatch} AND job_rowid NOT IN (SELECT rowid FROM ai_jobs)`),
      addKeys: db.prepare(BATCH_JOINS.addKeys),
      unkeyed: db.prepare(BATCH_JOINS.unkeyed).pluck(),
      // Two jobs of the same millisecond whose rowids share their low 21 bits: the later one takes
      // the next free key of that millisecond (order among same-millisecond jobs only).
      addCollidingKey: db.prepare(`INSERT INTO job_search_key(key, job_rowid)
        SELECT (SELECT max(key) FROM job_search_key WHERE key < (j.created_at + 1) * ${KEY_SPAN}) + 1, j.rowid
        FROM ai_jobs j WHERE j.rowid = ?`),
      index: db.prepare(BATCH_JOINS.index),
      done: db.prepare(`DELETE FROM job_search_pending WHERE ${inBatch}`),
      clear: db.prepare('DELETE FROM temp.search_batch'),
    };
  }

  /** Jobs inserted or changed but not yet searchable. */
  lag(): number {
    return this.sql.lag.get() as number;
  }

  /** The lag, counted no further than `bound` (cheap on a large backlog). */
  lagUpTo(bound: number): number {
    return this.sql.lagUpTo.get(bound) as number;
  }

  /** Indexes up to `limit` pending jobs in the caller's transaction; returns how many it took. */
  catchUp(limit: number): number {
    const taken = this.sql.fill.run(limit).changes;
    if (taken === 0) return 0;
    this.sql.dropOld.run();
    this.sql.dropGone.run();
    this.sql.addKeys.run();
    for (const rowid of this.sql.unkeyed.all() as number[]) this.sql.addCollidingKey.run(rowid);
    this.sql.index.run();
    this.sql.done.run();
    this.sql.clear.run();
    return taken;
  }
}

/** SQL of a text search's candidate source for the jobs list (ai_jobs is `j`). */
export interface CandidateSql {
  from: string;
  /** Conditions joining the index to ai_jobs and matching the phrase (@match). */
  join: string;
  /** Rows after (@after_value, @after_rowid) in page order. */
  after: string;
  orderBy: string;
}

/**
 * Candidates in creation order straight from the index (keys are in creation order): read in page
 * order, so a query stops once its page is full. `after` finds a row's key, or the key it would have.
 */
export function indexInCreationOrder(descending: boolean): CandidateSql {
  return {
    // CROSS JOIN fixes the loop order: the index, read in key order, drives the query.
    from: 'job_search s CROSS JOIN job_search_key k CROSS JOIN ai_jobs j',
    join: 'job_search MATCH @match AND k.key = s.rowid AND j.rowid = k.job_rowid',
    after: `s.rowid ${descending ? '<' : '>'} coalesce((SELECT key FROM job_search_key WHERE job_rowid = @after_rowid),
      @after_value * ${KEY_SPAN} + (@after_rowid & ${LOW_BITS}))`,
    orderBy: `s.rowid ${descending ? 'DESC' : 'ASC'}`,
  };
}

/** The jobs list itself, in its order (no text condition). */
export function listOrder(column: string, descending: boolean): CandidateSql {
  const direction = descending ? 'DESC' : 'ASC';
  return {
    from: 'ai_jobs j',
    join: '',
    after: `(j.${column}, j.rowid) ${descending ? '<' : '>'} (@after_value, @after_rowid)`,
    orderBy: `j.${column} ${direction}, j.rowid ${direction}`,
  };
}

/** Candidates for any other order: the matching set, then the list's own order. */
export function matchingSet(column: string, descending: boolean): CandidateSql {
  return {
    ...listOrder(column, descending),
    join: 'j.rowid IN (SELECT k.job_rowid FROM job_search s JOIN job_search_key k ON k.key = s.rowid WHERE job_search MATCH @match)',
  };
}
