/**
 * Row <-> record mapping. Job rows are parsed strictly on the way out (the AiJob schema): a
 * damaged row (a damaged file, SQL written by hand with the checks turned off) becomes an
 * unsupported-record marker in a list, or an error naming the row for a single read, never a
 * half-valid record.
 */
import type {
  JobKind,
  JobState,
  NodeStatus,
  RunStatus,
  AccessMode,
  SafetyMode,
  ExecutionMode,
  ConsentDecision,
  ConsentSource,
} from '../../src-shared/enums';
import { ERROR_CODES, HskError, issuesOf } from '../../src-shared/errors';
import {
  AiJobSchema,
  defaultLayerScope,
  DEFAULT_WORKSPACE_SCOPE,
  isUnsupportedRecord,
  type AiJob,
  type Consent,
  type JsonValue,
  type LayerScope,
  type NodeExecution,
  type UnsupportedRecord,
  type WorkflowRun,
} from '../../src-shared/job';
import { commandsOfJob } from '../../src-shared/job-inputs';
import { CURRENT_TASK_SCHEMA_VERSION } from '../../src-shared/protocols';
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
  task_schema_version: string;
  workspace_scope: string;
  execution_mode: ExecutionMode;
  runtime_id: string;
  flight_recorder_span_id: string;
  consent_profile_id: string;
  consent_decision: ConsentDecision;
  consent_source: ConsentSource | null;
  consent_decided_at: number | null;
  consent_expires_at: number | null;
  layer_scope: string;
}

/** The consent columns of a row, as one value. */
export interface ConsentColumns {
  consent_decision: ConsentDecision;
  consent_source: ConsentSource | null;
  consent_decided_at: number | null;
  consent_expires_at: number | null;
}

/** The consent profile of jobs that start processes, and of every other job. */
export const TERMINAL_CONSENT_PROFILE = 'hsk.consent.terminal_exec.v0';
export const NO_CONSENT_PROFILE = 'hsk.consent.none.v0';

export function needsTerminalConsent(kind: JobKind, inputs: unknown): boolean {
  return kind === 'terminal_exec' || commandsOfJob(kind, inputs).length > 0;
}

/**
 * The job-model fields of a row written without them (the legacy import), with the same explicit
 * values migration 3 gives older rows: nothing NULL, and no consent that was never given.
 */
export function unrecordedModelFields(kind: JobKind, jobId: string, inputs: unknown, ran: boolean) {
  const terminal = needsTerminalConsent(kind, inputs);
  return {
    task_schema_version: CURRENT_TASK_SCHEMA_VERSION,
    workspace_scope: DEFAULT_WORKSPACE_SCOPE,
    execution_mode: (kind === 'workflow_run' ? 'multi_step' : 'single_step') as ExecutionMode,
    runtime_id: ran ? 'unrecorded' : 'unassigned',
    flight_recorder_span_id: jobId,
    consent_profile_id: terminal ? TERMINAL_CONSENT_PROFILE : NO_CONSENT_PROFILE,
    consent_decision: (terminal ? 'not_recorded' : 'not_required') as ConsentDecision,
    consent_source: null,
    consent_decided_at: null,
    consent_expires_at: null,
    layer_scope: JSON.stringify(defaultLayerScope()),
  };
}

function toConsent(row: ConsentColumns): Consent {
  return {
    decision: row.consent_decision,
    source: row.consent_source,
    decided_at: row.consent_decided_at === null ? null : toRfc3339(row.consent_decided_at),
    expires_at: row.consent_expires_at === null ? null : toRfc3339(row.consent_expires_at),
  };
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
    task_schema_version: row.task_schema_version,
    workspace_scope: row.workspace_scope,
    execution_mode: row.execution_mode,
    runtime_id: row.runtime_id,
    flight_recorder_span_id: row.flight_recorder_span_id,
    consent_profile_id: row.consent_profile_id,
    consent: toConsent(row),
    layer_scope: JSON.parse(row.layer_scope) as LayerScope,
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

/**
 * The record of a row this process has just written from checked values (a batch of new jobs):
 * the same mapping as a read, without the AiJob parse a row read from disk gets (parseJobRow).
 * store-batch.test.ts checks that the two agree.
 */
export function writtenJob(row: JobRow): AiJob {
  return mapJob(row) as AiJob;
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
