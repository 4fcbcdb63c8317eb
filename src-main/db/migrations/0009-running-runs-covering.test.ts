import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../../../src-shared/job';
import { migrate, schemaVersion } from '../migrate';
import { MIGRATIONS } from './index';
import { migration0009 } from './0009-running-runs-covering';

const JOB = '01900000-0000-7000-8000-000000000001';
const RUN = '01900000-0000-7000-8000-000000000002';

/** A database as version 8 left it, with one job whose run is running. */
function version8Database(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.filter((migration) => migration.version < 9));
  db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason, protocol_id, profile_id,
    capability_profile_id, access_mode, safety_mode, metrics, job_inputs, created_at, updated_at, flight_recorder_span_id)
    VALUES (?, ?, ?, 'doc_edit', 'running', 'running', 'p', 'default', 'Analyst', 'analysis_only', 'normal', ?, NULL, 1, 1, ?)`)
    .run(JOB, JOB, RUN, JSON.stringify(zeroMetrics()), JOB);
  db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason, last_heartbeat, created_at, updated_at)
    VALUES (?, ?, 1, 'running', 'running', 5, 1, 5)`).run(RUN, JOB);
  return db;
}

const RECOVERY_READ = "SELECT workflow_run_id, job_id, last_heartbeat FROM workflow_runs WHERE status = 'running' ORDER BY last_heartbeat ASC";

describe('migration 9 (workflow_runs_running covers the ids)', () => {
  it('rebuilds the partial index with the run and job ids, so the running runs are read from it alone', () => {
    const db = version8Database();
    const plan = () => (db.prepare(`EXPLAIN QUERY PLAN ${RECOVERY_READ}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('\n');
    expect(plan()).not.toContain('COVERING INDEX workflow_runs_running');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration0009.version);
    expect(plan()).toContain('USING COVERING INDEX workflow_runs_running');
    expect(db.prepare(RECOVERY_READ).all()).toEqual([{ workflow_run_id: RUN, job_id: JOB, last_heartbeat: 5 }]);
    // Still partial: a run that stops running leaves the index.
    db.prepare("UPDATE workflow_runs SET status = 'stalled' WHERE workflow_run_id = ?").run(RUN);
    expect(db.prepare(RECOVERY_READ).all()).toEqual([]);
  });
});
