/**
 * Which Flight Recorder events are problems, and the Diagnostic each one becomes. Every event passes
 * through here as it is appended (in its transaction), so no producer can forget to report:
 * - a job ending failed, completed_with_issues or poisoned (failing step, timeout, denied
 *   capability, missing executor, unreachable runtime, non-zero exit, operator failure);
 * - a validator finding: a prompt-injection hit in model-bound text (security_violation). A
 *   submission the input contract refuses is not one: no job exists, and a refused call writes
 *   nothing but its job_rejected audit event;
 * - the recovery of an interrupted run (workflow_recovery).
 * Titles hold only stable words (kind, reason code), so the same failure always fingerprints alike;
 * what varies (ids, paths, exit codes) goes in the message.
 */
import type { DiagnosticDraft, DiagnosticSeverity, DiagnosticSource, DiagnosticSurface } from '../../src-shared/diagnostics';
import type { JobKind, JobState } from '../../src-shared/enums';
import type { EventPayload, FlightEvent } from '../../src-shared/events';
import type { TransitionCause } from '../../src-shared/transitions';

/** What a producer may need to know about the job an event belongs to. */
export interface ProducerJob {
  job_kind: JobKind;
  error_message: string | null;
}

export interface ProducerLookup {
  job(jobId: string): ProducerJob | null;
  /** The capabilities denied to the job (its capability_action deny events), oldest first. */
  deniedCapabilities(jobId: string): string[];
}

const PROBLEM_STATES: Partial<Record<JobState, DiagnosticSeverity>> = {
  failed: 'error',
  poisoned: 'fatal',
  completed_with_issues: 'warning',
};

/** Reason codes in words; a code not listed is shown as it is. */
const REASON_WORDS: Record<string, string> = {
  capability_denied: 'capability denied by policy',
  timeout: 'timed out',
  no_executor: 'no executor for this kind',
  model_runtime_unavailable: 'model runtime unreachable',
  exit_nonzero: 'command exited with a non-zero status',
  step_failed: 'a workflow step failed',
  prompt_injection_detected: 'poisoned: prompt injection detected',
  invalid_inputs: 'job inputs refused by the executor',
  executor_error: 'executor error',
  engine_error: 'engine error',
  events_truncated: 'bundle truncated at the event limit',
};

function sourceOf(cause: TransitionCause, reason: string): { source: DiagnosticSource; surface: DiagnosticSurface } {
  if (reason === 'exit_nonzero') return { source: 'terminal', surface: 'terminal' };
  if (cause === 'operator') return { source: 'system', surface: 'system' };
  return { source: 'engine', surface: 'system' };
}

function jobEnded(event: FlightEvent, payload: EventPayload<'job_state_changed'>, lookup: ProducerLookup): DiagnosticDraft | null {
  const severity = PROBLEM_STATES[payload.to_state];
  if (!severity || !event.job_id) return null;
  const job = lookup.job(event.job_id);
  const kind = job?.job_kind ?? 'job';
  // An operator's reason is free text: the problem is "failed by an operator", whatever was typed.
  const code = payload.cause === 'operator' ? 'failed_by_operator' : payload.reason;
  const words = payload.cause === 'operator' ? 'failed by an operator' : (REASON_WORDS[code] ?? code);
  const denied = code === 'capability_denied' ? lookup.deniedCapabilities(event.job_id) : [];
  return {
    title: `${kind}: ${words}`,
    message: job?.error_message ?? (payload.cause === 'operator' ? payload.reason : null),
    severity,
    ...sourceOf(payload.cause, code),
    tool: kind,
    code,
    job_id: event.job_id,
    actor: event.actor,
    capability_id: denied[0] ?? null,
    fr_event_ids: [event.event_id],
    trace_id: event.trace_id,
    metadata: { from_state: payload.from_state, to_state: payload.to_state, cause: payload.cause, ...(denied.length > 1 ? { denied_capabilities: denied } : {}) },
  };
}

function runRecovered(event: FlightEvent, payload: EventPayload<'workflow_recovery'>, lookup: ProducerLookup): DiagnosticDraft {
  const jobId = payload.job_id ?? event.job_id ?? null;
  const kind = jobId ? (lookup.job(jobId)?.job_kind ?? 'job') : 'job';
  return {
    title: `${kind}: run interrupted (${payload.reason}); recovered as stalled`,
    message: `workflow run ${payload.workflow_run_id} had no heartbeat since ${payload.last_heartbeat_ts} (threshold ${payload.threshold_secs} s); startup recovery marked it stalled. Resume, fail or cancel the job.`,
    severity: 'warning',
    source: 'system',
    surface: 'system',
    tool: 'startup_recovery',
    code: payload.reason,
    job_id: jobId,
    actor: 'system',
    fr_event_ids: [event.event_id],
    trace_id: event.trace_id,
    metadata: { workflow_run_id: payload.workflow_run_id },
  };
}

function injectionFound(event: FlightEvent, payload: EventPayload<'security_violation'>): DiagnosticDraft {
  return {
    title: `validator: ${payload.violation_type} in model input`,
    message: `${payload.description} (pattern "${payload.trigger}" at offset ${payload.offset}; action: ${payload.action_taken})`,
    severity: 'error',
    source: 'validator',
    surface: 'system',
    tool: event.actor_id,
    code: payload.violation_type,
    job_id: event.job_id,
    actor: 'system',
    fr_event_ids: [event.event_id],
    trace_id: event.trace_id,
  };
}

/** The Diagnostic an event reports, or null when the event is not a problem. */
export function diagnosticOfEvent(event: FlightEvent, lookup: ProducerLookup): DiagnosticDraft | null {
  switch (event.type) {
    case 'job_state_changed':
      return jobEnded(event, event.payload as EventPayload<'job_state_changed'>, lookup);
    case 'workflow_recovery':
      return runRecovered(event, event.payload as EventPayload<'workflow_recovery'>, lookup);
    case 'security_violation':
      return injectionFound(event, event.payload as EventPayload<'security_violation'>);
    default:
      return null;
  }
}

/** A deep link that did not resolve (VAL-NAV-001): a Diagnostic, never a silent no-op. */
export function unresolvedLink(targetKind: string, id: string, traceId: string): DiagnosticDraft {
  return {
    title: `navigation: deep link to a ${targetKind} did not resolve`,
    message: `no ${targetKind} with id ${JSON.stringify(id.slice(0, 256))} exists (removed by retention, from another data dir, or mistyped)`,
    severity: 'warning',
    source: 'system',
    surface: 'system',
    tool: 'deep_link',
    code: 'deep_link_unresolved',
    actor: 'human',
    trace_id: traceId,
    metadata: { target_kind: targetKind, target_id: id.slice(0, 256) },
  };
}
