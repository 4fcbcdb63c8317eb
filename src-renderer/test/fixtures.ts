/** Valid records for renderer tests, built from the shared schemas' shapes. */
import type { AiJob } from '../../src-shared/job';
import { defaultLayerScope, zeroMetrics } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';

let counter = 0;

export function uuid(n = ++counter): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function makeJob(patch: Partial<AiJob> = {}): AiJob {
  return {
    job_id: uuid(),
    trace_id: uuid(),
    workflow_run_id: null,
    job_kind: 'terminal_exec',
    state: 'queued',
    status_reason: 'queued',
    error_message: null,
    protocol_id: 'hsk.terminal.exec.v0',
    profile_id: 'default',
    capability_profile_id: 'Coder',
    access_mode: 'analysis_only',
    safety_mode: 'normal',
    entity_refs: [],
    planned_operations: [],
    metrics: zeroMetrics(),
    job_inputs: { argv: ['echo', 'hi'] },
    job_outputs: null,
    created_at: '2026-01-20T10:00:00.000Z',
    updated_at: '2026-01-20T10:00:00.000Z',
    completed_at: null,
    task_schema_version: '1.0.0',
    workspace_scope: 'default',
    execution_mode: 'single_step',
    runtime_id: 'unassigned',
    flight_recorder_span_id: uuid(),
    consent_profile_id: 'hsk.consent.terminal_exec.v0',
    consent: { decision: 'granted', source: 'allow_terminal_switch', decided_at: '2026-01-20T10:00:00.000Z', expires_at: null },
    layer_scope: defaultLayerScope(),
    ...patch,
  };
}

export function makeEvent(patch: Partial<FlightEvent> = {}): FlightEvent {
  return {
    seq: ++counter,
    event_id: uuid(),
    type: 'job_created',
    timestamp: '2026-01-20T10:00:00.000Z',
    actor: 'human',
    actor_id: 'ui',
    trace_id: uuid(),
    job_id: null,
    workflow_run_id: null,
    model_id: null,
    capability_id: null,
    payload: { job_kind: 'terminal_exec', protocol_id: 'p', state: 'queued', submitted_job_kind: null },
    ...patch,
  };
}
