/**
 * `status_reason` in words: one entry per code the core writes (STATUS_REASONS), and a plain
 * rendering of a reason an operator typed in words.
 */
import type { JobState } from '../../src-shared/enums';
import type { AiJob } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';
import { isStatusReason, type StatusReason } from '../../src-shared/reasons';

export interface ReasonContext {
  job: Pick<AiJob, 'state' | 'status_reason' | 'error_message'>;
  /** The job's latest workflow_recovery event, when there is one. */
  recovery?: Pick<FlightEvent, 'timestamp' | 'payload'> | null;
}

type Explain = (context: ReasonContext) => string;

function secondsBetween(fromIso: unknown, toIso: string): number | null {
  if (typeof fromIso !== 'string') return null;
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return null;
  return Math.max(0, Math.round((to - from) / 1_000));
}

function stalledAfterCrash({ recovery }: ReasonContext): string {
  const seconds = recovery ? secondsBetween(recovery.payload.last_heartbeat_ts, recovery.timestamp) : null;
  const gap = seconds === null ? 'no heartbeat' : `no heartbeat for ${seconds} s`;
  return `stalled: ${gap} after the app crashed; recovered at launch`;
}

export const REASON_EXPLANATIONS: Record<StatusReason, Explain> = {
  heartbeat_timeout_after_crash: stalledAfterCrash,
  interrupted_by_shutdown: () => 'stalled: the app was shut down while it ran; recovered at launch',
  no_executor: () => 'no executor is available for this job kind, so it could not run',
  model_runtime_unavailable: () => 'the model runtime was not available, so the job could not run',
  capability_denied: () => 'the capability check refused this job',
  timeout: () => 'the job ran longer than its time limit and was stopped',
  cancelled_by_operator: () => 'cancelled by a person from the app',
  failed_by_operator: () => 'marked as failed by a person from the app',
  resumed_by_operator: () => 'resumed by a person; queued to run again as a new attempt',
  executor_error: () => 'the executor failed',
  engine_error: () => 'the workflow engine hit an internal error',
  invalid_inputs: () => 'the inputs were not valid for this kind of job',
  prompt_injection_detected: () => 'poisoned: a prompt-injection pattern was found in the content; it can never run again',
  step_failed: () => 'a workflow step failed',
  all_steps_completed: () => 'every workflow step completed',
  model_output_ready: () => 'the model produced its output (a preview: nothing was applied)',
  bundle_written: () => 'the debug bundle was written',
  events_truncated: () => 'the debug bundle was written, but the event slice was cut at its size limit',
  exit_zero: () => 'the command exited with status 0',
  exit_nonzero: () => 'the command exited with a non-zero status',
  command_not_found: () => 'the command was not found on this machine',
  spawn_failed: () => 'the command could not be started',
  output_truncated: () => 'finished, but its output was cut at the size limit',
  queued: () => 'waiting in the queue for a worker',
  running: () => 'running now',
  completed: () => 'finished successfully',
  cancelled: () => 'cancelled while it ran',
  target_not_found: () => 'the job to export no longer exists',
  ingested: () => 'the document was read and ingested',
  file_not_found: () => 'the named document does not exist in the documents folder',
  path_outside_allowed_folder: () => 'the path points outside the allowed documents folder, so it was not read',
  not_a_file: () => 'the path names something that is not a regular file',
  unsupported_file_type: () => 'the file type is not one that can be read',
  file_too_large: () => 'the file is larger than the size limit',
  not_text: () => 'the file is not UTF-8 text',
  invalid_cwd: () => 'the working directory for the command does not exist',
};

const STATE_WORDS: Record<JobState, string> = {
  queued: 'waiting in the queue',
  running: 'running now',
  stalled: 'stalled: its run stopped without finishing',
  awaiting_validation: 'waiting for validation',
  awaiting_user: 'waiting for a person to accept or reject',
  completed: 'finished successfully',
  completed_with_issues: 'finished, with issues',
  failed: 'failed',
  cancelled: 'cancelled before it finished',
  poisoned: 'poisoned: blocked for good after a security check',
};

export function stateInWords(state: JobState): string {
  return STATE_WORDS[state];
}

function humanise(reason: string): string {
  return reason.replace(/[_-]+/g, ' ').trim();
}

export function explainReason(context: ReasonContext): string {
  const reason = context.job.status_reason;
  if (isStatusReason(reason)) return REASON_EXPLANATIONS[reason](context);
  if (!reason) return stateInWords(context.job.state);
  return `${stateInWords(context.job.state)} (${humanise(reason)})`;
}
