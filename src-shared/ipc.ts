/**
 * The IPC contract: every channel's input and output schema, and the push events. Both hosts
 * (Electron ipcMain and the loopback HTTP host) serve exactly this map through one router, and the
 * renderer's client is typed from it. Inputs are strict objects: unknown fields are refused.
 */
import { z } from 'zod';
import {
  HOST_KINDS,
  MODEL_RUNTIME_CHOICES,
  ActorSchema,
  CanonicalJobKindSchema,
  JobKindInputSchema,
  JobStateSchema,
} from './enums';
import type { ErrorBody } from './errors';
import { EventTypeSchema, FlightEventSchema } from './events';
import { AiJobSchema, LIMITS, NewJobSchema, UuidSchema, WorkflowRunSchema } from './job';
import { Rfc3339Schema } from './time';

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

export const JobsListInputSchema = z.strictObject({
  state: oneOrMany(JobStateSchema).optional(),
  job_kind: oneOrMany(JobKindInputSchema).optional(),
  created_from: Rfc3339Schema.optional(),
  created_to: Rfc3339Schema.optional(),
  text: z.string().max(256).optional(),
  trace_id: UuidSchema.optional(),
  workflow_run_id: UuidSchema.optional(),
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

export const CHANNELS = {
  'system.status': {
    input: z.strictObject({}),
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
      }),
      retention_days: z.number().positive(),
      last_purge_cutoff: Rfc3339Schema.nullable(),
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
    output: z.strictObject({
      items: z.array(AiJobSchema),
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
    input: z.strictObject({ job_id: UuidSchema }),
    /** The debug_bundle_export job that writes the bundle; its job_outputs name the file. */
    output: AiJobSchema,
  },
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
