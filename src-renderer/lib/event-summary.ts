/** One line per Flight Recorder event, in words. */
import type { FlightEvent } from '../../src-shared/events';

type Summarise = (payload: Record<string, unknown>) => string;

const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));

const SUMMARIES: Record<string, Summarise> = {
  job_created: (p) => `created as ${str(p.job_kind)}${p.submitted_job_kind ? ` (submitted as ${str(p.submitted_job_kind)})` : ''}`,
  job_rejected: (p) => `rejected: ${str(p.reason)}`,
  job_state_changed: (p) => `${str(p.from_state)} → ${str(p.to_state)}${p.reason ? ` (${str(p.reason)})` : ''}`,
  workflow_run_started: (p) => `run attempt ${str(p.attempt)} started`,
  workflow_run_finished: (p) => `run ${str(p.status)}${p.reason ? ` (${str(p.reason)})` : ''}`,
  workflow_node_started: (p) => `node ${str(p.node_id)} started`,
  workflow_node_finished: (p) => `node ${str(p.node_id)} ${str(p.status)}`,
  workflow_recovery: (p) => `recovered: ${str(p.from_state)} → ${str(p.to_state)} (${str(p.reason)})`,
  app_started: (p) => `app started (${str(p.host)}, previous stop: ${str(p.previous_stop)})`,
  app_stopped: (p) => `app stopped (${str(p.reason)})`,
  retention_purge: (p) => `retention purged ${str(p.purged_count)} events before ${str(p.cutoff)}`,
  capability_action: (p) =>
    `${str(p.decision_outcome)} ${str(p.capability_id)}${p.checkpoint ? ` at ${str(p.checkpoint)}` : ''}${p.rule ? ` by rule ${str(p.rule)}` : ''}${p.reason ? ` (${str(p.reason)})` : ''}`,
  security_violation: (p) => `security violation: ${str(p.violation_type)}`,
  terminal_command: (p) => `$ ${str(p.command)} → exit ${p.exit_code === null ? '—' : str(p.exit_code)}`,
  llm_inference: (p) => `model ${str(p.model_id)}`,
  debug_bundle_export: (p) => `debug bundle exported${p.path ? ` to ${str(p.path)}` : ''}`,
};

export function summariseEvent(event: Pick<FlightEvent, 'type' | 'payload'>): string {
  const summarise = Object.hasOwn(SUMMARIES, event.type) ? SUMMARIES[event.type] : undefined;
  return summarise ? summarise(event.payload) : event.type;
}
