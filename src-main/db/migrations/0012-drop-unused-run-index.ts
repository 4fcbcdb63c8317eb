/**
 * Migration 12: drop ai_jobs_workflow_run, an index no query reads.
 *
 * Every lookup by run id goes to workflow_runs (its primary key), the jobs filter included
 * (`job_id IN (SELECT job_id FROM workflow_runs WHERE workflow_run_id = ?)`, store/job-filter.ts),
 * and nothing reads ai_jobs by its workflow_run_id column. The index was still written on every
 * run start and every later state change of the job (its column is in the store's UPDATE), and
 * measured on copies of one 100,000-job history the three-transaction lifecycle ran 18-57%
 * faster through raw SQL and 27-28% faster through the store without it (probes of 12 and 10
 * alternating rounds; more than its share of the log's bytes, 3%, accounts for, on this machine).
 *
 * Frozen once released, like every migration: literal SQL.
 */
import type { Migration } from './migration';

const SQL = `
DROP INDEX ai_jobs_workflow_run;
`;

export const migration0012: Migration = {
  version: 12,
  name: 'drop ai_jobs_workflow_run, which no query reads',
  up(db) {
    db.exec(SQL);
  },
};
