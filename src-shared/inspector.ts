/**
 * Shapes the inspector reads besides jobs and events: a job's explanation (jobs.explain), counts
 * for a filter (jobs.count), rerun links (jobs.reruns), bulk cancel results and the tail of a
 * terminal_exec job's captured output. The IPC contract (ipc.ts) uses them as channel outputs.
 */
import { z } from 'zod';
import { CanonicalJobKindSchema, JOB_STATES, JobStateSchema, type JobState } from './enums';
import { AiJobSchema, UuidSchema } from './job';
import { Rfc3339Schema } from './time';

/** A record a fact points at, so the UI can open it. */
export const FactLinkSchema = z.strictObject({
  kind: z.enum(['job', 'event', 'run']),
  id: UuidSchema,
});
export type FactLink = z.infer<typeof FactLinkSchema>;

/** One fact behind an explanation: a stable key, words for a person, and the record it comes from. */
export const ExplanationFactSchema = z.strictObject({
  key: z.string(),
  label: z.string(),
  value: z.string(),
  /** Set when the fact is a moment (shown in local time, UTC on hover). */
  time: Rfc3339Schema.nullable(),
  link: FactLinkSchema.nullable(),
});
export type ExplanationFact = z.infer<typeof ExplanationFactSchema>;

export const JobExplanationSchema = z.strictObject({
  job_id: UuidSchema,
  state: JobStateSchema,
  /** A stable name for the explanation (e.g. `queued_behind_busy_slots`), for tools to branch on. */
  reason: z.string(),
  /** One sentence a person can act on. */
  sentence: z.string(),
  facts: z.array(ExplanationFactSchema),
  explained_at: Rfc3339Schema,
});
export type JobExplanation = z.infer<typeof JobExplanationSchema>;

/** Every state's count, so a state with no jobs reads 0 rather than missing. */
export const StateCountsSchema = z.strictObject(
  Object.fromEntries(JOB_STATES.map((state) => [state, z.number().int().nonnegative()])) as Record<JobState, z.ZodNumber>,
);
export type StateCounts = z.infer<typeof StateCountsSchema>;

export const JobCountsSchema = z.strictObject({
  /** Jobs matching the whole filter. */
  total: z.number().int().nonnegative(),
  /** Per state, for the filter without its state part: what each state choice would show. */
  by_state: StateCountsSchema,
  /**
   * Present when a text filter ran while the full-text index was behind (after a bulk import):
   * jobs it could not count yet. The jobs list says the same beside its page.
   */
  search_index_lag: z.number().int().positive().optional(),
  /**
   * Present when a text filter matched more jobs than a count reads (1,000): `total` and
   * `by_state` are then lower bounds, counted over the newest `capped_at` + 1 matches ("1,000+").
   */
  capped_at: z.number().int().positive().optional(),
});
export type JobCounts = z.infer<typeof JobCountsSchema>;

export const JobRefSchema = z.strictObject({
  job_id: UuidSchema,
  job_kind: CanonicalJobKindSchema,
  state: JobStateSchema,
  created_at: Rfc3339Schema,
});
export type JobRef = z.infer<typeof JobRefSchema>;

export const RerunLinksSchema = z.strictObject({
  /** The job this one was cloned from, when it is a rerun. */
  rerun_of: JobRefSchema.nullable(),
  /** Jobs cloned from this one, oldest first. */
  reruns: z.array(JobRefSchema),
});
export type RerunLinks = z.infer<typeof RerunLinksSchema>;

export const BulkCancelResultSchema = z.strictObject({
  cancelled: z.array(AiJobSchema),
  /** Jobs left as they were, because their state allows no cancel (e.g. already finished). */
  skipped: z.array(z.strictObject({ job_id: UuidSchema, state: JobStateSchema, message: z.string() })),
});
export type BulkCancelResult = z.infer<typeof BulkCancelResultSchema>;

export const TERMINAL_STREAMS = ['stdout', 'stderr'] as const;
export type TerminalStream = (typeof TERMINAL_STREAMS)[number];

export const TerminalOutputSchema = z.strictObject({
  job_id: UuidSchema,
  /** The terminal_exec node whose output this is; null while no command has started. */
  node_execution_id: UuidSchema.nullable(),
  stream: z.enum(TERMINAL_STREAMS),
  /** The tail of the captured file, secrets masked. */
  text: z.string(),
  /** Bytes captured so far. */
  size_bytes: z.number().int().nonnegative(),
  /** Where `text` starts in the file (0 when the whole file is shown). */
  from_byte: z.number().int().nonnegative(),
  /** Values the redactor masked in `text`. */
  redacted_count: z.number().int().nonnegative(),
  /** The command is still running: the file is still growing. */
  live: z.boolean(),
});
export type TerminalOutput = z.infer<typeof TerminalOutputSchema>;
