/**
 * Row <-> record mapping. Rows are parsed strictly on the way out: a damaged row (e.g. edited by
 * hand) surfaces as an error naming the row, never as a half-valid record.
 */
import type { JobKind, JobState, NodeStatus, RunStatus, AccessMode, SafetyMode } from '../../src-shared/enums';
import type { AiJob, JobMetrics, JsonValue, NodeExecution, WorkflowRun } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';

export interface JobRow {
  rowid: number;
  job_id: string;
  trace_id: string;
  workflow_run_id: string | null;
  job_kind: JobKind;
  status: JobState;
  status_reason: string;
  error_message: string | null;
  protocol_id: string;
  profile_id: string;
  capability_profile_id: string;
  access_mode: AccessMode;
  safety_mode: SafetyMode;
  entity_refs: string;
  planned_operations: string;
  metrics: string;
  job_inputs: string | null;
  job_outputs: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface RunRow {
  workflow_run_id: string;
  job_id: string;
  attempt: number;
  status: RunStatus;
  status_reason: string;
  last_heartbeat: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface NodeRow {
  node_execution_id: string;
  workflow_run_id: string;
  node_id: string;
  node_type: string;
  sequence: number;
  status: NodeStatus;
  status_reason: string;
  input_payload: string | null;
  output_payload: string | null;
  error_message: string | null;
  started_at: number;
  finished_at: number | null;
}

function parseJson(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

export function toJob(row: JobRow): AiJob {
  return {
    job_id: row.job_id,
    trace_id: row.trace_id,
    workflow_run_id: row.workflow_run_id,
    job_kind: row.job_kind,
    state: row.status,
    status_reason: row.status_reason,
    error_message: row.error_message,
    protocol_id: row.protocol_id,
    profile_id: row.profile_id,
    capability_profile_id: row.capability_profile_id,
    access_mode: row.access_mode,
    safety_mode: row.safety_mode,
    entity_refs: JSON.parse(row.entity_refs) as AiJob['entity_refs'],
    planned_operations: JSON.parse(row.planned_operations) as AiJob['planned_operations'],
    metrics: JSON.parse(row.metrics) as JobMetrics,
    job_inputs: parseJson(row.job_inputs),
    job_outputs: parseJson(row.job_outputs),
    created_at: toRfc3339(row.created_at),
    updated_at: toRfc3339(row.updated_at),
    completed_at: row.completed_at === null ? null : toRfc3339(row.completed_at),
  };
}

export function toNode(row: NodeRow): NodeExecution {
  return {
    node_execution_id: row.node_execution_id,
    workflow_run_id: row.workflow_run_id,
    node_id: row.node_id,
    node_type: row.node_type,
    sequence: row.sequence,
    status: row.status,
    status_reason: row.status_reason,
    input_payload: parseJson(row.input_payload),
    output_payload: parseJson(row.output_payload),
    error_message: row.error_message,
    started_at: toRfc3339(row.started_at),
    finished_at: row.finished_at === null ? null : toRfc3339(row.finished_at),
  };
}

export function toRun(row: RunRow, nodes: NodeExecution[]): WorkflowRun {
  return {
    workflow_run_id: row.workflow_run_id,
    job_id: row.job_id,
    status: row.status,
    attempt: row.attempt,
    last_heartbeat: toRfc3339(row.last_heartbeat),
    created_at: toRfc3339(row.created_at),
    updated_at: toRfc3339(row.updated_at),
    finished_at: row.finished_at === null ? null : toRfc3339(row.finished_at),
    status_reason: row.status_reason,
    nodes,
  };
}
