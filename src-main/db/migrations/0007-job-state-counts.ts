/**
 * Migration 7: the number of jobs per (kind, state), kept by triggers, so jobs.count answers a
 * filter of kinds and states alone (the Jobs view's badges) from at most 120 rows instead of
 * reading every job of the kind (about 83,000 table rows per kind at 1,000,000 jobs).
 *
 * The triggers keep the table exact inside the same transaction as the job row: an insert adds
 * one, a change of state (or kind) moves one, a delete removes one. Counts start from the jobs
 * already stored. A count never goes below zero (the CHECK would abort the write that tried).
 *
 * Frozen once released, like every migration: literal SQL.
 */
import type { Migration } from './migration';

const SQL = `
CREATE TABLE job_state_counts (
  job_kind TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (job_kind, status)
) STRICT, WITHOUT ROWID;

INSERT INTO job_state_counts (job_kind, status, n)
  SELECT job_kind, status, count(*) FROM ai_jobs GROUP BY job_kind, status;

CREATE TRIGGER ai_jobs_counts_insert AFTER INSERT ON ai_jobs BEGIN
  INSERT INTO job_state_counts (job_kind, status, n) VALUES (new.job_kind, new.status, 1)
    ON CONFLICT (job_kind, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER ai_jobs_counts_update AFTER UPDATE OF job_kind, status ON ai_jobs
WHEN old.job_kind IS NOT new.job_kind OR old.status IS NOT new.status BEGIN
  UPDATE job_state_counts SET n = n - 1 WHERE job_kind = old.job_kind AND status = old.status;
  INSERT INTO job_state_counts (job_kind, status, n) VALUES (new.job_kind, new.status, 1)
    ON CONFLICT (job_kind, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER ai_jobs_counts_delete AFTER DELETE ON ai_jobs BEGIN
  UPDATE job_state_counts SET n = n - 1 WHERE job_kind = old.job_kind AND status = old.status;
END;
`;

export const migration0007: Migration = {
  version: 7,
  name: 'job_state_counts: jobs per kind and state, kept by triggers',
  up(db) {
    db.exec(SQL);
  },
};
