/**
 * Migration 9: the partial index of running runs covers what startup recovery reads of them
 * (run id and job id beside the heartbeat). Recovery's first step lists every running run; with
 * the heartbeat alone in the index, each of 5,000 stale runs among 1,000,000 was a lookup in its
 * own table page (38 ms in one piece, 116 ms on a cold page cache, before the first batch could
 * yield). Now the list is read from the index's few pages. The index holds running runs only,
 * so writes pay for it only when a run starts or stops running.
 *
 * Frozen once released, like every migration: literal SQL.
 */
import type { Migration } from './migration';

const SQL = `
DROP INDEX workflow_runs_running;
CREATE INDEX workflow_runs_running ON workflow_runs(last_heartbeat, workflow_run_id, job_id) WHERE status = 'running';
`;

export const migration0009: Migration = {
  version: 9,
  name: 'workflow_runs_running covers the run and job ids recovery reads',
  up(db) {
    db.exec(SQL);
  },
};
