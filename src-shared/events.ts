/**
 * Flight Recorder event shapes (§11.5). An event is validated against its type's payload schema
 * before it is stored; a bad shape is refused with HSK-400-INVALID-EVENT and nothing is written.
 */
import { z } from 'zod';
import { APP_STARTERS, AccessModeSchema, ActorSchema, CanonicalJobKindSchema, JobStateSchema, RunStatusSchema, NodeStatusSchema } from './enums';
import { TRANSITION_CAUSES } from './transitions';
import { Rfc3339Schema } from './time';
import { UuidSchema } from './job';
import { DiagnosticSeveritySchema, DiagnosticSourceSchema, FingerprintSchema, ProblemStatusSchema } from './diagnostics';

const Text = z.string().max(4_096);

/** The capability enforcement points (spec-digest §7.1, issue 10): submission, each node, each side effect. */
export const CAPABILITY_CHECKPOINTS = ['submission', 'node', 'process_start', 'file_read', 'model_call', 'simulation'] as const;
export type CapabilityCheckpoint = (typeof CAPABILITY_CHECKPOINTS)[number];
const Count = z.number().int().nonnegative();

/** What startup recovery can do to a recorded process group (process_recovery.action). */
export const PROCESS_RECOVERY_ACTIONS = ['terminated', 'killed', 'already_exited', 'pid_reused', 'unverifiable'] as const;
export type ProcessRecoveryAction = (typeof PROCESS_RECOVERY_ACTIONS)[number];

