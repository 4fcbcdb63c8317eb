/**
 * The AiJob record and its parts (§2.6.6.2.8), as served over the API.
 */
import { z } from 'zod';
import {
  AccessModeSchema,
  CanonicalJobKindSchema,
  ConsentDecisionSchema,
  ConsentSourceSchema,
  ExecutionModeSchema,
  LayerSchema,
  JobKindInputSchema,
  JobStateSchema,
  NodeStatusSchema,
  RunStatusSchema,
  SafetyModeSchema,
} from './enums';
import { Rfc3339Schema } from './time';
import { JOB_INPUT_SCHEMAS, workflowStepsOf } from './job-inputs';
import { SEMVER, checkProtocol, isKnownTaskSchemaVersion } from './protocols';

export const LIMITS = {
  shortText: 128,
  reason: 512,
  message: 4_096,
  entityRefs: 1_000,
  plannedOperations: 1_000,
  /** Serialized size of job_inputs / job_outputs. Larger payloads belong in files (artifacts). */
  jsonPayloadBytes: 256 * 1024,
  jsonDepth: 32,
  listLimitMax: 500,
} as const;

export const UuidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lowercase UUID');

const ShortText = z.string().min(1).max(LIMITS.shortText);

/** JobMetrics (§2.6.6.2.8): nine non-negative integers, never NULL (HSK-JOB-101). */
export const METRIC_KEYS = [
  'duration_ms',
  'total_tokens',
  'input_tokens',
  'output_tokens',
  'tokens_planner',
  'tokens_executor',
  'entities_read',
  'entities_written',
  'validators_run_count',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

const MetricValue = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const JobMetricsSchema = z.strictObject(
  Object.fromEntries(METRIC_KEYS.map((key) => [key, MetricValue])) as Record<MetricKey, typeof MetricValue>,
);
export type JobMetrics = z.infer<typeof JobMetricsSchema>;

export function zeroMetrics(): JobMetrics {
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, 0])) as JobMetrics;
}

export const EntityRefSchema = z.strictObject({
  entity_kind: ShortText,
  entity_id: z.string().min(1).max(LIMITS.reason),
  selector: z.string().max(LIMITS.reason).optional(),
});
export type EntityRef = z.infer<typeof EntityRefSchema>;

export const OPERATION_TYPES = ['read', 'write', 'plan', 'execute'] as const;
export const PlannedOperationSchema = z.strictObject({
  op_type: z.enum(OPERATION_TYPES),
  target: EntityRefSchema,
  description: z.string().max(LIMITS.message).optional(),
});
export type PlannedOperation = z.infer<typeof PlannedOperationSchema>;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function jsonProblem(value: unknown, depth: number): string | null {
  if (depth > LIMITS.jsonDepth) return `nested deeper than ${LIMITS.jsonDepth} levels`;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'contains a non-finite number';
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value as object)) {
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return 'contains a value that is not JSON';
}

/** A JSON payload (job_inputs / job_outputs): plain JSON, bounded depth and size. */
export const JsonPayloadSchema = z.custom<JsonValue>().superRefine((value, ctx) => {
  const problem = jsonProblem(value, 0);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `payload ${problem}` });
    return;
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > LIMITS.jsonPayloadBytes) {
    ctx.addIssue({ code: 'custom', message: `payload is ${bytes} bytes; the limit is ${LIMITS.jsonPayloadBytes}` });
  }
});

/** LayerScope (core, L5214): the layers a job may read and write; by default it writes `derived` only. */
export const LayerScopeSchema = z.strictObject({
  read: z.array(LayerSchema).max(3).refine(unique, 'layers must not repeat'),
  write: z.array(LayerSchema).max(3).refine(unique, 'layers must not repeat'),
});
export type LayerScope = z.infer<typeof LayerScopeSchema>;

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

export function defaultLayerScope(): LayerScope {
  return { read: ['raw', 'derived', 'display'], write: ['derived'] };
}

/** The consent decision recorded with the job (S8): who decided, when, and until when it holds. */
export const ConsentSchema = z.strictObject({
  decision: ConsentDecisionSchema,
  source: ConsentSourceSchema.nullable(),
  decided_at: Rfc3339Schema.nullable(),
  expires_at: Rfc3339Schema.nullable(),
});
export type Consent = z.infer<typeof ConsentSchema>;

/** A job held in awaiting_user until someone consents to its commands (jobs.accept then queues it). */
export function waitsForConsent(job: Pick<AiJob, 'state' | 'consent'>): boolean {
  return job.state === 'awaiting_user' && job.consent.decision === 'pending';
}

