/**
 * Migration 1: jobs, workflow runs, node executions and the Flight Recorder.
 *
 * Frozen history: this SQL, its CHECK lists included, is exactly what version 1 databases were
 * created with. It is never edited; a new kind, state or event type comes in a new migration
 * (db/schema.test.ts fails until the latest schema's lists equal the enums in src-shared).
 *
 * The full-text index over what people search for is split in two, kept in step by triggers, so a
 * state change re-indexes only the small fields that change (run, reason, error, outputs) and never
 * re-tokenises job_inputs, which are written once.
 */
import type { Migration } from './migration';

const SQL = `
CREATE TABLE ai_jobs (
  job_id TEXT NOT NULL PRIMARY KEY,
  trace_id TEXT NOT NULL,
  workflow_run_id TEXT,
  job_kind TEXT NOT NULL CHECK (job_kind IN ('doc_edit', 'doc_rewrite', 'doc_summarize', 'sheet_transform', 'canvas_cluster', 'asr_transcribe', 'workflow_run', 'spec_router', 'debug_bundle_export', 'terminal_exec', 'doc_ingest', 'distillation_eval')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'stalled', 'awaiting_validation', 'awaiting_user', 'completed', 'completed_with_issues', 'failed', 'cancelled', 'poisoned')),
  status_reason TEXT NOT NULL,
  error_message TEXT,
  protocol_id TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  capability_profile_id TEXT NOT NULL,
  access_mode TEXT NOT NULL CHECK (access_mode IN ('analysis_only', 'preview_only', 'apply_scoped')),
  safety_mode TEXT NOT NULL CHECK (safety_mode IN ('strict', 'normal', 'experimental')),
  entity_refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(entity_refs) AND json_type(entity_refs) = 'array'),
  planned_operations TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(planned_operations) AND json_type(planned_operations) = 'array'),
  metrics TEXT NOT NULL DEFAULT '{"duration_ms":0,"total_tokens":0,"input_tokens":0,"output_tokens":0,"tokens_planner":0,"tokens_executor":0,"entities_read":0,"entities_written":0,"validators_run_count":0}'
    CHECK (json_valid(metrics) AND json_type(metrics) = 'object'
      AND json_type(metrics, '$.duration_ms') = 'integer' AND json_extract(metrics, '$.duration_ms') >= 0
      AND json_type(metrics, '$.total_tokens') = 'integer' AND json_extract(metrics, '$.total_tokens') >= 0
      AND json_type(metrics, '$.input_tokens') = 'integer' AND json_extract(metrics, '$.input_tokens') >= 0
      AND json_type(metrics, '$.output_tokens') = 'integer' AND json_extract(metrics, '$.output_tokens') >= 0
      AND json_type(metrics, '$.tokens_planner') = 'integer' AND json_extract(metrics, '$.tokens_planner') >= 0
      AND json_type(metrics, '$.tokens_executor') = 'integer' AND json_extract(metrics, '$.tokens_executor') >= 0
      AND json_type(metrics, '$.entities_read') = 'integer' AND json_extract(metrics, '$.entities_read') >= 0
      AND json_type(metrics, '$.entities_written') = 'integer' AND json_extract(metrics, '$.entities_written') >= 0
      AND json_type(metrics, '$.validators_run_count') = 'integer' AND json_extract(metrics, '$.validators_run_count') >= 0
      AND json(metrics) = json_object('duration_ms', json_extract(metrics, '$.duration_ms'),
        'total_tokens', json_extract(metrics, '$.total_tokens'),
        'input_tokens', json_extract(metrics, '$.input_tokens'),
        'output_tokens', json_extract(metrics, '$.output_tokens'),
        'tokens_planner', json_extract(metrics, '$.tokens_planner'),
        'tokens_executor', json_extract(metrics, '$.tokens_executor'),
        'entities_read', json_extract(metrics, '$.entities_read'),
        'entities_written', json_extract(metrics, '$.entities_written'),
        'validators_run_count', json_extract(metrics, '$.validators_run_count'))),
  job_inputs TEXT CHECK (job_inputs IS NULL OR json_valid(job_inputs)),
  job_outputs TEXT CHECK (job_outputs IS NULL OR json_valid(job_outputs)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
) STRICT;
CREATE INDEX ai_jobs_created ON ai_jobs(created_at);
CREATE INDEX ai_jobs_updated ON ai_jobs(updated_at);
CREATE INDEX ai_jobs_status_created ON ai_jobs(status, created_at);
CREATE INDEX ai_jobs_kind_created ON ai_jobs(job_kind, created_at);
CREATE INDEX ai_jobs_trace ON ai_jobs(trace_id);
CREATE INDEX ai_jobs_workflow_run ON ai_jobs(workflow_run_id) WHERE workflow_run_id IS NOT NULL;

CREATE VIRTUAL TABLE ai_jobs_fts USING fts5(job_id, trace_id, protocol_id, job_inputs, content='ai_jobs', content_rowid='rowid');
CREATE TRIGGER ai_jobs_fts_insert AFTER INSERT ON ai_jobs BEGIN
  INSERT INTO ai_jobs_fts(rowid, job_id, trace_id, protocol_id, job_inputs) VALUES (new.rowid, new.job_id, new.trace_id, new.protocol_id, new.job_inputs);
END;
CREATE TRIGGER ai_jobs_fts_delete AFTER DELETE ON ai_jobs BEGIN
  INSERT INTO ai_jobs_fts(ai_jobs_fts, rowid, job_id, trace_id, protocol_id, job_inputs) VALUES ('delete', old.rowid, old.job_id, old.trace_id, old.protocol_id, old.job_inputs);
END;
CREATE TRIGGER ai_jobs_fts_update BEFORE UPDATE OF job_id, trace_id, protocol_id, job_inputs ON ai_jobs BEGIN
  SELECT RAISE(ABORT, 'job_id, trace_id, protocol_id, job_inputs are written once');
END;

CREATE VIRTUAL TABLE ai_jobs_fts_state USING fts5(workflow_run_id, status_reason, error_message, job_outputs, content='ai_jobs', content_rowid='rowid');
CREATE TRIGGER ai_jobs_fts_state_insert AFTER INSERT ON ai_jobs BEGIN
  INSERT INTO ai_jobs_fts_state(rowid, workflow_run_id, status_reason, error_message, job_outputs) VALUES (new.rowid, new.workflow_run_id, new.status_reason, new.error_message, new.job_outputs);
END;
CREATE TRIGGER ai_jobs_fts_state_delete AFTER DELETE ON ai_jobs BEGIN
  INSERT INTO ai_jobs_fts_state(ai_jobs_fts_state, rowid, workflow_run_id, status_reason, error_message, job_outputs) VALUES ('delete', old.rowid, old.workflow_run_id, old.status_reason, old.error_message, old.job_outputs);
END;
CREATE TRIGGER ai_jobs_fts_state_update AFTER UPDATE OF workflow_run_id, status_reason, error_message, job_outputs ON ai_jobs BEGIN
  INSERT INTO ai_jobs_fts_state(ai_jobs_fts_state, rowid, workflow_run_id, status_reason, error_message, job_outputs) VALUES ('delete', old.rowid, old.workflow_run_id, old.status_reason, old.error_message, old.job_outputs);
  INSERT INTO ai_jobs_fts_state(rowid, workflow_run_id, status_reason, error_message, job_outputs) VALUES (new.rowid, new.workflow_run_id, new.status_reason, new.error_message, new.job_outputs);
END;

CREATE TABLE workflow_runs (
  workflow_run_id TEXT NOT NULL PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES ai_jobs(job_id),
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'completed_with_issues', 'failed', 'cancelled', 'stalled', 'poisoned')),
  status_reason TEXT NOT NULL,
  last_heartbeat INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  UNIQUE (job_id, attempt)
) STRICT;
CREATE INDEX workflow_runs_job ON workflow_runs(job_id, attempt);
-- The startup recovery scan reads only running runs, never the whole history.
CREATE INDEX workflow_runs_running ON workflow_runs(last_heartbeat) WHERE status = 'running';

CREATE TABLE workflow_node_executions (
  node_execution_id TEXT NOT NULL PRIMARY KEY,
  workflow_run_id TEXT NOT NULL REFERENCES workflow_runs(workflow_run_id),
  node_id TEXT NOT NULL,
  node_type TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'stalled', 'poisoned')),
  status_reason TEXT NOT NULL,
  input_payload TEXT CHECK (input_payload IS NULL OR json_valid(input_payload)),
  output_payload TEXT CHECK (output_payload IS NULL OR json_valid(output_payload)),
  error_message TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX workflow_node_executions_run ON workflow_node_executions(workflow_run_id, sequence);

CREATE TABLE fr_events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('job_created', 'job_rejected', 'job_state_changed', 'workflow_run_started', 'workflow_run_finished', 'workflow_node_started', 'workflow_node_finished', 'workflow_recovery', 'app_started', 'app_stopped', 'retention_purge', 'capability_action', 'security_violation', 'terminal_command', 'llm_inference', 'debug_bundle_export')),
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
-- No index on workflow_run_id: a run belongs to one job, so run queries go through the job index
-- (one index less to maintain on every event).
CREATE INDEX fr_events_job ON fr_events(job_id, seq) WHERE job_id IS NOT NULL;
CREATE INDEX fr_events_trace ON fr_events(trace_id, seq);
CREATE INDEX fr_events_type ON fr_events(type, seq);

-- Append-only: no update ever; deletes only by the retention purge, which marks itself first.
CREATE TABLE fr_purge_marker (active INTEGER NOT NULL PRIMARY KEY CHECK (active = 1)) STRICT;
CREATE TRIGGER fr_events_no_update BEFORE UPDATE ON fr_events BEGIN
  SELECT RAISE(ABORT, 'fr_events is append-only');
END;
CREATE TRIGGER fr_events_no_delete BEFORE DELETE ON fr_events
WHEN NOT EXISTS (SELECT 1 FROM fr_purge_marker) BEGIN
  SELECT RAISE(ABORT, 'fr_events is append-only; only the retention purge deletes');
END;

CREATE TABLE app_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) STRICT;

-- Legacy rows that could not be normalised without guessing: kept whole, with the reason.
CREATE TABLE legacy_quarantine (
  quarantine_id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  legacy_table TEXT NOT NULL,
  legacy_id TEXT,
  reason TEXT NOT NULL,
  row_json TEXT NOT NULL CHECK (json_valid(row_json)),
  quarantined_at INTEGER NOT NULL,
  UNIQUE (source, legacy_table, legacy_id)
) STRICT;
`;

export const migration0001: Migration = {
  version: 1,
  name: 'jobs, workflow runs, node executions, flight recorder',
  up(db) {
    db.exec(SQL);
  },
};
