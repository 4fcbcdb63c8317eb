/**
 * Migration 8: full-text search
 * leaves the commit path.
 *
 * Before: two FTS5 indexes kept in step by triggers, so every job insert and every state change
 * tokenised text inside the writer's transaction (about 7x the cost of the row itself). Now a
 * trigger only notes the job's rowid in job_search_pending (one integer), and the search indexer
 * (store/search.ts) indexes pending jobs in batches, off the commit path; the number still pending
 * is the index's lag, shown in system.status and in any search answered while it is behind.
 *
 * job_search is contentless (nothing stored twice) and keyed by a sort key, not by the job's
 * rowid: created_at * 2^21 plus the rowid's low 21 bits (job_search_key maps it back to the job).
 * A page of "newest first" matches is then the index's own order, read until the page is full,
 * whatever the share of jobs a word matches. Keys stay inside SQL (they exceed 2^53).
 *
 * Invariants kept: ai_jobs_fts_update still refuses any change to job_id, trace_id, protocol_id
 * and job_inputs; no other table, CHECK or trigger changes. Existing jobs are all queued for the
 * indexer, so an upgraded database's search catches up on its own.
 */
import type { Migration } from './migration';

const SQL = `
DROP TRIGGER ai_jobs_fts_insert;
DROP TRIGGER ai_jobs_fts_delete;
DROP TRIGGER ai_jobs_fts_state_insert;
DROP TRIGGER ai_jobs_fts_state_delete;
DROP TRIGGER ai_jobs_fts_state_update;
DROP TABLE ai_jobs_fts;
DROP TABLE ai_jobs_fts_state;

CREATE VIRTUAL TABLE job_search USING fts5(job_id, trace_id, protocol_id, job_inputs, workflow_run_id, status_reason,
  error_message, job_outputs, content='', contentless_delete=1);
CREATE TABLE job_search_key (
  key INTEGER NOT NULL PRIMARY KEY,
  job_rowid INTEGER NOT NULL UNIQUE
) STRICT;
CREATE TABLE job_search_pending (job_rowid INTEGER NOT NULL PRIMARY KEY) STRICT;

CREATE TRIGGER job_search_pending_insert AFTER INSERT ON ai_jobs BEGIN
  INSERT OR IGNORE INTO job_search_pending(job_rowid) VALUES (new.rowid);
END;
CREATE TRIGGER job_search_pending_update AFTER UPDATE OF workflow_run_id, status_reason, error_message, job_outputs ON ai_jobs BEGIN
  INSERT OR IGNORE INTO job_search_pending(job_rowid) VALUES (new.rowid);
END;
CREATE TRIGGER job_search_pending_delete AFTER DELETE ON ai_jobs BEGIN
  INSERT OR IGNORE INTO job_search_pending(job_rowid) VALUES (old.rowid);
END;

INSERT INTO job_search_pending(job_rowid) SELECT rowid FROM ai_jobs;
`;

export const migration0008: Migration = {
  version: 8,
  name: 'full-text search off the commit path: pending queue, contentless index keyed by creation order',
  up(db) {
    db.exec(SQL);
  },
};
