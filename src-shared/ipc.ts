/**
 * The IPC contract: every channel's input and output schema, and the push events. Both hosts
 * (Electron ipcMain and the loopback HTTP host) serve exactly this map through one router, and the
 * renderer's client is typed from it. Inputs are strict objects: unknown fields are refused.
 */
import { z } from 'zod';
import {
  HOST_KINDS,
  MODEL_RUNTIME_CHOICES,
  AccessModeSchema,
  ActorSchema,
  CanonicalJobKindSchema,
  JobKindInputSchema,
  JobStateSchema,
} from './enums';
import type { ErrorBody } from './errors';
import { EventTypeSchema, FlightEventSchema } from './events';
import { AiJobSchema, JsonPayloadSchema, LIMITS, NewJobSchema, UnsupportedRecordSchema, UuidSchema, WorkflowRunSchema } from './job';
import { BUNDLE_REDACTION_MODES, BUNDLE_SCOPES, checkBundleScope, type BundleScope } from './job-inputs';
import { Rfc3339Schema } from './time';
import { OtlpExportScopeSchema, OtlpLiveStatusSchema } from './otlp';
import {
  BUNDLE_UPLOAD_MAX_BASE64,
  BundleStatusSchema,
  JobLabelSchema,
  LANES_MAX_BUCKETS,
  LANES_MAX_SPANS,
  LanesWindowSchema,
  TRACE_FIRST_EVENTS,
  TraceSchema,
} from './inspector-views';
import {
  BulkCancelResultSchema,
  JobCountsSchema,
  JobExplanationSchema,
  RerunLinksSchema,
  TERMINAL_STREAMS,
  TerminalOutputSchema,
} from './inspector';
import {
  DiagnosticSchema,
  DiagnosticSeveritySchema,
  DiagnosticSourceSchema,
  DiagnosticSurfaceSchema,
  FingerprintSchema,
  ProblemSchema,
  ProblemStatusSchema,
} from './diagnostics';

/** A value or a list of values; handlers always see the list. */
function oneOrMany<T extends z.ZodType>(item: T) {
  return z
    .union([item, z.array(item).max(64)])
    .transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);
}

const Cursor = z.string().min(1).max(512);
const Limit = z.number().int().min(1).max(LIMITS.listLimitMax);
const Reason = z.string().min(1).max(LIMITS.reason);

export const RECOVERY_STATES = ['pending', 'running', 'complete', 'failed'] as const;
export const RecoveryStatusSchema = z.strictObject({
  state: z.enum(RECOVERY_STATES),
  /** Runs moved to stalled by this start's recovery. */
  stalled_count: z.number().int().nonnegative(),
  /** Orphaned runs whose heartbeat is still fresher than the threshold; recovery waits for them. */
  waiting_count: z.number().int().nonnegative(),
  /** Milliseconds until recovery can finish (0 when complete). */
  ready_in_ms: z.number().int().nonnegative(),
  /** Job ids recovered at this start (for the "recovered N runs" banner). */
  recovered_job_ids: z.array(UuidSchema),
  error: z.string().nullable(),
});
export type RecoveryStatus = z.infer<typeof RecoveryStatusSchema>;

export const JOB_SORTS = ['created_at_desc', 'created_at_asc', 'updated_at_desc', 'updated_at_asc'] as const;
export type JobSort = (typeof JOB_SORTS)[number];

const OperatorActionInput = z.strictObject({ job_id: UuidSchema, reason: Reason.optional() });

/** What selects jobs: shared by jobs.list (which adds sort and paging) and jobs.count. */
const JOB_FILTER_FIELDS = {
  state: oneOrMany(JobStateSchema).optional(),
  job_kind: oneOrMany(JobKindInputSchema).optional(),
  created_from: Rfc3339Schema.optional(),
  created_to: Rfc3339Schema.optional(),
  text: z.string().max(256).optional(),
  trace_id: UuidSchema.optional(),
  workflow_run_id: UuidSchema.optional(),
};