/** Payload schema per event type. Payloads are strict: unknown fields are refused (BL-190..196). */
export const EVENT_PAYLOADS = {
  job_created: z.strictObject({
    job_kind: CanonicalJobKindSchema,
    protocol_id: Text,
    state: z.literal('queued'),
    /** The spelling the caller used when it was an alias (e.g. term_exec); the stored kind is canonical. */
    submitted_job_kind: z.string().max(128).nullable(),
    /** The job's Flight Recorder span (AiJob.flight_recorder_span_id), opened by this event. */
    span_id: UuidSchema.optional(),
  }),
  job_rejected: z.strictObject({
    code: Text,
    field: Text,
    reason: Text,
    submitted_job_kind: z.string().max(128).nullable(),
  }),
  job_state_changed: z.strictObject({
    from_state: JobStateSchema,
    to_state: JobStateSchema,
    cause: z.enum(TRANSITION_CAUSES),
    reason: Text,
  }),
  workflow_run_started: z.strictObject({
    workflow_run_id: UuidSchema,
    attempt: z.number().int().positive(),
    job_kind: CanonicalJobKindSchema,
  }),
  workflow_run_finished: z.strictObject({
    workflow_run_id: UuidSchema,
    status: RunStatusSchema,
    reason: Text,
    duration_ms: Count,
  }),
  workflow_node_started: z.strictObject({
    node_execution_id: UuidSchema,
    node_id: Text,
    node_type: Text,
    sequence: Count,
  }),
  workflow_node_finished: z.strictObject({
    node_execution_id: UuidSchema,
    node_id: Text,
    status: NodeStatusSchema,
    reason: Text,
    duration_ms: Count,
  }),
  /** FR-EVT-WF-RECOVERY, exactly as §11.5 defines it. */
  workflow_recovery: z.strictObject({
    workflow_run_id: UuidSchema,
    job_id: UuidSchema.optional(),
    from_state: z.literal('running'),
    to_state: z.literal('stalled'),
    reason: Text,
    last_heartbeat_ts: Rfc3339Schema,
    threshold_secs: z.number().nonnegative(),
  }),
  app_started: z.strictObject({
    version: Text,
    pid: Count,
    host: z.enum(APP_STARTERS),
    previous_stop: z.enum(['clean', 'crash', 'first_start']),
  }),
  app_stopped: z.strictObject({
    reason: Text,
  }),
  retention_purge: z.strictObject({
    retention_days: z.number().positive(),
    cutoff: Rfc3339Schema,
    purged_count: Count,
  }),
  capability_action: z.strictObject({
    capability_id: Text,
    actor_id: Text,
    job_id: UuidSchema.nullable(),
    decision_outcome: z.enum(['allow', 'deny']),
    reason: Text.optional(),
    /** The policy rule that decided (e.g. `profile.Coder.grants`, `access_mode.preview_only.no_side_effects`). */
    rule: Text.optional(),
    /** Where the check happened: at submission, before a node, or before a side-effecting call. */
    checkpoint: z.enum(CAPABILITY_CHECKPOINTS).optional(),
  }),
  security_violation: z.strictObject({
    violation_type: Text,
    description: Text,
    trigger: Text,
    offset: Count,
    action_taken: z.literal('poisoned'),
  }),
  /** FR-EVT-001. Output is never inlined: sizes and refs only. */
  terminal_command: z.strictObject({
    session_id: Text,
    command: Text,
    args: z.array(Text).optional(),
    cwd: Text.nullable(),
    exit_code: z.number().int().nullable(),
    duration_ms: Count.nullable(),
    timed_out: z.boolean(),
    cancelled: z.boolean(),
    truncated_bytes: Count,
    stdout_ref: Text.optional(),
    stderr_ref: Text.optional(),
  }),
  /** FR-EVT-006. trace_id and model_id are required by the spec. */
  llm_inference: z.strictObject({
    trace_id: UuidSchema,
    model_id: z.string().min(1).max(256),
    token_usage: z.strictObject({
      prompt_tokens: Count,
      completion_tokens: Count,
      total_tokens: Count,
    }),
    latency_ms: Count.optional(),
    prompt_hash: Text.optional(),
    response_hash: Text.optional(),
  }),
  /** FR-EVT-005. */
  debug_bundle_export: z.strictObject({
    bundle_id: Text,
    scope: z.enum(['problem', 'job', 'time_window', 'workspace']),
    redaction_mode: z.enum(['SAFE_DEFAULT', 'WORKSPACE', 'FULL_LOCAL']),
    included_job_ids: z.array(UuidSchema).optional(),
    included_diagnostic_ids: z.array(UuidSchema).optional(),
    event_count: Count.optional(),
    diagnostic_count: Count.optional(),
    missing_evidence: z.array(z.strictObject({ kind: Text, reason: Text })).optional(),
    path: Text.optional(),
  }),
  /** FR-EVT-003: links to a Diagnostic without copying it. */
  diagnostic: z.strictObject({
    diagnostic_id: UuidSchema,
    fingerprint: FingerprintSchema,
    wsid: Text.optional(),
    severity: DiagnosticSeveritySchema.optional(),
    source: DiagnosticSourceSchema.optional(),
  }),
  /** A problem's status set by an operator (actor human) or reopened by a recurrence (actor system). */
  problem_status_changed: z.strictObject({
    fingerprint: FingerprintSchema,
    from_status: ProblemStatusSchema,
    to_status: ProblemStatusSchema,
    reason: Text,
  }),
  /** One run of the policy simulator (§10.5 Capability & Policy Inspector: simulator runs are logged). */
  policy_simulation: z.strictObject({
    job_kind: CanonicalJobKindSchema,
    protocol_id: Text,
    access_mode: AccessModeSchema,
    capability_id: Text,
    capability_profile_id: Text,
    decision_outcome: z.enum(['allow', 'deny']),
    reason: Text,
  }),
  /**
   * What startup recovery did to a process group an interrupted run had started: ended it
   * (SIGTERM, or SIGKILL after the grace period), found it gone, or left a process alone because
   * its pid now belongs to another process (or could not be verified).
   */
  process_recovery: z.strictObject({
    workflow_run_id: UuidSchema,
    node_execution_id: UuidSchema.nullable(),
    pid: Count,
    pgid: Count,
    command: Text,
    action: z.enum(PROCESS_RECOVERY_ACTIONS),
  }),
  /** A resumed workflow's step that had completed in an earlier attempt: its recorded output is reused. */
  workflow_node_reused: z.strictObject({
    node_execution_id: UuidSchema,
    node_id: Text,
    sequence: Count,
    from_node_execution_id: UuidSchema,
    from_workflow_run_id: UuidSchema,
  }),
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];
export const EventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/** Event types whose actor is fixed by the spec. */
export const REQUIRED_ACTOR: Partial<Record<EventType, z.infer<typeof ActorSchema>>> = {
  workflow_recovery: 'system',
  process_recovery: 'system',
  app_started: 'system',
  app_stopped: 'system',
  retention_purge: 'system',
};

/** What a producer hands to the recorder; the recorder adds event_id and timestamp. */
export interface EventDraft<T extends EventType = EventType> {
  type: T;
  actor: z.infer<typeof ActorSchema>;
  actor_id?: string;
  trace_id: string;
  job_id?: string | null;
  workflow_run_id?: string | null;
  model_id?: string | null;
  capability_id?: string | null;
  payload: EventPayload<T>;
}

/** A stored event as served (events.list). `seq` is the store's order and the cursor's key. */
export const FlightEventSchema = z.strictObject({
  seq: z.number().int().positive(),
  event_id: UuidSchema,
  type: EventTypeSchema,
  timestamp: Rfc3339Schema,
  actor: ActorSchema,
  actor_id: z.string(),
  trace_id: UuidSchema,
  job_id: UuidSchema.nullable(),
  workflow_run_id: UuidSchema.nullable(),
  model_id: z.string().nullable(),
  capability_id: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type FlightEvent = z.infer<typeof FlightEventSchema>;
