/** Valid records for renderer tests, built from the shared schemas' shapes. */
import type { AiJob } from '../../src-shared/job';
import { zeroMetrics } from '../../src-shared/job';
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
    protocol_id: 'terminal_exec.v1',
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
