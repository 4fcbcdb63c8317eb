/**
 * Migration 5: the processes executors start, and two Flight Recorder event types.
 *
 * - executor_processes: each process group an executor starts is recorded (in a commit that is
 *   durable before the command runs) with its pid, process group and kernel start time, so startup
 *   recovery can end the orphans of an interrupted run and never mistake a reused pid for one.
 * - fr_events is rebuilt the way migration 4 rebuilt it (triggers dropped first, rows copied in seq
 *   order, indexes and append-only triggers recreated) so its type CHECK also allows
 *   `process_recovery` (what recovery did to an orphan) and `workflow_node_reused` (a resumed
 *   workflow step whose recorded output was reused).
 *
 * Frozen once released, like every migration: literal SQL, lists written out.
 */
import type { Migration } from './migration';

const SQL = `
CREATE TABLE executor_processes (
  process_id INTEGER PRIMARY KEY,
  workflow_run_id TEXT NOT NULL REFERENCES workflow_runs(workflow_run_id),
  node_execution_id TEXT REFERENCES workflow_node_executions(node_execution_id),
  pid INTEGER NOT NULL CHECK (pid > 0),
  pgid INTEGER NOT NULL CHECK (pgid > 0),
  -- /proc/<pid>/stat field 22 and the boot it belongs to: together they tell this process from a
  -- later one that was given the same pid. NULL where the platform has no /proc.
  start_ticks INTEGER,
  boot_id TEXT,
  command TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  end_reason TEXT
) STRICT;
-- Recovery reads only the processes that were never seen to end.
CREATE INDEX executor_processes_open ON executor_processes(workflow_run_id) WHERE ended_at IS NULL;

DROP TRIGGER fr_events_no_update;
DROP TRIGGER fr_events_no_delete;

CREATE TABLE fr_events_new (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('job_created', 'job_rejected', 'job_state_changed', 'workflow_run_started', 'workflow_run_finished', 'workflow_node_started', 'workflow_node_finished', 'workflow_recovery', 'app_started', 'app_stopped', 'retention_purge', 'capability_action', 'security_violation', 'terminal_command', 'llm_inference', 'debug_bundle_export', 'diagnostic', 'problem_status_changed', 'policy_simulation', 'process_recovery', 'workflow_node_reused')),
  timestamp INTEGER NOT NULL,
  actor TEXT NOT NULL CHECK (actor IN ('human', 'agent', 'system')),
  actor_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  job_id TEXT,
  workflow_run_id TEXT,
  model_id TEXT,
  capability_id TEXT,
  payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object')
) STRICT;
INSERT INTO fr_events_new (seq, event_id, type, timestamp, actor, actor_id, trace_id, job_id, workflow_run_id, model_id, capability_id, payload)
  SELECT seq, event_id, type, timestamp, actor, actor_id, trace_id, job_id, workflow_run_id, model_id, capability_id, payload
  FROM fr_events ORDER BY seq;
DROP TABLE fr_events;
ALTER TABLE fr_events_new RENAME TO fr_events;
CREATE INDEX fr_events_job ON fr_events(job_id, seq) WHERE job_id IS NOT NULL;
CREATE INDEX fr_events_trace ON fr_events(trace_id, seq);
CREATE INDEX fr_events_type ON fr_events(type, seq);
CREATE TRIGGER fr_events_no_update BEFORE UPDATE ON fr_events BEGIN
  SELECT RAISE(ABORT, 'fr_events is append-only');
END;
CREATE TRIGGER fr_events_no_delete BEFORE DELETE ON fr_events
WHEN NOT EXISTS (SELECT 1 FROM fr_purge_marker) BEGIN
  SELECT RAISE(ABORT, 'fr_events is append-only; only the retention purge deletes');
END;
`;

export const migration0005: Migration = {
  version: 5,
  name: 'executor processes; process_recovery and workflow_node_reused events',
  up(db) {
    db.exec(SQL);
  },
};
