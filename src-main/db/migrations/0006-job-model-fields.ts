/**
 * Migration 6: the rest of the AI Job Model's record (issue 10). The core-schema fields the spec
 * marks required (task_schema_version, workspace_scope, execution_mode, runtime_id,
 * flight_recorder_span_id), the persisted consent (consent_profile_id and the decision), and the
 * layer scope. Older rows get explicit values, never NULL: version 1.0.0, the default workspace,
 * multi_step for workflows, runtime `unrecorded` where a run happened, the job_id as span id, and
 * `not_recorded` consent for terminal commands (a resumed one waits for a fresh consent).
 *
 * The JobBoundaryRoutingGuard (L6742) is a trigger: the profile, capability profile, layer scope and
 * the other fields fixed at creation cannot be updated, whatever SQL is run.
 *
 * Frozen history: never edited once released.
 */
import type { Migration } from './migration';

const SQL = `
ALTER TABLE ai_jobs ADD COLUMN task_schema_version TEXT NOT NULL DEFAULT '1.0.0'
  CHECK (task_schema_version GLOB '[0-9]*.[0-9]*.[0-9]*');
ALTER TABLE ai_jobs ADD COLUMN workspace_scope TEXT NOT NULL DEFAULT 'default' CHECK (length(workspace_scope) BETWEEN 1 AND 128);
ALTER TABLE ai_jobs ADD COLUMN execution_mode TEXT NOT NULL DEFAULT 'single_step' CHECK (execution_mode IN ('single_step', 'multi_step'));
ALTER TABLE ai_jobs ADD COLUMN runtime_id TEXT NOT NULL DEFAULT 'unassigned' CHECK (length(runtime_id) >= 1);
ALTER TABLE ai_jobs ADD COLUMN flight_recorder_span_id TEXT NOT NULL DEFAULT '';
ALTER TABLE ai_jobs ADD COLUMN consent_profile_id TEXT NOT NULL DEFAULT 'hsk.consent.none.v0' CHECK (length(consent_profile_id) >= 1);
ALTER TABLE ai_jobs ADD COLUMN consent_decision TEXT NOT NULL DEFAULT 'not_required' CHECK (consent_decision IN ('not_required', 'pending', 'granted', 'denied', 'not_recorded'));
ALTER TABLE ai_jobs ADD COLUMN consent_source TEXT CHECK (consent_source IN ('operator', 'allow_terminal_switch'));
ALTER TABLE ai_jobs ADD COLUMN consent_decided_at INTEGER;
ALTER TABLE ai_jobs ADD COLUMN consent_expires_at INTEGER;
ALTER TABLE ai_jobs ADD COLUMN layer_scope TEXT NOT NULL DEFAULT '{"read":["raw","derived","display"],"write":["derived"]}'
  CHECK (json_valid(layer_scope) AND json_type(layer_scope) = 'object'
      AND json(layer_scope) = json_object('read', json_extract(layer_scope, '$.read'), 'write', json_extract(layer_scope, '$.write'))
      AND json_type(layer_scope, '$.read') = 'array' AND json_array_length(layer_scope, '$.read') <= 3
      AND coalesce(json_extract(layer_scope, '$.read[0]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.read[1]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.read[2]'), 'raw') IN ('raw', 'derived', 'display')
      AND json_type(layer_scope, '$.write') = 'array' AND json_array_length(layer_scope, '$.write') <= 3
      AND coalesce(json_extract(layer_scope, '$.write[0]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.write[1]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.write[2]'), 'raw') IN ('raw', 'derived', 'display'));

UPDATE ai_jobs SET execution_mode = 'multi_step' WHERE job_kind = 'workflow_run';
UPDATE ai_jobs SET runtime_id = 'unrecorded' WHERE workflow_run_id IS NOT NULL;
UPDATE ai_jobs SET flight_recorder_span_id = job_id;
UPDATE ai_jobs SET consent_profile_id = 'hsk.consent.terminal_exec.v0', consent_decision = 'not_recorded'
  WHERE job_kind = 'terminal_exec'
     OR (job_kind = 'workflow_run' AND job_inputs LIKE '%"terminal_exec"%');

-- A granted consent says by whom and when; an undecided one (pending, not required, not recorded) names nobody.
CREATE TRIGGER ai_jobs_consent_shape BEFORE UPDATE OF consent_decision, consent_source, consent_decided_at ON ai_jobs
WHEN (new.consent_decision = 'granted' AND (new.consent_source IS NULL OR new.consent_decided_at IS NULL))
  OR (new.consent_decision IN ('not_required', 'pending', 'not_recorded') AND (new.consent_source IS NOT NULL OR new.consent_decided_at IS NOT NULL)) BEGIN
  SELECT RAISE(ABORT, 'a granted consent names its source and time; an undecided one names neither');
END;
CREATE TRIGGER ai_jobs_consent_shape_insert BEFORE INSERT ON ai_jobs
WHEN (new.consent_decision = 'granted' AND (new.consent_source IS NULL OR new.consent_decided_at IS NULL))
  OR (new.consent_decision IN ('not_required', 'pending', 'not_recorded') AND (new.consent_source IS NOT NULL OR new.consent_decided_at IS NOT NULL)) BEGIN
  SELECT RAISE(ABORT, 'a granted consent names its source and time; an undecided one names neither');
END;
CREATE TRIGGER ai_jobs_span_insert BEFORE INSERT ON ai_jobs WHEN length(new.flight_recorder_span_id) <> 36 BEGIN
  SELECT RAISE(ABORT, 'flight_recorder_span_id must be a UUID');
END;

-- JobBoundaryRoutingGuard: fixed at creation.
CREATE TRIGGER ai_jobs_boundary_guard BEFORE UPDATE OF profile_id, capability_profile_id, layer_scope, task_schema_version,
  workspace_scope, execution_mode, consent_profile_id, flight_recorder_span_id ON ai_jobs BEGIN
  SELECT RAISE(ABORT, 'profile_id, capability_profile_id, layer_scope, task_schema_version, workspace_scope, execution_mode, consent_profile_id and flight_recorder_span_id cannot change after a job is created');
END;
`;

export const migration0006: Migration = {
  version: 6,
  name: 'job model fields: schema version, workspace, execution mode, runtime, span, consent, layer scope',
  up(db) {
    db.exec(SQL);
  },
};
