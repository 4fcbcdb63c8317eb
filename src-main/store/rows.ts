/**
 * Row <-> record mapping. Job rows are parsed strictly on the way out (the AiJob schema): a
 * damaged row (a damaged file, SQL written by hand with the checks turned off) becomes an
 * unsupported-record marker in a list, or an error naming the row for a single read, never a
 * half-valid record.
 */
import type { JobKind, JobState, NodeStatus, RunStatus, AccessMode, SafetyMode } from '../../src-shared/enums';
import { ERROR_CODES, HskError, issuesOf } from '../../src-shared/errors';
import {
  AiJobSchema,
  isUnsupportedRecord,
  type AiJob,
  type JsonValue,
  type NodeExecution,
  type UnsupportedRecord,
  type WorkflowRun,
} from '../../src-shared/job';
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

/** The row in the record's shape, unchecked; JSON columns that do not parse throw. */
function mapJob(row: JobRow): Record<string, unknown> {
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
    entity_refs: JSON.parse(row.entity_refs) as unknown,
    planned_operations: JSON.parse(row.planned_operations) as unknown,
    metrics: JSON.parse(row.metrics) as unknown,
    job_inputs: parseJson(row.job_inputs),
    job_outputs: parseJson(row.job_outputs),
    created_at: toRfc3339(row.created_at),
    updated_at: toRfc3339(row.updated_at),
    completed_at: row.completed_at === null ? null : toRfc3339(row.completed_at),
  };
}

/** The job a row holds, or the marker of a row that is not one. */
export function parseJobRow(row: JobRow): AiJob | UnsupportedRecord {
  const rawId = String(row.job_id ?? `rowid ${row.rowid}`);
  let mapped: Record<string, unknown>;
  try {
    mapped = mapJob(row);
  } catch (error) {
    return { unsupported: true, raw_id: rawId, reason: `a stored value is unreadable: ${(error as Error).message}` };
  }
  const parsed = AiJobSchema.safeParse(mapped);
  if (parsed.success) return parsed.data;
  const reason = issuesOf(parsed.error).map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return { unsupported: true, raw_id: rawId, reason };
}

/** The job a row holds; a damaged row is refused with HSK-422-UNSUPPORTED-RECORD naming it. */
export function toJob(row: JobRow): AiJob {
  const job = parseJobRow(row);
  if (!isUnsupportedRecord(job)) return job;
  throw new HskError(ERROR_CODES.unsupportedRecord, `job ${job.raw_id} is an unsupported record: ${job.reason}`, job);
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
