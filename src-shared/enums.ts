/**
 * The canonical vocabularies of the AI Job Model (Master Spec v02.113 §2.6.6.2.8).
 * Every other list in the code base — SQL CHECK constraints, UI selects, validators — is derived
 * from these arrays, so a value exists here or nowhere.
 */
import { z } from 'zod';
import { ERROR_CODES } from './errors';

/** §2.6.6.2.8.1: the only strings a job kind may take, in storage and over the API. */
export const JOB_KINDS = [
  'doc_edit',
  'doc_rewrite',
  'doc_summarize',
  'sheet_transform',
  'canvas_cluster',
  'asr_transcribe',
  'workflow_run',
  'spec_router',
  'debug_bundle_export',
  'terminal_exec',
  'doc_ingest',
  'distillation_eval',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Legacy spellings accepted on input and rewritten on write (§2.6.6.2.8.1: term_exec only). */
export const JOB_KIND_ALIASES: Readonly<Record<string, JobKind>> = Object.freeze({
  term_exec: 'terminal_exec',
});

export const JOB_STATES = [
  'queued',
  'running',
  'stalled',
  'awaiting_validation',
  'awaiting_user',
  'completed',
  'completed_with_issues',
  'failed',
  'cancelled',
  'poisoned',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const ACCESS_MODES = ['analysis_only', 'preview_only', 'apply_scoped'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const SAFETY_MODES = ['strict', 'normal', 'experimental'] as const;
export type SafetyMode = (typeof SAFETY_MODES)[number];

/** ExecutionMode (§2.6.6.2.4, L5232): a job runs one step (its own kind) or a sequence of steps. */
export const EXECUTION_MODES = ['single_step', 'multi_step'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/** The layers of LayerScope (core, L5214): what a job may read and write. Only `derived` is writable by default. */
export const LAYERS = ['raw', 'derived', 'display'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * A job's consent decision (persisted even under a global switch, L35189). `not_required`: the
 * kind needs none; `pending`: waiting in awaiting_user for the operator; `granted` / `denied`: decided;
 * `not_recorded`: a row from before consent was recorded (migrated; never granted by default).
 */
export const CONSENT_DECISIONS = ['not_required', 'pending', 'granted', 'denied', 'not_recorded'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];

/** Who gave a consent: the operator for one job (with a TTL), or the host's --allow-terminal switch. */
export const CONSENT_SOURCES = ['operator', 'allow_terminal_switch'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** FlightRecorderActor (§11.5). */
export const ACTORS = ['human', 'agent', 'system'] as const;
export type Actor = (typeof ACTORS)[number];

/** A workflow run is one execution attempt of a job (§2.6.6.4). */
export const RUN_STATUSES = [
  'running',
  'completed',
  'completed_with_issues',
  'failed',
  'cancelled',
  'stalled',
  'poisoned',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How an attempt can end when the engine or an operator ends it (recovery alone sets `stalled`). */
export type RunEndStatus = Exclude<RunStatus, 'running' | 'stalled'>;

/** The job state an attempt's end puts its job in: one row per way a run can end. */
export const JOB_STATE_OF_RUN_END = {
  completed: 'completed',
  completed_with_issues: 'completed_with_issues',
  failed: 'failed',
  cancelled: 'cancelled',
  poisoned: 'poisoned',
} as const satisfies Record<RunEndStatus, JobState>;

export const NODE_STATUSES = ['running', 'completed', 'failed', 'cancelled', 'stalled', 'poisoned'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** The model runtimes a host can be started with; `none` makes model-backed kinds fail clearly. */
export const MODEL_RUNTIME_CHOICES = ['mock', 'ollama', 'none'] as const;
export type ModelRuntimeChoice = (typeof MODEL_RUNTIME_CHOICES)[number];
/** A runtime that exists (every choice but `none`). */
export type ModelRuntimeKind = Exclude<ModelRuntimeChoice, 'none'>;

/** The two hosts that serve the core; `cli` also starts it (seed, import) and says so in app_started. */
export const HOST_KINDS = ['electron', 'browser'] as const;
export type HostKind = (typeof HOST_KINDS)[number];
export const APP_STARTERS = [...HOST_KINDS, 'cli'] as const;

/** The actor_id of every event the workflow engine writes (actor `system`). */
export const ENGINE_ACTOR_ID = 'workflow_engine';

export const JobStateSchema = z.enum(JOB_STATES);
export const AccessModeSchema = z.enum(ACCESS_MODES);
export const SafetyModeSchema = z.enum(SAFETY_MODES);
export const ActorSchema = z.enum(ACTORS);
export const ExecutionModeSchema = z.enum(EXECUTION_MODES);
export const LayerSchema = z.enum(LAYERS);
export const ConsentDecisionSchema = z.enum(CONSENT_DECISIONS);
export const ConsentSourceSchema = z.enum(CONSENT_SOURCES);
export const RunStatusSchema = z.enum(RUN_STATUSES);
export const NodeStatusSchema = z.enum(NODE_STATUSES);
/** Strict: canonical strings only. Use for data that is already stored or served. */
export const CanonicalJobKindSchema = z.enum(JOB_KINDS);

const canonicalKinds: ReadonlySet<string> = new Set(JOB_KINDS);

export function isJobKind(value: unknown): value is JobKind {
  return typeof value === 'string' && canonicalKinds.has(value);
}

export type JobKindParse =
  | { ok: true; kind: JobKind; alias: string | null }
  | { ok: false; reason: string };

/**
 * The one parser every entry point uses (HSK-JOB-100). Exact match only: no trimming, no case
 * folding, because a second spelling of a kind is exactly the alias drift the work packet forbids.
 */
export function parseJobKind(value: unknown): JobKindParse {
  if (typeof value !== 'string') return { ok: false, reason: 'job_kind must be a string' };
  if (canonicalKinds.has(value)) return { ok: true, kind: value as JobKind, alias: null };
  const aliased = Object.hasOwn(JOB_KIND_ALIASES, value) ? JOB_KIND_ALIASES[value] : undefined;
  if (aliased) return { ok: true, kind: aliased, alias: value };
  return {
    ok: false,
    reason: `unknown job_kind ${JSON.stringify(value.slice(0, 64))}; expected one of ${JOB_KINDS.join(', ')}`,
  };
}

/** Input schema: accepts canonical kinds and the legacy alias, and outputs the canonical kind. */
export const JobKindInputSchema = z.string().transform((value, ctx): JobKind => {
  const parsed = parseJobKind(value);
  if (parsed.ok) return parsed.kind;
  ctx.addIssue({ code: 'custom', message: parsed.reason, params: { hsk_code: ERROR_CODES.invalidJobKind } });
  return z.NEVER;
});
