/**
 * Migration 4: diagnostics and the problems they group into (DIAG-SCHEMA-001, §11.4), and three new
 * Flight Recorder event types (`diagnostic` FR-EVT-003, `problem_status_changed`,
 * `policy_simulation`).
 *
 * SQLite cannot alter a CHECK, so fr_events is rebuilt: a new table with the longer type list, the
 * rows copied in seq order (seq and event_id kept), the old table dropped and the new one renamed,
 * then its indexes and append-only triggers recreated exactly as migration 1 made them. The
 * triggers go first: the drop must not meet the no-delete trigger half-way.
 *
 * Frozen once released, like every migration: literal SQL, lists written out.
 */
import type { Migration } from './migration';

const SQL = `
DROP TRIGGER fr_events_no_update;
DROP TRIGGER fr_events_no_delete;

CREATE TABLE fr_events_new (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('job_created', 'job_rejected', 'job_state_changed', 'workflow_run_started', 'workflow_run_finished', 'workflow_node_started', 'workflow_node_finished', 'workflow_recovery', 'app_started', 'app_stopped', 'retention_purge', 'capability_action', 'security_violation', 'terminal_command', 'llm_inference', 'debug_bundle_export', 'diagnostic', 'problem_status_changed', 'policy_simulation')),
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

-- Raw instances: never updated, never deleted (S23: they outlive the events that reference them).
CREATE TABLE diagnostics (
  id TEXT NOT NULL PRIMARY KEY,
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  title TEXT NOT NULL,
  message TEXT,
  severity TEXT NOT NULL CHECK (severity IN ('fatal', 'error', 'warning', 'info', 'hint')),
  source TEXT NOT NULL CHECK (source IN ('lsp', 'terminal', 'validator', 'engine', 'connector', 'system')
    OR (source LIKE 'plugin:_%') OR (source LIKE 'matcher:_%')),
  surface TEXT NOT NULL CHECK (surface IN ('monaco', 'canvas', 'sheet', 'terminal', 'connector', 'system')),
  tool TEXT,
  code TEXT,
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  wsid TEXT,
  job_id TEXT,
  model_id TEXT,
  actor TEXT NOT NULL CHECK (actor IN ('human', 'agent', 'system')),
  capability_id TEXT,
  policy_decision_id TEXT,
  locations TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(locations) AND json_type(locations) = 'array'),
  evidence_refs TEXT NOT NULL CHECK (json_valid(evidence_refs) AND json_type(evidence_refs) = 'object'),
  link_confidence TEXT NOT NULL CHECK (link_confidence IN ('direct', 'inferred', 'ambiguous', 'unlinked')),
  link_explanation TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object')
) STRICT;
CREATE INDEX idx_diag_fingerprint ON diagnostics(fingerprint, timestamp);
CREATE INDEX idx_diag_job_id ON diagnostics(job_id, fingerprint) WHERE job_id IS NOT NULL;
CREATE TRIGGER diagnostics_no_update BEFORE UPDATE ON diagnostics BEGIN
  SELECT RAISE(ABORT, 'diagnostics are raw instances; they are never changed');
END;
CREATE TRIGGER diagnostics_no_delete BEFORE DELETE ON diagnostics BEGIN
  SELECT RAISE(ABORT, 'diagnostics are kept at least as long as the events that reference them');
END;

-- The grouping index: one row per fingerprint, rebuildable from diagnostics (statuses kept).
CREATE TABLE problems (
  fingerprint TEXT NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('fatal', 'error', 'warning', 'info', 'hint')),
  source TEXT NOT NULL,
  surface TEXT NOT NULL CHECK (surface IN ('monaco', 'canvas', 'sheet', 'terminal', 'connector', 'system')),
  tool TEXT,
  code TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'muted', 'resolved')),
  count INTEGER NOT NULL CHECK (count >= 1),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  latest_diagnostic_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX problems_last_seen ON problems(last_seen, fingerprint);
CREATE INDEX problems_severity_last_seen ON problems(severity, last_seen, fingerprint);
`;

export const migration0004: Migration = {
  version: 4,
  name: 'diagnostics, problems; fr_events types diagnostic, problem_status_changed, policy_simulation',
  up(db) {
    db.exec(SQL);
  },
};
