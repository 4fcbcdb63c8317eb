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

/**
 * Turns what a person types into a safe FTS5 query: every word becomes a quoted prefix term, all of
 * which must match. Quoting means no user text is ever read as FTS5 syntax (AND, NEAR, column:).
 */
export function matchExpression(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .map((word) => word.replaceAll('"', ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 16)
    .map((word) => `"${word}"*`);
  return terms.length === 0 ? null : terms.join(' ');
}

/** The indexed columns, in job_search's order. */
const COLUMNS = 'job_id, trace_id, protocol_id, job_inputs, workflow_run_id, status_reason, error_message, job_outputs';

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
      addKeys: db.prepare(`INSERT OR IGNORE INTO job_search_key(key, job_rowid)
        SELECT j.created_at * ${KEY_SPAN} + (j.rowid & ${LOW_BITS}), j.rowid FROM temp.search_batch b JOIN ai_jobs j ON j.rowid = b.job_rowid`),
      unkeyed: db
        .prepare(`SELECT b.job_rowid FROM temp.search_batch b JOIN ai_jobs j ON j.rowid = b.job_rowid
          WHERE NOT EXISTS (SELECT 1 FROM job_search_key k WHERE k.job_rowid = b.job_rowid)`)
        .pluck(),
      // Two jobs of the same millisecond whose rowids share their low 21 bits: the later one takes
      // the next free key of that millisecond (order among same-millisecond jobs only).
      addCollidingKey: db.prepare(`INSERT INTO job_search_key(key, job_rowid)
        SELECT (SELECT max(key) FROM job_search_key WHERE key < (j.created_at + 1) * ${KEY_SPAN}) + 1, j.rowid
        FROM ai_jobs j WHERE j.rowid = ?`),
      index: db.prepare(`INSERT INTO job_search(rowid, ${COLUMNS})
        SELECT k.key, ${COLUMNS.split(', ').map((c) => `j.${c}`).join(', ')}
        FROM temp.search_batch b JOIN ai_jobs j ON j.rowid = b.job_rowid JOIN job_search_key k ON k.job_rowid = j.rowid`),
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

/** The list's FROM clause and ordering when a text search runs in creation order. */
export function searchInCreationOrder(descending: boolean, cursorRowid: number | null) {
  const direction = descending ? 'DESC' : 'ASC';
  return {
    // CROSS JOIN fixes the loop order: the index, read in key order, drives the query.
    from: 'job_search s CROSS JOIN job_search_key k CROSS JOIN ai_jobs j',
    join: 'job_search MATCH @match AND k.key = s.rowid AND j.rowid = k.job_rowid',
    cursor:
      cursorRowid === null
        ? null
        : `s.rowid ${descending ? '<' : '>'} (SELECT key FROM job_search_key WHERE job_rowid = @cursor_rowid)`,
    orderBy: `s.rowid ${direction}`,
  };
}

/** A text condition on ai_jobs j for any other sort: the matching set, then the list's own order. */
export const MATCHING_JOBS =
  'j.rowid IN (SELECT k.job_rowid FROM job_search s JOIN job_search_key k ON k.key = s.rowid WHERE job_search MATCH @match)';