export const JobsListInputSchema = z.strictObject({
  ...JOB_FILTER_FIELDS,
  sort: z.enum(JOB_SORTS).optional(),
  cursor: Cursor.optional(),
  limit: Limit.optional(),
});

/**
 * A jobs.list query as the store runs it: the channel's parsed input with times as epoch
 * milliseconds. Derived from the schema, so a new filter is added in one place.
 */
export type JobListQuery = Omit<z.output<typeof JobsListInputSchema>, 'created_from' | 'created_to'> & {
  created_from?: number;
  created_to?: number;
};

export const EventsListInputSchema = z.strictObject({
  event_id: UuidSchema.optional(),
  job_id: UuidSchema.optional(),
  trace_id: UuidSchema.optional(),
  workflow_run_id: UuidSchema.optional(),
  type: oneOrMany(EventTypeSchema).optional(),
  actor: ActorSchema.optional(),
  from: Rfc3339Schema.optional(),
  to: Rfc3339Schema.optional(),
  cursor: Cursor.optional(),
  limit: Limit.optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

/** An events.list query as the Flight Recorder runs it: times as epoch milliseconds. */
export type EventQuery = Omit<z.output<typeof EventsListInputSchema>, 'from' | 'to'> & { from?: number; to?: number };

/** Most jobs one bulk action takes: one page of the list. */
export const BULK_MAX_JOBS = LIMITS.listLimitMax;
/** Largest tail of captured terminal output one call returns. */
export const TERMINAL_TAIL_MAX_BYTES = 1024 * 1024;
export const ProblemsListInputSchema = z.strictObject({
  severity: oneOrMany(DiagnosticSeveritySchema).optional(),
  source: oneOrMany(DiagnosticSourceSchema).optional(),
  surface: oneOrMany(DiagnosticSurfaceSchema).optional(),
  status: oneOrMany(ProblemStatusSchema).optional(),
  job_id: UuidSchema.optional(),
  /** Problems with at least one instance in [from, to]. */
  from: Rfc3339Schema.optional(),
  to: Rfc3339Schema.optional(),
  cursor: Cursor.optional(),
  limit: Limit.optional(),
});

/** A problems.list query as the store runs it: times as epoch milliseconds. */
export type ProblemQuery = Omit<z.output<typeof ProblemsListInputSchema>, 'from' | 'to'> & { from?: number; to?: number };

/** One of `fingerprint` (the problem) or `diagnostic_id` (the problem of that raw instance). */
export const ProblemsGetInputSchema = z
  .strictObject({
    fingerprint: FingerprintSchema.optional(),
    diagnostic_id: UuidSchema.optional(),
    cursor: Cursor.optional(),
    limit: Limit.optional(),
  })
  .refine((input) => (input.fingerprint === undefined) !== (input.diagnostic_id === undefined), {
    message: 'give exactly one of fingerprint or diagnostic_id',
  });

export { BUNDLE_REDACTION_MODES, BUNDLE_SCOPES, type BundleScope };

/**
 * bundles.export: `{ job_id }` (scope job, the default), `{ scope: 'trace', job_id }` (every job
 * of that job's trace_id), `{ scope: 'problem', fingerprint }` or
 * `{ scope: 'time_window', from, to }`; a field of another scope is refused.
 */
export const BundlesExportInputSchema = z
  .strictObject({
    scope: z.enum(BUNDLE_SCOPES).optional(),
    job_id: UuidSchema.optional(),
    fingerprint: FingerprintSchema.optional(),
    from: Rfc3339Schema.optional(),
    to: Rfc3339Schema.optional(),
    redaction_mode: z.enum(BUNDLE_REDACTION_MODES).optional(),
  })
  .superRefine((input, ctx) =>
    checkBundleScope(input, { job: ['job_id'], trace: ['job_id'], problem: ['fingerprint'], time_window: ['from', 'to'] }, ctx),
  );

const CapabilityIdText = z.string().min(1).max(128);

export const PolicySimulateInputSchema = z.strictObject({
  job_kind: JobKindInputSchema,
  protocol_id: z.string().min(1).max(LIMITS.shortText),
  access_mode: AccessModeSchema,
  capability_id: CapabilityIdText,
  /** Defaults to the profile the main process would assign to such a job. */
  capability_profile_id: z.string().min(1).max(LIMITS.shortText).optional(),
});

const CapabilityDecisionSchema = z.strictObject({
  capability_id: z.string(),
  decision_outcome: z.enum(['allow', 'deny']),
  reason: z.string().nullable(),
  event_id: UuidSchema,
  timestamp: Rfc3339Schema,
});

export const NAV_TARGETS = ['job', 'event', 'diagnostic', 'problem'] as const;
/** What the host knows about the configured model runtime (Phase 1 runtime detection, L49542). */
export const RuntimeReachabilitySchema = z.strictObject({
  /** null: not checked yet (or no runtime configured). */
  reachable: z.boolean().nullable(),
  /** The models the runtime has (for Ollama, /api/tags). */
  models: z.array(z.string()),
  message: z.string().nullable(),
  checked_at: Rfc3339Schema.nullable(),
});
export type RuntimeReachability = z.infer<typeof RuntimeReachabilitySchema>;

export const CHANNELS = {
  'system.status': {
    /** `check_model_runtime`: probe the model runtime again now instead of reporting the last check. */
    input: z.strictObject({ check_model_runtime: z.boolean().optional() }),
    output: z.strictObject({
      version: z.string(),
      data_dir: z.string(),
      host: z.enum(HOST_KINDS),
      recovery: RecoveryStatusSchema,
      accepting_jobs: z.boolean(),
      model_runtime: z.strictObject({
        kind: z.enum(MODEL_RUNTIME_CHOICES),
        label: z.string(),
        model_id: z.string().nullable(),
        reachability: RuntimeReachabilitySchema,
      }),
      /** Started with --allow-terminal: every terminal_exec submitted here is consented, and says so. */
      allow_terminal: z.boolean(),
      retention_days: z.number().positive(),
      last_purge_cutoff: Rfc3339Schema.nullable(),
      /** Live OTLP export of finished jobs; null when it is off (the default). */
      otlp_export: OtlpLiveStatusSchema.nullable(),
      /** Jobs stored or changed but not yet in the full-text index (the indexer runs off the commit path). */
      search_index_lag: z.number().int().nonnegative(),
    }),
  },
  'jobs.create': {
    input: NewJobSchema,
    output: AiJobSchema,
  },
  'jobs.get': {
    input: z.strictObject({ job_id: UuidSchema }),
    output: AiJobSchema,
  },
  'jobs.list': {
    input: JobsListInputSchema,
    /** A stored row that does not parse comes as an unsupported-record marker, beside the valid jobs. */
    output: z.strictObject({
      items: z.array(z.union([AiJobSchema, UnsupportedRecordSchema])),
      next_cursor: z.string().nullable(),
      /** Present when a text search ran while the index was behind: jobs it could not see yet. */
      search_index_lag: z.number().int().positive().optional(),
    }),
  },
  'jobs.cancel': { input: OperatorActionInput, output: AiJobSchema },
  'jobs.resume': { input: OperatorActionInput, output: AiJobSchema },
  'jobs.fail': { input: OperatorActionInput, output: AiJobSchema },
  'runs.list': {
    input: z.strictObject({ job_id: UuidSchema }),
    output: z.strictObject({ items: z.array(WorkflowRunSchema) }),
  },
  'events.list': {
    input: EventsListInputSchema,
    output: z.strictObject({
      items: z.array(FlightEventSchema),
      next_cursor: z.string().nullable(),
      /** Events older than this were purged by retention; null when nothing was ever purged. */
      purged_before: Rfc3339Schema.nullable(),
    }),
  },
  'bundles.export': {
    input: BundlesExportInputSchema,
    /** The debug_bundle_export job that writes the bundle; its job_outputs name the file. */
    output: AiJobSchema,
  },
  'traces.export_otlp': {
    /** Exactly one scope: a job, a trace, or the jobs with Flight Recorder events between from and to. */
    input: OtlpExportScopeSchema,
    /** The OTLP JSON Lines file written under <data-dir>/exports/, and what it holds. */
    output: z.strictObject({
      path: z.string(),
      job_count: z.number().int().nonnegative(),
      trace_count: z.number().int().nonnegative(),
      span_count: z.number().int().nonnegative(),
      event_count: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      truncated: z.boolean(),
    }),
  },
  /** Kind and state of jobs by id (the Timeline's job column); unknown ids are left out. */
  'jobs.lookup': {
    input: z.strictObject({ job_ids: z.array(UuidSchema).min(1).max(LIMITS.listLimitMax) }),
    output: z.strictObject({ items: z.array(JobLabelSchema) }),
  },
  /** Runs and their nodes as bars over a wall-clock window, or counts per bucket when too many. */
  'timeline.lanes': {
    input: z.strictObject({
      from: Rfc3339Schema,
      to: Rfc3339Schema,
      max_spans: z.number().int().min(1).max(LANES_MAX_SPANS).optional(),
      buckets: z.number().int().min(1).max(LANES_MAX_BUCKETS).optional(),
    }),
    output: LanesWindowSchema,
  },
  /** Every job, run, node and event of one trace_id. */
  'traces.get': {
    input: z.strictObject({ trace_id: UuidSchema, event_limit: z.number().int().min(1).max(TRACE_FIRST_EVENTS).optional() }),
    output: TraceSchema,
  },
  /** Live data, or an opened debug bundle with each file's SHA-256 checked against the manifest. */
  'bundles.status': {
    input: z.strictObject({}),
    output: BundleStatusSchema,
  },
  /** The ZIP a finished debug_bundle_export job wrote, for a browser download. */
  'bundles.download': {
    input: z.strictObject({ bundle_id: UuidSchema }),
    output: z.strictObject({ file_name: z.string(), size_bytes: z.number().int().nonnegative(), sha256: z.string(), data_base64: z.string() }),
  },
  /** Opens a bundle ZIP read-only in its own inspector (served on its own loopback address). */
  'bundles.open': {
    input: z.strictObject({
      file_name: z.string().min(1).max(255),
      data_base64: z.string().min(1).max(BUNDLE_UPLOAD_MAX_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
    }),
    output: z.strictObject({ url: z.string(), bundle: BundleStatusSchema }),
  },
  'jobs.explain': {
    input: z.strictObject({ job_id: UuidSchema }),
    output: JobExplanationSchema,
  },
  'jobs.count': {
    input: z.strictObject(JOB_FILTER_FIELDS),
    output: JobCountsSchema,
  },
  'jobs.cancel_many': {
    input: z.strictObject({
      job_ids: z
        .array(UuidSchema)
        .min(1)
        .max(BULK_MAX_JOBS)
        .refine((ids) => new Set(ids).size === ids.length, 'job_ids must not repeat an id'),
      reason: Reason.optional(),
    }),
    output: BulkCancelResultSchema,
  },
  /** A new job with the finished job's kind, protocol, modes and refs, and its inputs or edited ones. */
  'jobs.rerun': {
    input: z.strictObject({ job_id: UuidSchema, job_inputs: JsonPayloadSchema.optional() }),
    output: AiJobSchema,
  },
  'jobs.reruns': {
    input: z.strictObject({ job_id: UuidSchema }),
    output: RerunLinksSchema,
  },
  'jobs.terminal_output': {
    input: z.strictObject({
      job_id: UuidSchema,
      node_execution_id: UuidSchema.optional(),
      stream: z.enum(TERMINAL_STREAMS),
      max_bytes: z.number().int().min(1).max(TERMINAL_TAIL_MAX_BYTES).optional(),
    }),
    output: TerminalOutputSchema,
  },
  'problems.list': {
    input: ProblemsListInputSchema,
    output: z.strictObject({ items: z.array(ProblemSchema), next_cursor: z.string().nullable() }),
  },
  'problems.get': {
    input: ProblemsGetInputSchema,
    output: z.strictObject({
      problem: ProblemSchema,
      /** Raw instances, newest first (keyset pages). */
      instances: z.array(DiagnosticSchema),
      next_cursor: z.string().nullable(),
      /** A redacted, self-contained description of the problem for a coding assistant. */
      coder_prompt: z.string(),
    }),
  },
  'problems.set_status': {
    input: z.strictObject({ fingerprint: FingerprintSchema, status: ProblemStatusSchema, reason: Reason.optional() }),
    output: ProblemSchema,
  },
  'policy.simulate': {
    input: PolicySimulateInputSchema,
    output: z.strictObject({
      allowed: z.boolean(),
      decision_outcome: z.enum(['allow', 'deny']),
      capability_id: z.string(),
      capability_profile_id: z.string(),
      /** What a job of this kind and protocol declares it needs. */
      declared: z.array(z.string()),
      /** What the profile grants. */
      granted: z.array(z.string()),
      reason: z.string(),
      /** The policy_simulation event that logged this run. */
      event_id: UuidSchema,
    }),
  },
  'policy.inspect': {
    input: z.strictObject({ job_id: UuidSchema }),
    output: z.strictObject({
      job_id: UuidSchema,
      capability_profile_id: z.string(),
      access_mode: AccessModeSchema,
      declared: z.array(z.string()),
      granted: z.array(z.string()),
      /** The capability decisions recorded for the job (allow = used). */
      decisions: z.array(CapabilityDecisionSchema),
      /** Every capability id in the registry (what the simulator may ask about). */
      registry: z.array(z.string()),
    }),
  },
  /** Resolves a deep link; one that does not resolve is recorded as a Diagnostic (VAL-NAV-001). */
  'nav.resolve': {
    input: z.strictObject({ target_kind: z.enum(NAV_TARGETS), id: z.string().min(1).max(256) }),
    output: z.strictObject({
      resolved: z.boolean(),
      target_kind: z.enum(NAV_TARGETS),
      id: z.string(),
      diagnostic: DiagnosticSchema.nullable(),
    }),
  },
  /** The operator's decision on a job waiting in awaiting_validation / awaiting_user (actor human). */
  'jobs.accept': { input: OperatorActionInput, output: AiJobSchema },
  'jobs.reject': { input: OperatorActionInput, output: AiJobSchema },
} as const;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
export type ChannelInput<C extends Channel> = z.input<(typeof CHANNELS)[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<(typeof CHANNELS)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.infer<(typeof CHANNELS)[C]['output']>;

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(CHANNELS, name);
}

/** What crosses every process boundary: never a thrown error. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Push events from the main process. */
export const PUSH_EVENTS = {
  'job.changed': z.strictObject({ job: AiJobSchema }),
  'event.appended': z.strictObject({ event: FlightEventSchema }),
  'recovery.progress': z.strictObject({ recovery: RecoveryStatusSchema }),
} as const;
export type PushEventName = keyof typeof PUSH_EVENTS;
export type PushPayload<E extends PushEventName> = z.infer<(typeof PUSH_EVENTS)[E]>;
/** Each push carries a sequence number, increasing by one, so a client can detect a gap. */
export interface PushMessage<E extends PushEventName = PushEventName> {
  seq: number;
  name: E;
  payload: PushPayload<E>;
}

/** The renderer-facing API, one function per channel (what the preload exposes as window.handshake). */
export type HandshakeApi = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<Envelope<ChannelOutput<C>>>;
} & {
  on<E extends PushEventName>(name: E, listener: (message: PushMessage<E>) => void): () => void;
};

/** Kinds the UI offers, straight from the canonical list (the UI cannot offer anything else). */
export const SUBMITTABLE_KINDS = CanonicalJobKindSchema.options;