/** The fields the JobBoundaryRoutingGuard (L6742) freezes at creation; the database refuses changes too. */
export const IMMUTABLE_JOB_FIELDS = [
  'profile_id',
  'capability_profile_id',
  'layer_scope',
  'task_schema_version',
  'workspace_scope',
  'execution_mode',
  'consent_profile_id',
  'flight_recorder_span_id',
] as const;

/** WorkspaceScope is undefined in the spec: here, the id of the local workspace a job belongs to. */
export const WorkspaceScopeSchema = z
  .string()
  .min(1)
  .max(LIMITS.shortText)
  .regex(/^[a-z0-9][a-z0-9._:-]*$/, 'workspace_scope is a lowercase id (letters, digits, . _ : -)');
export const DEFAULT_WORKSPACE_SCOPE = 'default';

/** The job as served by every channel. Timestamps are RFC3339 UTC. */
export const AiJobSchema = z.strictObject({
  job_id: UuidSchema,
  trace_id: UuidSchema,
  workflow_run_id: UuidSchema.nullable(),
  job_kind: CanonicalJobKindSchema,
  state: JobStateSchema,
  status_reason: z.string(),
  error_message: z.string().nullable(),
  protocol_id: z.string(),
  profile_id: z.string(),
  capability_profile_id: z.string(),
  access_mode: AccessModeSchema,
  safety_mode: SafetyModeSchema,
  entity_refs: z.array(EntityRefSchema),
  planned_operations: z.array(PlannedOperationSchema),
  metrics: JobMetricsSchema,
  job_inputs: z.custom<JsonValue>().nullable(),
  job_outputs: z.custom<JsonValue>().nullable(),
  created_at: Rfc3339Schema,
  updated_at: Rfc3339Schema,
  completed_at: Rfc3339Schema.nullable(),
  task_schema_version: z.string(),
  workspace_scope: z.string(),
  execution_mode: ExecutionModeSchema,
  runtime_id: z.string(),
  flight_recorder_span_id: UuidSchema,
  consent_profile_id: z.string(),
  consent: ConsentSchema,
  layer_scope: LayerScopeSchema,
});
export type AiJob = z.infer<typeof AiJobSchema>;

/** Kinds that may write the raw layer: ingestion and import only (L6304). */
const RAW_WRITERS = new Set(['doc_ingest']);

function refineByKind(job: z.output<typeof NewJobFields>, ctx: z.RefinementCtx): void {
  const protocol = checkProtocol(job.job_kind, job.protocol_id);
  if (!protocol.ok) ctx.addIssue({ code: 'custom', path: ['protocol_id'], message: protocol.message });
  if (job.task_schema_version !== undefined && !isKnownTaskSchemaVersion(job.task_schema_version)) {
    ctx.addIssue({ code: 'custom', path: ['task_schema_version'], message: `task_schema_version ${job.task_schema_version} is unknown to this build` });
  }
  if (job.layer_scope?.write.includes('raw') && !RAW_WRITERS.has(job.job_kind)) {
    ctx.addIssue({ code: 'custom', path: ['layer_scope', 'write'], message: `${job.job_kind} may not write the raw layer; only doc_ingest may` });
  }
  const inputs = JOB_INPUT_SCHEMAS[job.job_kind].safeParse(job.job_inputs);
  if (!inputs.success) {
    for (const issue of inputs.error.issues) ctx.addIssue({ code: 'custom', path: ['job_inputs', ...issue.path], message: issue.message });
    return;
  }
  refineIngestPaths(job, ctx);
}

/** doc_ingest reads only paths the job names in entity_refs (as `file` entities). */
function refineIngestPaths(job: z.output<typeof NewJobFields>, ctx: z.RefinementCtx): void {
  const named = new Set((job.entity_refs ?? []).filter((ref) => ref.entity_kind === 'file').map((ref) => ref.entity_id));
  const steps = job.job_kind === 'workflow_run' ? workflowStepsOf(job.job_inputs) : [{ kind: job.job_kind, inputs: job.job_inputs }];
  for (const [index, step] of steps.entries()) {
    if (step.kind !== 'doc_ingest') continue;
    const path = (step.inputs as { path: string }).path;
    if (named.has(path)) continue;
    const where = job.job_kind === 'workflow_run' ? ['job_inputs', 'steps', index, 'inputs', 'path'] : ['job_inputs', 'path'];
    ctx.addIssue({ code: 'custom', path: where, message: `doc_ingest reads only files named in entity_refs; add { entity_kind: "file", entity_id: ${JSON.stringify(path)} }` });
  }
}

