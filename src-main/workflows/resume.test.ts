import { describe, expect, it } from 'vitest';
import type { NodeExecution, WorkflowRun } from '../../src-shared/job';
import type { PlannedNode } from './plan';
import { reusableSteps } from './resume';

const planned = (ids: string[]): PlannedNode[] =>
  ids.map((node_id) => ({ node_id, kind: 'terminal_exec', inputs: null, runtimeId: 'executor:terminal_exec', prepared: { timeoutMs: 1, run: async () => ({ status: 'completed', reason: 'exit_zero', outputs: null }) } }));

function earlier(attempt: number, nodes: Array<[string, NodeExecution['status']]>): WorkflowRun {
  return {
    workflow_run_id: `run-${attempt}`,
    job_id: 'job',
    status: 'stalled',
    attempt,
    last_heartbeat: '2026-01-01T00:00:00.000Z',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
    status_reason: 'heartbeat_timeout_after_crash',
    nodes: nodes.map(([node_id, status], sequence) => ({
      node_execution_id: `${node_id}-${attempt}`,
      workflow_run_id: `run-${attempt}`,
      node_id,
      node_type: 'terminal_exec',
      sequence,
      status,
      status_reason: status,
      input_payload: null,
      output_payload: { out: node_id },
      error_message: null,
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: null,
    })),
  };
}

describe('reusableSteps', () => {
  it('reuses the completed prefix of the latest earlier attempt and stops at the first step that did not complete', () => {
    const steps = reusableSteps('multi_step', planned(['a', 'b', 'c']), earlier(2, [['a', 'completed'], ['b', 'stalled']]));
    expect(steps.map((step) => [step.from.node_execution_id, step.fromAttempt])).toEqual([['a-2', 2]]);
  });

  it('reuses nothing for a single-step job, a first attempt, or a plan whose first step changed', () => {
    expect(reusableSteps('single_step', planned(['a']), earlier(1, [['a', 'completed']]))).toEqual([]);
    expect(reusableSteps('multi_step', planned(['a', 'b']), undefined)).toEqual([]);
    expect(reusableSteps('multi_step', planned(['x', 'b']), earlier(1, [['a', 'completed'], ['b', 'completed']]))).toEqual([]);
  });

  it('does not reuse a step after one that failed, even if it completed', () => {
    const steps = reusableSteps('multi_step', planned(['a', 'b', 'c']), earlier(1, [['a', 'completed'], ['b', 'failed'], ['c', 'completed']]));
    expect(steps).toHaveLength(1);
  });
});
