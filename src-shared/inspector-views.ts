/**
 * Shapes of the inspector's read views that are not plain records: job labels for the Timeline's
 * job column, the lanes of runs over wall-clock time, one trace with everything in it, and the
 * state of an opened debug bundle. The channels that serve them are in ./ipc.ts.
 */
import { z } from 'zod';
import { CanonicalJobKindSchema, JobStateSchema, NodeStatusSchema, RunStatusSchema } from './enums';
import { FlightEventSchema } from './events';
import { AiJobSchema, NodeExecutionSchema, UuidSchema, WorkflowRunSchema } from './job';
import { Rfc3339Schema } from './time';

export const JobLabelSchema = z.strictObject({
  job_id: UuidSchema,
  job_kind: CanonicalJobKindSchema,
  state: JobStateSchema,
  trace_id: UuidSchema,
});
export type JobLabel = z.infer<typeof JobLabelSchema>;

/** Most lanes a window returns as bars; past this it answers with counts per time bucket. */
export const LANES_MAX_SPANS = 5_000;
export const LANES_MAX_BUCKETS = 1_000;

export const LaneNodeSchema = z.strictObject({
  node_id: z.string(),
  status: NodeStatusSchema,
  start: Rfc3339Schema,
  end: Rfc3339Schema,
});
export type LaneNode = z.infer<typeof LaneNodeSchema>;

/** One workflow run as a bar: from its start to its end (its last heartbeat if stalled, now if running). */
export const LaneSpanSchema = z.strictObject({
  workflow_run_id: UuidSchema,
  job_id: UuidSchema,
  job_kind: CanonicalJobKindSchema,
  trace_id: UuidSchema,
  attempt: z.number().int().positive(),
  status: RunStatusSchema,
  start: Rfc3339Schema,
  end: Rfc3339Schema,
  /** Still running: `end` is the time of the answer. */
  open: z.boolean(),
  nodes: z.array(LaneNodeSchema),
});
export type LaneSpan = z.infer<typeof LaneSpanSchema>;

export const LanesWindowSchema = z.strictObject({
  from: Rfc3339Schema,
  to: Rfc3339Schema,
  /** `spans` when few enough runs overlap the window to draw each; `density` otherwise. */
  mode: z.enum(['spans', 'density']),
  /** Runs started in the window (and in the look-back that can reach into it). */
  run_count: z.number().int().nonnegative(),
  spans: z.array(LaneSpanSchema),
  density: z
    .strictObject({
      bucket_ms: z.number().positive(),
      /** Runs started per bucket, from `from` on. */
      started: z.array(z.number().int().nonnegative()),
    })
    .nullable(),
  /** First and last Flight Recorder event, so the view can zoom to everything. */
  extent: z.strictObject({ first: Rfc3339Schema, last: Rfc3339Schema }).nullable(),
  /** Events before this were removed by retention: runs there cannot be drawn. */
  purged_before: Rfc3339Schema.nullable(),
});
export type LanesWindow = z.infer<typeof LanesWindowSchema>;

export const TRACE_MAX_JOBS = 2_000;
/** Events in the first answer; the rest follow page by page through events.list from `events_next_cursor`. */
export const TRACE_FIRST_EVENTS = 1_000;

/** A trace's records without their payloads (inputs, outputs, node payloads): the tree and waterfall need none. */
export const TraceJobSchema = AiJobSchema.pick({
  job_id: true,
  trace_id: true,
  workflow_run_id: true,
  job_kind: true,
  state: true,
  status_reason: true,
  error_message: true,
  protocol_id: true,
  created_at: true,
  updated_at: true,
  completed_at: true,
});
export type TraceJob = z.infer<typeof TraceJobSchema>;
export const TraceNodeSchema = NodeExecutionSchema.omit({ input_payload: true, output_payload: true });
export type TraceNode = z.infer<typeof TraceNodeSchema>;
export const TraceRunSchema = WorkflowRunSchema.omit({ nodes: true, updated_at: true }).extend({ nodes: z.array(TraceNodeSchema) });
export type TraceRun = z.infer<typeof TraceRunSchema>;

export const TraceSchema = z.strictObject({
  trace_id: UuidSchema,
  jobs: z.array(TraceJobSchema),
  runs: z.array(TraceRunSchema),
  /** The trace's first events, oldest first. */
  events: z.array(FlightEventSchema),
  /** An events.list cursor (trace_id, order asc) for the rest, or null when `events` holds them all. */
  events_next_cursor: z.string().nullable(),
  jobs_truncated: z.boolean(),
  purged_before: Rfc3339Schema.nullable(),
});
export type Trace = z.infer<typeof TraceSchema>;

export const BUNDLE_FILE_STATUSES = ['ok', 'modified', 'missing', 'unlisted'] as const;
export type BundleFileStatus = (typeof BUNDLE_FILE_STATUSES)[number];

export const BundleFileCheckSchema = z.strictObject({
  path: z.string(),
  status: z.enum(BUNDLE_FILE_STATUSES),
  expected_sha256: z.string().nullable(),
  actual_sha256: z.string().nullable(),
  size_bytes: z.number().int().nonnegative().nullable(),
});
export type BundleFileCheck = z.infer<typeof BundleFileCheckSchema>;

export const BundleStatusSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('live') }),
  z.strictObject({
    mode: z.literal('bundle'),
    file_name: z.string(),
    bundle_id: z.string().nullable(),
    created_at: z.string().nullable(),
    redaction_mode: z.string().nullable(),
    /** The manifest's own hash (bundle_hash) matches its body and the file hashes it lists. */
    manifest_intact: z.boolean(),
    /** Any file modified, missing or unlisted, or the manifest altered. */
    tampered: z.boolean(),
    files: z.array(BundleFileCheckSchema),
    /** Records that could not be read, each with why. */
    problems: z.array(z.string()),
  }),
]);
export type BundleStatus = z.infer<typeof BundleStatusSchema>;

/** A bundle ZIP travels base64-encoded inside the JSON body, which the browser host caps at 1 MiB. */
export const BUNDLE_UPLOAD_MAX_BASE64 = 1_000_000;
