/**
 * The `status_reason` codes the core writes, once. Executors, the engine, recovery and the
 * operator defaults use these; an operator may also give a reason of their own in words, so a
 * stored `status_reason` is a string, and the UI explains every code listed here
 * (`Record<StatusReason, ...>`: a code without an explanation does not compile).
 */
export const STATUS_REASONS = [
  // the queue and the engine
  'queued',
  'running',
  'completed',
  'all_steps_completed',
  'step_failed',
  'timeout',
  'cancelled',
  'executor_error',
  'engine_error',
  'no_executor',
  'model_runtime_unavailable',
  'capability_denied',
  'invalid_inputs',
  'prompt_injection_detected',
  // startup recovery
  'heartbeat_timeout_after_crash',
  'interrupted_by_shutdown',
  // operator actions without a reason of their own
  'cancelled_by_operator',
  'resumed_by_operator',
  'failed_by_operator',
  // executors
  'model_output_ready',
  'output_truncated',
  'bundle_written',
  'events_truncated',
  'target_not_found',
  'ingested',
  'file_not_found',
  'path_outside_allowed_folder',
  'not_a_file',
  'unsupported_file_type',
  'file_too_large',
  'not_text',
  'exit_zero',
  'exit_nonzero',
  'command_not_found',
  'spawn_failed',
  'invalid_cwd',
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

const KNOWN: ReadonlySet<string> = new Set(STATUS_REASONS);

export function isStatusReason(value: string): value is StatusReason {
  return KNOWN.has(value);
}