const NewJobFields = z.strictObject({
  job_kind: JobKindInputSchema,
  protocol_id: ShortText,
  profile_id: ShortText.optional(),
  access_mode: AccessModeSchema.optional(),
  safety_mode: SafetyModeSchema.optional(),
  entity_refs: z.array(EntityRefSchema).max(LIMITS.entityRefs).optional(),
  planned_operations: z.array(PlannedOperationSchema).max(LIMITS.plannedOperations).optional(),
  job_inputs: JsonPayloadSchema.optional(),
  trace_id: UuidSchema.optional(),
  task_schema_version: z.string().max(64).regex(SEMVER, 'task_schema_version must be SemVer (e.g. 1.0.0)').optional(),
  workspace_scope: WorkspaceScopeSchema.optional(),
  layer_scope: LayerScopeSchema.optional(),
});

/**
 * What a caller may submit. The kind is parsed (alias -> canonical) here; the protocol must be
 * registered for the kind and job_inputs must fit the kind's schema. The state is never an input
 * (a new job is always `queued`); the capability profile and consent are decided by the main process.
 */
export const NewJobSchema = NewJobFields.superRefine(refineByKind);

/**
 * A new job's fields as the store checks each job of a batch (store.createJobs): the closed lists,
 * ids, references and layer scope, with the alias mapped. The per-kind inputs, the protocol
 * registry and the payload bounds are the edge's checks (NewJobSchema), made where the job entered.
 */
export const BatchJobSchema = NewJobFields.extend({ job_inputs: z.custom<JsonValue>().optional() });

export type NewJobInput = z.input<typeof NewJobSchema>;
export type NewJob = z.output<typeof NewJobSchema>;

export const NodeExecutionSchema = z.strictObject({
  node_execution_id: UuidSchema,
  workflow_run_id: UuidSchema,
  node_id: z.string(),
  node_type: z.string(),
  sequence: z.number().int(),
  status: NodeStatusSchema,
  status_reason: z.string(),
  input_payload: z.custom<JsonValue>().nullable(),
  output_payload: z.custom<JsonValue>().nullable(),
  error_message: z.string().nullable(),
  started_at: Rfc3339Schema,
  finished_at: Rfc3339Schema.nullable(),
});
export type NodeExecution = z.infer<typeof NodeExecutionSchema>;

export const WorkflowRunSchema = z.strictObject({
  workflow_run_id: UuidSchema,
  job_id: UuidSchema,
  status: RunStatusSchema,
  attempt: z.number().int().positive(),
  last_heartbeat: Rfc3339Schema,
  created_at: Rfc3339Schema,
  updated_at: Rfc3339Schema,
  finished_at: Rfc3339Schema.nullable(),
  status_reason: z.string(),
  nodes: z.array(NodeExecutionSchema),
});
export type WorkflowRun = z.infer<typeof WorkflowRunSchema>;

/**
 * The status_reason of a node execution that was not run but reused: a resumed workflow's step
 * that completed in an earlier attempt keeps that attempt's recorded output.
 */
export function reusedStepReason(fromAttempt: number): string {
  return `reused_from_attempt_${fromAttempt}`;
}

/** The attempt a reused node execution's output came from, or null when the node ran. */
export function reusedFromAttempt(statusReason: string): number | null {
  const match = /^reused_from_attempt_(\d+)$/.exec(statusReason);
  return match ? Number(match[1]) : null;
}

/**
 * A stored row that does not parse as a record (a damaged file, SQL written by hand with the
 * checks turned off): served as what it is, with its raw id and the reason, never as a valid job.
 */
export const UnsupportedRecordSchema = z.strictObject({
  unsupported: z.literal(true),
  raw_id: z.string(),
  reason: z.string(),
});
export type UnsupportedRecord = z.infer<typeof UnsupportedRecordSchema>;

export function isUnsupportedRecord(value: unknown): value is UnsupportedRecord {
  return typeof value === 'object' && value !== null && (value as { unsupported?: unknown }).unsupported === true;
}

/** The id a listed row goes by: the job's id, or the raw id of an unsupported record. */
export function listedIdOf(row: AiJob | UnsupportedRecord): string {
  return isUnsupportedRecord(row) ? row.raw_id : row.job_id;
}
