/**
 * SQL fragments generated from the shared enums, so the database refuses exactly what the code
 * refuses and the two lists cannot drift.
 */
import {
  ACCESS_MODES,
  ACTORS,
  JOB_KINDS,
  JOB_STATES,
  NODE_STATUSES,
  RUN_STATUSES,
  SAFETY_MODES,
} from '../../src-shared/enums';
import { EVENT_TYPES } from '../../src-shared/events';
import { METRIC_KEYS, zeroMetrics } from '../../src-shared/job';

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `column IN ('a','b',...)` for a CHECK constraint. */
export function inList(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

export const ZERO_METRICS_JSON = JSON.stringify(zeroMetrics());

/**
 * metrics is an object with all nine keys, each a non-negative integer, and nothing else.
 * SQLite allows no subquery in a CHECK, so "nothing else" is checked by rebuilding the object from
 * the nine keys and comparing it with the stored JSON (minified; keys in METRIC_KEYS order).
 */
export function metricsCheck(column: string): string {
  const perKey = METRIC_KEYS.map(
    (key) => `json_type(${column}, '$.${key}') = 'integer' AND json_extract(${column}, '$.${key}') >= 0`,
  );
  const rebuilt = `json_object(${METRIC_KEYS.map((key) => `'${key}', json_extract(${column}, '$.${key}')`).join(', ')})`;
  return [`json_valid(${column})`, `json_type(${column}) = 'object'`, ...perKey, `json(${column}) = ${rebuilt}`].join(
    ' AND ',
  );
}

function jsonArrayCheck(column: string): string {
  return `json_valid(${column}) AND json_type(${column}) = 'array'`;
}

function optionalJsonCheck(column: string): string {
  return `${column} IS NULL OR json_valid(${column})`;
}

export const CHECKS = {
  jobKind: inList('job_kind', JOB_KINDS),
  jobState: inList('status', JOB_STATES),
  accessMode: inList('access_mode', ACCESS_MODES),
  safetyMode: inList('safety_mode', SAFETY_MODES),
  runStatus: inList('status', RUN_STATUSES),
  nodeStatus: inList('status', NODE_STATUSES),
  actor: inList('actor', ACTORS),
  eventType: inList('type', EVENT_TYPES),
};

export const AI_JOBS_TABLE = `
CREATE TABLE ai_jobs (
  job_id TEXT NOT NULL PRIMARY KEY,
  trace_id TEXT NOT NULL,
  workflow_run_id TEXT,
  job_kind TEXT NOT NULL CHECK (${CHECKS.jobKind}),
  status TEXT NOT NULL CHECK (${CHECKS.jobState}),
  status_reason TEXT NOT NULL,
  error_message TEXT,
  protocol_id TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  capability_profile_id TEXT NOT NULL,
  access_mode TEXT NOT NULL CHECK (${CHECKS.accessMode}),
  safety_mode TEXT NOT NULL CHECK (${CHECKS.safetyMode}),
  entity_refs TEXT NOT NULL DEFAULT '[]' CHECK (${jsonArrayCheck('entity_refs')}),
  planned_operations TEXT NOT NULL DEFAULT '[]' CHECK (${jsonArrayCheck('planned_operations')}),
  metrics TEXT NOT NULL DEFAULT '${ZERO_METRICS_JSON}' CHECK (${metricsCheck('metrics')}),
  job_inputs TEXT CHECK (${optionalJsonCheck('job_inputs')}),
  job_outputs TEXT CHECK (${optionalJsonCheck('job_outputs')}),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER
) STRICT`;

export const WORKFLOW_RUNS_TABLE = `
CREATE TABLE workflow_runs (
  workflow_run_id TEXT NOT NULL PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES ai_jobs(job_id),
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  status TEXT NOT NULL CHECK (${CHECKS.runStatus}),
  status_reason TEXT NOT NULL,
  last_heartbeat INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  UNIQUE (job_id, attempt)
) STRICT`;

export const NODE_EXECUTIONS_TABLE = `
CREATE TABLE workflow_node_executions (
  node_execution_id TEXT NOT NULL PRIMARY KEY,
  workflow_run_id TEXT NOT NULL REFERENCES workflow_runs(workflow_run_id),
  node_id TEXT NOT NULL,
  node_type TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (${CHECKS.nodeStatus}),
  status_reason TEXT NOT NULL,
  input_payload TEXT CHECK (${optionalJsonCheck('input_payload')}),
  output_payload TEXT CHECK (${optionalJsonCheck('output_payload')}),
  error_message TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT`;

export const FR_EVENTS_TABLE = `
CREATE TABLE fr_events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (${CHECKS.eventType}),
  timestamp INTEGER NOT NULL,
  actor TEXT NOT NULL CHECK (${CHECKS.actor}),
  actor_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  job_id TEXT,
  workflow_run_id TEXT,
  model_id TEXT,
  capability_id TEXT,
  payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object')
) STRICT`;
